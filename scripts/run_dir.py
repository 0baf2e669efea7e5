"""The check every script that reads a run directory of eligo makes first (docs/runs.md): the
directory holds manifest.json (written last by the command) and every file it lists, with the
listed size and CRC-32 (zlib's, as golden_model/io/files.cpp). Mirrors io::check_manifest."""
import json
import os
import sys
import zlib

MANIFEST = "manifest.json"


def incomplete(script, d, what):
    sys.exit(f"{script}: {d}: incomplete run: {what}")


def check_complete(d, script):
    """Exits with one line naming the directory and what is missing unless d holds a complete run."""
    if not os.path.isdir(d):
        sys.exit(f"{script}: {d}: no such run directory")
    path = os.path.join(d, MANIFEST)
    if not os.path.exists(path):
        incomplete(script, d, f"no {MANIFEST} (the run was killed, failed or is still running)")
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{script}: {path}: malformed manifest: {e}")
    if not isinstance(m, dict) or not isinstance(m.get("files"), dict):
        sys.exit(f"{script}: {path}: files: missing or not an object (not a manifest of eligo)")
    if m.get("complete") is not True:
        sys.exit(f"{script}: {path}: complete: missing or not true (not a manifest of eligo)")
    for name, entry in m["files"].items():
        if not name or "/" in name or name in (".", ".."):
            sys.exit(f"{script}: {path}: files.{name}: not a file name in the run directory")
        if not isinstance(entry, dict) or not isinstance(entry["bytes"], int) or \
                not isinstance(entry["crc32"], str):
            sys.exit(f'{script}: {path}: files.{name}: expected {{"bytes": N, "crc32": "8 hex digits"}}')
        p = os.path.join(d, name)
        if not os.path.isfile(p):
            incomplete(script, d, f"{name} missing (listed in {MANIFEST})")
        size = os.path.getsize(p)
        if size != entry["bytes"]:
            incomplete(script, d, f"{name} has {size} bytes, {MANIFEST} lists {entry['bytes']} "
                                  "(changed or rewritten after the run)")
        with open(p, "rb") as f:
            crc = zlib.crc32(f.read())
        if f"{crc:08x}" != entry["crc32"]:
            incomplete(script, d, f"{name}: its CRC-32 is not the one {MANIFEST} lists (changed after the run)")
