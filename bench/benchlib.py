"""Where the benchmarks leave their numbers: BUILD/bench/NAME.json, written atomically (a temporary
name, then a rename), so that a run cut short never leaves a file that looks complete."""
import json
import os


def write_results(build, name, data):
    """Writes data as BUILD/bench/NAME.json (indented) and returns the path."""
    os.makedirs(os.path.join(build, "bench"), exist_ok=True)
    path = os.path.join(build, "bench", name + ".json")
    with open(path + ".tmp", "w") as f:
        json.dump(data, f, indent=2)
    os.replace(path + ".tmp", path)
    return path
