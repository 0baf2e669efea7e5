// eligo sweep: a spec's points run by a local pool of eligo processes, results gathered into
// DIR/sweep.json and DIR/sweep.csv (golden_model/experiment/sweep.hpp, docs/sweep.md).
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "golden_model/experiment/sweep.hpp"
#include "golden_model/io/files.hpp"
#include "harness/commands/commands.hpp"
#include "harness/commands/options.hpp"
#include "harness/commands/progress.hpp"

namespace eligo::harness {

namespace po = boost::program_options;

namespace {

// This program's own path (the points run the same eligo binary).
std::string self_exe() {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("/proc/self/exe: cannot read: " + ec.message());
  return p.string();
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
  po::options_description d(
      "usage: eligo sweep --spec SWEEP.json [--executor local|slurm] [--jobs N] [--out DIR] [--retry] [--dry-run] [--plot]");
  std::string spec_path, executor, out;
  int jobs = 0;
  long point_index = -1;
  double poll = 10;
  d.add_options()("help,h", "show this help")("spec", po::value(&spec_path)->required(), "sweep spec (JSON, docs/sweep.md)")(
      "executor", po::value(&executor)->default_value("local"),
      "where points run: local (a pool of --jobs processes) or slurm (an sbatch --array job)")(
      "jobs,j", po::value(&jobs)->default_value(0),
      "local: worker processes (0: the number of cores); slurm: array tasks at once (0: no limit)")(
      "out", po::value(&out)->default_value("out/sweep"), "output directory (points/<hash>/, sweep.json, sweep.csv)")(
      "retry", "run again the points whose earlier run failed")(
      "poll", po::value(&poll)->default_value(10), "slurm: seconds between squeue calls")(
      "point-index", po::value(&point_index), "run point I only (what each Slurm array task does); no sweep.json")(
      "dry-run", "list the points (index, hash, axis values, command line) without running or writing anything")(
      "plot", "then plot: scripts/plot_sweep.py DIR (Pareto fronts, learning curves per design point; Debian's "
              "python3-matplotlib), output in DIR/plots.txt");
  po::variables_map vm;
  if (!parse_options(args, d, vm)) return 0;
  if (executor != "local" && executor != "slurm") throw UsageError("--executor: \"" + executor + "\" (allowed: local, slurm)");
  if (jobs < 0) throw UsageError("--jobs: " + std::to_string(jobs) + " (allowed: >= 0)");
  if (!(poll > 0)) throw UsageError("--poll: must be > 0");
  const bool retry = vm.count("retry") > 0;
  const experiment::SweepSpec spec = experiment::load_sweep_spec(spec_path);
  const std::vector<experiment::SweepPoint> points = experiment::expand_sweep(spec);
  if (vm.count("dry-run")) {
    const std::string program = self_exe();
    for (size_t i = 0; i < points.size(); ++i) {
      const experiment::SweepPoint& p = points[i];
      std::cout << i << " " << p.hash;
      for (const auto& [name, value] : p.axes) std::cout << " " << name << "=" << value.dump();
      std::cout << "\n   ";
      for (const std::string& a : experiment::point_argv(spec, p, program, experiment::point_dir(out, p))) std::cout << " " << a;
      std::cout << "\n";
    }
    std::cout << "sweep: " << points.size() << " points (dry run: nothing run or written)\n";
    return 0;
  }
  io::prepare_output_dir(out);
  if (vm.count("point-index")) {
    if (point_index < 0 || point_index >= static_cast<long>(points.size())) {
      throw UsageError("--point-index: " + std::to_string(point_index) + " (allowed: 0 .. " +
                       std::to_string(points.size() - 1) + ")");
    }
    experiment::SweepOptions one;
    one.program = self_exe();
    one.retry = retry;
    const experiment::PointResult r = experiment::run_sweep_local(
        spec, {points[static_cast<size_t>(point_index)]}, out, one)[0];
    std::cout << "sweep: point " << point_index << " (" << points[static_cast<size_t>(point_index)].hash << "): "
              << r.status << (r.ran ? "" : " (earlier run)") << "\n";
    if (r.status == "failed") std::cerr << r.stderr_tail << "\n";
    return r.status == "ok" ? 0 : 1;
  }
  if (jobs == 0 && executor == "local") jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  experiment::SweepOptions o;
  o.program = self_exe();
  o.jobs = jobs;
  o.retry = retry;
  // The points to run now (not those finished by earlier runs): done/total, running, failed, ETA.
  std::unique_ptr<Progress> progress;
  o.on_progress = [&progress](const experiment::SweepProgress& p) {
    if (!progress) progress = std::make_unique<Progress>("sweep", p.total - p.earlier);
    char buf[128];
    std::snprintf(buf, sizeof buf, "running %d failed %d (%d of %d points from earlier runs)", p.running, p.failed,
                  p.earlier, p.total);
    progress->update(p.done - p.earlier, buf);
  };
  int ran = 0, skipped = 0;
  o.on_point_done = [&](const experiment::SweepPoint& pt, const experiment::PointResult& r) {
    (r.ran ? ran : skipped) += 1;
    if (r.status == "failed") {
      if (progress) progress->finish();
      std::cerr << "sweep: point " << pt.hash << " failed (exit status " << r.exit_status << ")"
                << (r.ran ? "" : " in an earlier run (--retry runs it again)") << "; stderr ends:\n"
                << r.stderr_tail << "\n";
    }
  };
  std::vector<experiment::PointResult> results;
  if (executor == "local") {
    results = experiment::run_sweep_local(spec, points, out, o);
  } else {
    experiment::SlurmOptions so;
    so.program = o.program;
    so.spec_path = std::filesystem::absolute(spec_path).lexically_normal().string();
    so.throttle = jobs;
    so.poll_s = poll;
    so.retry = retry;
    so.on_log = [](const std::string& line) { std::cerr << "sweep: " << line << "\n"; };
    results = experiment::run_sweep_slurm(spec, points, out, so);
    for (size_t i = 0; i < points.size(); ++i) o.on_point_done(points[i], results[i]);
  }
  if (progress) progress->finish();
  const nlohmann::json res = experiment::sweep_results_json(spec, points, results);
  experiment::write_sweep_results(out, res);
  int failed = 0;
  for (const auto& r : results) failed += r.status == "failed";
  std::cout << "sweep: " << points.size() << " points (" << ran << " run, " << skipped << " from earlier runs), "
            << failed << " failed\nwrote " << out << "/sweep.json and sweep.csv\n";
  if (vm.count("plot")) {
    const int rc = experiment::plot_sweep(out, experiment::default_plot_script());
    if (rc != 0) {
      std::cerr << "sweep: plotting failed (exit status " << rc << "), see " << out << "/plots_stderr.txt\n";
      return 1;
    }
    std::cout << "plots: " << out << "/plots.txt\n";
  }
  return failed ? 1 : 0;
}

}  // namespace eligo::harness
