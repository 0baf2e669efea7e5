// Sweeps (issue 17, docs/sweep.md): a spec (base config, eligo subcommand, axes, metrics,
// resources) expanded into points, each a resolved config in its own directory named by a hash of
// it; points run as their own processes (an argument vector, never a shell string) by a local pool
// of worker processes; results gathered into one row per point and mean / std / count per design
// point (the same axis values apart from the seed axis). `eligo sweep` is a thin command over this.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace eligo::experiment {

// One axis: a JSON path into the base config ("chip.lanes"), or "seed" (the command line's
// --seed, for `eligo train`), with its values in order.
struct SweepAxis {
  std::string name;
  std::vector<nlohmann::json> values;
};

// A product term of the axes: one axis, or a zipped group of axes of equal length that move
// together.
using SweepGroup = std::vector<SweepAxis>;

struct SweepMetric {
  std::string name;  // column name
  std::string file;  // a file of the point's output ("report.json", "metrics.json")
  std::string path;  // dotted JSON path in it; an integer segment indexes an array (-1: last)
};

struct SweepResources {  // per point, for schedulers (the local executor ignores them)
  int cpus = 1;
  std::string mem = "2G";
  std::string time = "01:00:00";
};

struct SweepSpec {
  std::string source;            // the spec file (for messages)
  std::string base_config;       // absolute path
  nlohmann::json base;           // its parsed content
  std::string command;           // "train", "chip" or "cosim"
  std::vector<std::string> args; // extra arguments of every point's command line
  std::vector<SweepGroup> axes;  // cartesian product over the groups, first group outermost
  std::string seed_axis;         // the axis averaged over for design points ("" = none)
  std::vector<SweepMetric> metrics;
  SweepResources resources;
};

// Reads and checks a spec. Throws io::ConfigError, one line: "<file>: <key>: <problem> (allowed: ..)".
SweepSpec load_sweep_spec(const std::string& path);
SweepSpec parse_sweep_spec(const nlohmann::json& j, const std::string& source, const std::string& base_dir);

struct SweepPoint {
  std::vector<std::pair<std::string, nlohmann::json>> axes;  // axis name -> value, in axis order
  nlohmann::json config;    // the resolved config (relative paths as in the base config)
  std::optional<long> seed; // the "seed" axis (--seed)
  std::string hash;         // 16 hex digits of the FNV-1a 64 hash of identity()
  // What the hash covers: {"args", "command", "config", "seed"} dumped with sorted keys.
  std::string identity;
};

// Every point, the first axis group outermost. Throws io::ConfigError when an axis path crosses a
// value that is not an object.
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec);

// FNV-1a 64 of bytes as 16 lower-case hex digits.
std::string fnv1a64_hex(const std::string& bytes);

// The config a point runs: the resolved config with the base config's relative file references
// (network_config, init.weights, task.inputs/targets/data_dir, energy.table, analog.energy.table) made absolute.
nlohmann::json runnable_config(const SweepSpec& spec, const SweepPoint& p);

// DIR/points/<hash>.
std::string point_dir(const std::string& out_dir, const SweepPoint& p);

// The command line of a point: program COMMAND --config DIR/config.json --out DIR [--seed N] ARGS.
std::vector<std::string> point_argv(const SweepSpec& spec, const SweepPoint& p, const std::string& program,
                                    const std::string& dir);

struct PointResult {
  std::string status;           // "ok", "failed", or "skipped" is never stored: see ran
  int exit_status = 0;          // of the process; -1 not started, 128+N killed by signal N
  std::optional<double> wall_s; // of the run (read back from point.json for earlier runs)
  bool ran = false;             // run by this invocation (false: result of an earlier one)
  std::string stderr_tail;      // last lines of the failed point's stderr
  nlohmann::json metrics = nlohmann::json::object();  // name -> value (null if absent)
};

struct SweepProgress {
  int total = 0;    // points of the sweep
  int earlier = 0;  // of them finished (ok or failed) by earlier runs: not run now
  int done = 0, running = 0, failed = 0;  // done and failed include `earlier`
};

struct SweepOptions {
  std::string program;  // the eligo binary (absolute path)
  int jobs = 1;
  bool retry = false;   // re-run points whose earlier run failed
  std::function<void(const SweepProgress&)> on_progress;
  std::function<void(const SweepPoint&, const PointResult&)> on_point_done;
};

// Runs the missing points with a pool of `jobs` worker processes and returns every point's
// result in expansion order. A point is done when check_manifest(its dir) passes; one whose
// earlier run failed (point.json "status": "failed") is reported again without running unless
// `retry`. Each run's stdout/stderr go to its dir (stdout.txt, stderr.txt), its status to
// point.json. Throws io::IoError when the output directory cannot be used.
std::vector<PointResult> run_sweep_local(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                         const std::string& out_dir, const SweepOptions& options);

// The result an earlier run left in a point's directory: ok (valid manifest; metrics read), or
// failed (point.json says so; not when `retry`). False when the point is to be run.
bool earlier_result(const SweepSpec& spec, const std::string& dir, bool retry, PointResult& r);

// Slurm: an `sbatch --array` job whose task I runs point I through
// `eligo sweep --spec SPEC --out DIR --point-index I` (the local executor on that one point), so
// every point's directory, files and point.json are the same as with the local executor.
struct SlurmOptions {
  std::string program;    // the eligo binary (absolute path, reachable from the compute nodes)
  std::string spec_path;  // the spec file (absolute path)
  int throttle = 0;       // at most this many array tasks at once (sbatch --array=..%N); 0: no limit
  double poll_s = 10;     // seconds between squeue calls
  bool retry = false;
  std::function<void(const std::string&)> on_log;  // "submitted job N", errors of squeue
};

// The job script: #SBATCH lines (array of `indices`, throttle, cpus, mem, time, job name, output
// files DIR/slurm/%A_%a.out) and one exec line with every path single-quoted.
std::string slurm_job_script(const SweepSpec& spec, const std::vector<size_t>& indices, const std::string& out_dir,
                             const SlurmOptions& options);

// Writes DIR/slurm/sweep.sbatch for the points not finished yet, submits it (sbatch --parsable,
// found on PATH), waits until `squeue -h -j JOB` lists no task, and returns every point's result
// as read back from the point directories (a point the job did not finish is failed, exit status
// -1). Throws io::IoError when sbatch fails.
std::vector<PointResult> run_sweep_slurm(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                         const std::string& out_dir, const SlurmOptions& options);

// The metrics of a finished point read from its directory.
nlohmann::json collect_metrics(const SweepSpec& spec, const std::string& dir);

struct Stat {
  double mean = 0;
  std::optional<double> std;  // sample standard deviation (n - 1), none for n < 2
  int count = 0;
};
// Mean, sample standard deviation and count of xs.
Stat stat_of(const std::vector<double>& xs);

// sweep.json: {"spec", "command", "axes", "seed_axis", "metrics", "points": [..], "designs": [..]}.
nlohmann::json sweep_results_json(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                  const std::vector<PointResult>& results);
// The same as CSV: a row per point (kind "point") then per design point (kind "design": metric
// columns hold the mean, METRIC_std and count the rest).
std::string sweep_results_csv(const nlohmann::json& results);

// Writes DIR/sweep.json and DIR/sweep.csv atomically.
void write_sweep_results(const std::string& out_dir, const nlohmann::json& results);

// scripts/plot_sweep.py of the source tree this eligo was built from.
std::string default_plot_script();
// The sweep's plotting step (`eligo sweep --plot`): /usr/bin/python3 SCRIPT DIR, started from an
// argument vector (no shell), its stdout and stderr into DIR/plots.txt and DIR/plots_stderr.txt:
// Pareto fronts
// (DIR/pareto.png) and learning curves of every seed per design point (DIR/curves/). Returns
// its exit status, -1 when it could not be started.
int plot_sweep(const std::string& out_dir, const std::string& script);

}  // namespace eligo::experiment
