#include "golden_model/experiment/sweep.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "golden_model/io/config.hpp"
#include "golden_model/io/files.hpp"
#include "golden_model/io/json_fields.hpp"
#include "golden_model/io/json_read.hpp"

extern char** environ;

namespace eligo::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& problem,
                       const std::string& allowed = "") {
  throw io::ConfigError(source + ": " + key + ": " + problem + (allowed.empty() ? "" : " (allowed: " + allowed + ")"));
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  for (std::string seg; std::getline(ss, seg, '.');) out.push_back(seg);
  return out;
}

// Rejects keys of obj outside `allowed` (JsonFields::finish for objects read partly by hand).
void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& source,
                const std::string& prefix) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
    std::string list;
    for (const std::string& k : allowed) list += (list.empty() ? "" : ", ") + k;
    fail(source, prefix.empty() ? it.key() : prefix + "." + it.key(), "unknown key", "keys " + list);
  }
}

// values / range of one axis object at key `key`.
SweepAxis read_axis(const json& a, const std::string& source, const std::string& key) {
  io::JsonFields f(a, source, key);
  SweepAxis axis;
  axis.name = f.text("name", "");
  if (axis.name.empty()) f.fail("name", "missing", "a JSON path into the base config such as \"chip.lanes\", or \"seed\"");
  for (const std::string& seg : split_path(axis.name)) {
    if (seg.empty()) f.fail("name", "\"" + axis.name + "\" has an empty path segment", "dotted keys such as \"chip.lanes\"");
  }
  const bool has_values = f.has("values"), has_range = f.has("range");
  if (has_values == has_range) f.fail("values", "give exactly one of \"values\" and \"range\"", "");
  if (has_values) {
    const json& v = a.at("values");
    if (!v.is_array() || v.empty()) f.fail("values", "expected a non-empty array", "an array of JSON values");
    for (const json& x : v) axis.values.push_back(x);
  } else {
    io::JsonFields r = f.object("range");
    const double from = r.number("from", 0, -1e15, 1e15), to = r.number("to", 0, -1e15, 1e15);
    const double step = r.number("step", 1, 0, 1e15, true);
    if (!r.has("from") || !r.has("to")) r.fail("from", "\"from\" and \"to\" are required", "numbers, \"to\" inclusive");
    r.finish();
    if (to < from) f.fail("range.to", "smaller than range.from", "to >= from");
    const json& rj = a.at("range");
    const bool integral = rj.at("from").is_number_integer() && rj.at("to").is_number_integer() &&
                          (!rj.contains("step") || rj.at("step").is_number_integer());
    const long n = static_cast<long>(std::floor((to - from) / step + 1e-9)) + 1;
    if (n > 100000) f.fail("range", std::to_string(n) + " values", "at most 100000");
    for (long i = 0; i < n; ++i) {
      if (integral) {
        axis.values.push_back(rj.at("from").get<long>() + i * static_cast<long>(step));
      } else {
        axis.values.push_back(from + static_cast<double>(i) * step);
      }
    }
  }
  if (axis.name == "seed") {
    for (const json& x : axis.values) {
      if (!x.is_number_integer() || x.get<long>() < 0) f.fail("values", x.dump() + " is not a seed", "integers >= 0");
    }
  }
  check_keys(a, {"name", "values", "range"}, source, key);
  return axis;
}

// Sets config[path] = value, creating missing objects; throws when a non-object is crossed.
void set_path(json& config, const std::string& path, const json& value, const std::string& source) {
  json* node = &config;
  const std::vector<std::string> segs = split_path(path);
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    if (!node->contains(segs[i])) (*node)[segs[i]] = json::object();
    node = &(*node)[segs[i]];
    if (!node->is_object()) {
      fail(source, "axes", "axis \"" + path + "\": " + segs[i] + " is not an object in the base config");
    }
  }
  (*node)[segs.back()] = value;
}

const char* const kPathKeys[] = {"network_config", "init.weights", "task.inputs", "task.targets", "task.data_dir",
                                 "energy.table", "analog.energy.table"};

}  // namespace

std::string fnv1a64_hex(const std::string& bytes) {
  uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

SweepSpec parse_sweep_spec(const json& j, const std::string& source, const std::string& base_dir) {
  io::JsonFields f(j, source, "");
  SweepSpec s;
  s.source = source;
  const std::string base = f.text("base_config", "");
  if (base.empty()) f.fail("base_config", "missing", "the path of the config every point starts from");
  s.base_config = fs::absolute(fs::path(base_dir) / base).lexically_normal().string();
  try {
    s.base = io::parse_json(io::read_file(s.base_config), s.base_config);
  } catch (const io::IoError& e) {
    f.fail("base_config", e.what(), "");
  }
  if (!s.base.is_object()) f.fail("base_config", s.base_config + " does not hold a JSON object", "");
  s.command = f.choice("command", "", {"train", "chip", "cosim"});
  if (s.command.empty()) f.fail("command", "missing", "\"train\", \"chip\", \"cosim\"");
  if (f.has("args")) {
    const json& a = j.at("args");
    if (!a.is_array()) f.fail("args", "expected an array of strings", "strings");
    for (const json& x : a) {
      if (!x.is_string()) f.fail("args", "expected string items, got " + std::string(x.type_name()), "strings");
      const std::string v = x.get<std::string>();
      if (v == "--config" || v == "--out" || v == "--seed" || v == "--resume") {
        f.fail("args", v + " is set by the sweep", "other options of eligo " + s.command);
      }
      s.args.push_back(v);
    }
  }
  // axes
  if (!f.has("axes") || !j.at("axes").is_array() || j.at("axes").empty()) {
    f.fail("axes", "expected a non-empty array", "axis objects {\"name\", \"values\" | \"range\"} or {\"zip\": [axes]}");
  }
  std::vector<std::string> names;
  const json& axes = j.at("axes");
  for (size_t i = 0; i < axes.size(); ++i) {
    const std::string key = "axes[" + std::to_string(i) + "]";
    const json& a = axes[i];
    SweepGroup g;
    if (a.is_object() && a.contains("zip")) {
      if (a.size() != 1) fail(source, key, "a zipped group has only the key \"zip\"", "{\"zip\": [axis, axis, ..]}");
      const json& z = a.at("zip");
      if (!z.is_array() || z.empty()) fail(source, key + ".zip", "expected a non-empty array of axes", "");
      for (size_t k = 0; k < z.size(); ++k) g.push_back(read_axis(z[k], source, key + ".zip[" + std::to_string(k) + "]"));
      for (const SweepAxis& x : g) {
        if (x.values.size() != g.front().values.size()) {
          fail(source, key + ".zip", "axes of different lengths (" + g.front().name + ": " +
                                         std::to_string(g.front().values.size()) + ", " + x.name + ": " +
                                         std::to_string(x.values.size()) + ")", "zipped axes of equal length");
        }
      }
    } else {
      g.push_back(read_axis(a, source, key));
    }
    for (const SweepAxis& x : g) {
      if (std::find(names.begin(), names.end(), x.name) != names.end()) fail(source, key, "axis \"" + x.name + "\" twice");
      if (x.name == "seed" && s.command != "train") {
        fail(source, key, "axis \"seed\" is train's --seed; eligo " + s.command + " has none",
             "a config key such as \"chip.seed\"");
      }
      names.push_back(x.name);
    }
    s.axes.push_back(g);
  }
  s.seed_axis = f.text("seed_axis", std::find(names.begin(), names.end(), "seed") != names.end() ? "seed" : "");
  if (!s.seed_axis.empty() && std::find(names.begin(), names.end(), s.seed_axis) == names.end()) {
    f.fail("seed_axis", "\"" + s.seed_axis + "\" is not an axis", "the name of an axis");
  }
  // metrics
  if (f.has("metrics")) {
    const json& m = j.at("metrics");
    if (!m.is_object()) f.fail("metrics", "expected an object", "{\"name\": \"FILE:json.path\"}");
    for (auto it = m.begin(); it != m.end(); ++it) {
      const std::string key = "metrics." + it.key();
      if (!it->is_string()) fail(source, key, "expected a string", "\"FILE:json.path\" such as \"report.json:accuracy\"");
      const std::string v = it->get<std::string>();
      const auto colon = v.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == v.size()) {
        fail(source, key, "\"" + v + "\" is not FILE:path", "\"FILE:json.path\" such as \"report.json:accuracy\"");
      }
      const std::string file = v.substr(0, colon);
      if (std::find(std::begin(io::kRunFiles), std::end(io::kRunFiles), file) == std::end(io::kRunFiles) ||
          file.size() < 5 || file.substr(file.size() - 5) != ".json") {
        fail(source, key, "\"" + file + "\" is not a JSON file eligo writes", "report.json, metrics.json, energy.json, ..");
      }
      if (std::find(names.begin(), names.end(), it.key()) != names.end() || it.key() == "point" ||
          it.key() == "status" || it.key() == "kind" || it.key() == "wall_s" || it.key() == "exit_status" ||
          it.key() == "count") {
        fail(source, key, "name taken by an axis or a column", "another name");
      }
      s.metrics.push_back({it.key(), file, v.substr(colon + 1)});
    }
  }
  io::JsonFields r = f.object("resources");
  s.resources.cpus = static_cast<int>(r.integer("cpus", 1, 1, 1024));
  s.resources.mem = r.text("mem", "2G");
  s.resources.time = r.text("time", "01:00:00");
  r.finish();
  check_keys(j, {"base_config", "command", "args", "axes", "seed_axis", "metrics", "resources"}, source, "");
  return s;
}

SweepSpec load_sweep_spec(const std::string& path) {
  const json j = io::parse_json(io::read_file(path), path);
  return parse_sweep_spec(j, path, fs::path(path).parent_path().string());
}

std::vector<SweepPoint> expand_sweep(const SweepSpec& spec) {
  std::vector<SweepPoint> out;
  std::vector<size_t> idx(spec.axes.size(), 0);
  size_t total = 1;
  for (const SweepGroup& g : spec.axes) total *= g.front().values.size();
  for (size_t n = 0; n < total; ++n) {
    // idx: the last group fastest.
    size_t rest = n;
    for (size_t gi = spec.axes.size(); gi-- > 0;) {
      const size_t len = spec.axes[gi].front().values.size();
      idx[gi] = rest % len;
      rest /= len;
    }
    SweepPoint p;
    p.config = spec.base;
    for (size_t gi = 0; gi < spec.axes.size(); ++gi) {
      for (const SweepAxis& a : spec.axes[gi]) {
        const json& v = a.values[idx[gi]];
        p.axes.emplace_back(a.name, v);
        if (a.name == "seed") {
          p.seed = v.get<long>();
        } else {
          set_path(p.config, a.name, v, spec.source);
        }
      }
    }
    const json id = {{"args", spec.args}, {"command", spec.command}, {"config", p.config},
                     {"seed", p.seed ? json(*p.seed) : json(nullptr)}};
    p.identity = id.dump();
    p.hash = fnv1a64_hex(p.identity);
    out.push_back(std::move(p));
  }
  return out;
}

json runnable_config(const SweepSpec& spec, const SweepPoint& p) {
  json c = p.config;
  const fs::path base_dir = fs::path(spec.base_config).parent_path();
  for (const char* key : kPathKeys) {
    json* node = &c;
    for (const std::string& seg : split_path(key)) {
      if (!node->is_object() || !node->contains(seg)) {
        node = nullptr;
        break;
      }
      node = &(*node)[seg];
    }
    if (node && node->is_string() && !node->get<std::string>().empty() && fs::path(node->get<std::string>()).is_relative()) {
      *node = (base_dir / node->get<std::string>()).lexically_normal().string();
    }
  }
  return c;
}

std::string point_dir(const std::string& out_dir, const SweepPoint& p) {
  return (fs::path(out_dir) / "points" / p.hash).string();
}

std::vector<std::string> point_argv(const SweepSpec& spec, const SweepPoint& p, const std::string& program,
                                    const std::string& dir) {
  std::vector<std::string> argv = {program, spec.command, "--config", (fs::path(dir) / "config.json").string(),
                                   "--out", dir};
  if (p.seed) {
    argv.push_back("--seed");
    argv.push_back(std::to_string(*p.seed));
  }
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  return argv;
}

// ---- results of one point ------------------------------------------------------------------

namespace {

constexpr const char* kPointFile = "point.json";

const json* at_path(const json& doc, const std::string& path) {
  const json* node = &doc;
  for (const std::string& seg : split_path(path)) {
    if (node->is_object()) {
      if (!node->contains(seg)) return nullptr;
      node = &node->at(seg);
    } else if (node->is_array()) {
      char* end = nullptr;
      const long i = std::strtol(seg.c_str(), &end, 10);
      if (seg.empty() || *end != '\0') return nullptr;
      const long n = static_cast<long>(node->size());
      const long k = i < 0 ? n + i : i;
      if (k < 0 || k >= n) return nullptr;
      node = &node->at(static_cast<size_t>(k));
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string tail_lines(const std::string& path, int lines) {
  std::string text;
  try {
    text = io::read_file(path);
  } catch (const io::IoError&) {
    return "";
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t at = text.size();
  for (int k = 0; k < lines && at != std::string::npos && at > 0; ++k) at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

bool complete(const std::string& dir) {
  try {
    io::check_manifest(dir);
    return true;
  } catch (const io::IoError&) {
    return false;
  }
}

std::optional<double> number_or_none(const json& obj, const char* key) {
  if (!obj.contains(key) || !obj.at(key).is_number()) return std::nullopt;
  return obj.at(key).get<double>();
}

// The earlier run's point.json, or null.
json read_point_file(const std::string& dir) {
  try {
    return json::parse(io::read_file((fs::path(dir) / kPointFile).string()));
  } catch (const std::exception&) {
    return nullptr;
  }
}

void finish_result(const SweepSpec& spec, const std::string& dir, PointResult& r) {
  if (r.status == "ok") {
    r.metrics = collect_metrics(spec, dir);
  } else {
    r.stderr_tail = tail_lines((fs::path(dir) / "stderr.txt").string(), 10);
  }
}

}  // namespace

bool earlier_result(const SweepSpec& spec, const std::string& dir, bool retry, PointResult& r) {
  const json earlier = read_point_file(dir);
  const bool said_ok = earlier.is_object() && earlier.contains("status") && earlier.at("status") == "ok";
  const bool said_failed = earlier.is_object() && earlier.contains("status") && earlier.at("status") == "failed";
  if (complete(dir)) {
    r.status = "ok";
    if (said_ok) r.wall_s = number_or_none(earlier, "wall_s");
  } else if (!retry && said_failed) {
    r.status = "failed";
    const json& st = earlier.contains("exit_status") ? earlier.at("exit_status") : json(nullptr);
    r.exit_status = st.is_number_integer() ? st.get<int>() : -1;
    r.wall_s = number_or_none(earlier, "wall_s");
  } else {
    return false;
  }
  finish_result(spec, dir, r);
  return true;
}

namespace {

struct Running {
  size_t index;
  std::chrono::steady_clock::time_point start;
};

// Starts argv with stdin from /dev/null, stdout and stderr into files (created or truncated);
// argv[0] is searched on PATH when `search_path`. Returns the pid or -1.
pid_t spawn_to_files(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
                     bool search_path) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return -1;
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = search_path ? posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ)
                             : posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

json collect_metrics(const SweepSpec& spec, const std::string& dir) {
  json m = json::object();
  std::map<std::string, json> docs;
  for (const SweepMetric& metric : spec.metrics) {
    if (!docs.count(metric.file)) {
      try {
        docs[metric.file] = json::parse(io::read_file((fs::path(dir) / metric.file).string()));
      } catch (const std::exception&) {
        docs[metric.file] = nullptr;
      }
    }
    const json* v = at_path(docs[metric.file], metric.path);
    m[metric.name] = v && (v->is_number() || v->is_string() || v->is_boolean()) ? *v : json(nullptr);
  }
  return m;
}

std::vector<PointResult> run_sweep_local(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                         const std::string& out_dir, const SweepOptions& options) {
  std::vector<PointResult> results(points.size());
  std::vector<size_t> todo;
  SweepProgress progress;
  progress.total = static_cast<int>(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string dir = point_dir(out_dir, points[i]);
    PointResult& r = results[i];
    if (!earlier_result(spec, dir, options.retry, r)) {
      todo.push_back(i);
      continue;
    }
    ++progress.done;
    if (r.status == "failed") ++progress.failed;
    if (options.on_point_done) options.on_point_done(points[i], r);
  }
  const int jobs = std::max(1, options.jobs);
  std::map<pid_t, Running> running;
  size_t next = 0;
  progress.earlier = progress.done;
  // After every refill of the pool (so "running" counts the points started), and at the end.
  const auto report = [&] {
    progress.running = static_cast<int>(running.size());
    if (options.on_progress) options.on_progress(progress);
  };
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && static_cast<int>(running.size()) < jobs) {
      const size_t i = todo[next++];
      const SweepPoint& p = points[i];
      const std::string dir = point_dir(out_dir, p);
      io::prepare_output_dir(dir);  // removes an earlier manifest.json
      std::error_code ec;
      fs::remove(fs::path(dir) / kPointFile, ec);
      io::write_file_atomically((fs::path(dir) / "config.json").string(), runnable_config(spec, p).dump(2) + "\n");
      const pid_t pid = spawn_to_files(point_argv(spec, p, options.program, dir), (fs::path(dir) / "stdout.txt").string(),
                                       (fs::path(dir) / "stderr.txt").string(), false);
      if (pid < 0) {
        PointResult& r = results[i];
        r.status = "failed";
        r.exit_status = -1;
        r.ran = true;
        r.stderr_tail = "cannot start " + options.program;
        ++progress.done;
        ++progress.failed;
        if (options.on_point_done) options.on_point_done(p, r);
        continue;
      }
      running[pid] = {i, std::chrono::steady_clock::now()};
    }
    report();
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw io::IoError(out_dir + ": waitpid: " + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    const size_t i = it->second.index;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.start).count();
    running.erase(it);
    const std::string dir = point_dir(out_dir, points[i]);
    PointResult& r = results[i];
    r.ran = true;
    r.wall_s = wall;
    r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    r.status = r.exit_status == 0 && complete(dir) ? "ok" : "failed";
    if (r.exit_status == 0 && r.status == "failed") r.stderr_tail = "exit status 0 but no valid manifest.json\n";
    io::write_file_atomically((fs::path(dir) / kPointFile).string(),
                              json{{"status", r.status}, {"exit_status", r.exit_status}, {"wall_s", wall}}.dump(2) + "\n");
    const std::string extra = r.stderr_tail;
    finish_result(spec, dir, r);
    if (!extra.empty()) r.stderr_tail = extra + r.stderr_tail;
    ++progress.done;
    if (r.status == "failed") ++progress.failed;
    if (options.on_point_done) options.on_point_done(points[i], r);
  }
  return results;
}

// ---- Slurm ---------------------------------------------------------------------------------

namespace {

// 'text' for a POSIX shell.
std::string shell_quote(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs argv (argv[0] searched on PATH) with stdout and stderr into files; its exit status, or -1.
int run_to_files(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  const pid_t pid = spawn_to_files(argv, out, err, true);
  if (pid < 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string default_plot_script() {
  return (fs::path(ELIGO_EXPERIMENT_SOURCE_DIR) / "scripts" / "plot_sweep.py").string();
}

int plot_sweep(const std::string& out_dir, const std::string& script) {
  return run_to_files({"/usr/bin/python3", script, out_dir}, (fs::path(out_dir) / "plots.txt").string(),
                      (fs::path(out_dir) / "plots_stderr.txt").string());
}

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::string slurm_job_script(const SweepSpec& spec, const std::vector<size_t>& indices, const std::string& out_dir,
                             const SlurmOptions& options) {
  std::string array;
  for (size_t i : indices) array += (array.empty() ? "" : ",") + std::to_string(i);
  if (options.throttle > 0) array += "%" + std::to_string(options.throttle);
  const std::string slurm_dir = (fs::absolute(out_dir) / "slurm").lexically_normal().string();
  std::string s = "#!/bin/bash\n";
  s += "# eligo sweep " + spec.source + ": one array task per point (docs/sweep.md)\n";
  s += "#SBATCH --job-name=eligo-sweep\n";
  s += "#SBATCH --array=" + array + "\n";
  s += "#SBATCH --ntasks=1\n";
  s += "#SBATCH --cpus-per-task=" + std::to_string(spec.resources.cpus) + "\n";
  s += "#SBATCH --mem=" + spec.resources.mem + "\n";
  s += "#SBATCH --time=" + spec.resources.time + "\n";
  s += "#SBATCH --output=" + slurm_dir + "/%A_%a.out\n";
  s += "exec " + shell_quote(options.program) + " sweep --spec " + shell_quote(options.spec_path) + " --out " +
       shell_quote(fs::absolute(out_dir).lexically_normal().string()) + " --point-index \"$SLURM_ARRAY_TASK_ID\"" +
       (options.retry ? " --retry" : "") + "\n";
  return s;
}

std::vector<PointResult> run_sweep_slurm(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                         const std::string& out_dir, const SlurmOptions& options) {
  std::vector<PointResult> results(points.size());
  std::vector<size_t> todo;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!earlier_result(spec, point_dir(out_dir, points[i]), options.retry, results[i])) todo.push_back(i);
  }
  const auto log = [&](const std::string& line) {
    if (options.on_log) options.on_log(line);
  };
  if (!todo.empty()) {
    const fs::path slurm_dir = fs::path(out_dir) / "slurm";
    std::error_code ec;
    fs::create_directories(slurm_dir, ec);
    if (ec) throw io::IoError(slurm_dir.string() + ": cannot create: " + ec.message());
    const std::string script = (slurm_dir / "sweep.sbatch").string();
    io::write_file_atomically(script, slurm_job_script(spec, todo, out_dir, options));
    const std::string out = (slurm_dir / "sbatch.stdout").string(), err = (slurm_dir / "sbatch.stderr").string();
    const int rc = run_to_files({"sbatch", "--parsable", script}, out, err);
    std::string job = trimmed(io::read_file(out));
    job = job.substr(0, job.find(';'));  // "JOBID;CLUSTER" on multi-cluster sites
    if (rc != 0 || job.empty() || job.find_first_not_of("0123456789") != std::string::npos) {
      throw io::IoError(script + ": sbatch failed (exit status " + std::to_string(rc) + "): " +
                        trimmed(tail_lines(err, 3)));
    }
    log("submitted Slurm job " + job + " (" + std::to_string(todo.size()) + " array tasks): " + script);
    const std::string q_out = (slurm_dir / "squeue.stdout").string(), q_err = (slurm_dir / "squeue.stderr").string();
    int failures = 0;
    for (;;) {
      const int q = run_to_files({"squeue", "-h", "-j", job, "-o", "%i %T"}, q_out, q_err);
      if (q == 0) {
        failures = 0;
        if (trimmed(io::read_file(q_out)).empty()) break;  // no task of the job is pending or running
      } else if (tail_lines(q_err, 2).find("Invalid job id") != std::string::npos) {
        break;  // the job ended longer ago than the cluster's MinJobAge (300 s by default): purged
      } else if (++failures >= 5) {  // squeue down for a while: stop following, gather what is there
        log("squeue failed 5 times (exit status " + std::to_string(q) + "): " + trimmed(tail_lines(q_err, 2)));
        break;
      }
      ::usleep(static_cast<useconds_t>(options.poll_s * 1e6));
    }
    for (size_t i : todo) {
      PointResult& r = results[i];
      r.ran = true;
      if (!earlier_result(spec, point_dir(out_dir, points[i]), false, r)) {
        // No point.json: the task was cancelled, ran out of time or lost its node before its eligo
        // process ended (without slurmdbd there is no sacct: Slurm's own line about it, such as
        // "slurmstepd: error: *** JOB 12 ON node CANCELLED AT ... ***", ends the task's output file).
        const std::string task_out = (slurm_dir / (job + "_" + std::to_string(i) + ".out")).string();
        const std::string said = trimmed(tail_lines(task_out, 3));
        r.status = "failed";
        r.exit_status = -1;
        r.stderr_tail = "not finished by Slurm job " + job + " (array task " + std::to_string(i) + "; see " + task_out +
                        ", scontrol show job " + job + "_" + std::to_string(i) + ")" + (said.empty() ? "" : "\n" + said);
      }
    }
  }
  return results;
}

// ---- aggregation ---------------------------------------------------------------------------

Stat stat_of(const std::vector<double>& xs) {
  Stat s;
  s.count = static_cast<int>(xs.size());
  if (xs.empty()) return s;
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean = sum / static_cast<double>(xs.size());
  if (xs.size() >= 2) {
    double ss = 0;
    for (double x : xs) ss += (x - s.mean) * (x - s.mean);
    s.std = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  }
  return s;
}

json sweep_results_json(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                        const std::vector<PointResult>& results) {
  json axes = json::array(), metrics = json::array();
  for (const SweepGroup& g : spec.axes) {
    for (const SweepAxis& a : g) axes.push_back(a.name);
  }
  for (const SweepMetric& m : spec.metrics) metrics.push_back(m.name);
  json rows = json::array();
  // Design points in order of first appearance.
  std::vector<json> design_keys;
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < points.size(); ++i) {
    const PointResult& r = results[i];
    json ax = json::object();
    for (const auto& [name, v] : points[i].axes) ax[name] = v;
    rows.push_back({{"point", points[i].hash}, {"status", r.status}, {"exit_status", r.exit_status},
                    {"wall_s", r.wall_s ? json(*r.wall_s) : json(nullptr)}, {"axes", ax}, {"metrics", r.metrics}});
    if (r.status == "failed") rows.back()["stderr_tail"] = r.stderr_tail;
    json key = ax;
    if (!spec.seed_axis.empty()) key.erase(spec.seed_axis);
    const auto it = std::find(design_keys.begin(), design_keys.end(), key);
    if (it == design_keys.end()) {
      design_keys.push_back(key);
      members.push_back({i});
    } else {
      members[static_cast<size_t>(it - design_keys.begin())].push_back(i);
    }
  }
  json designs = json::array();
  for (size_t d = 0; d < design_keys.size(); ++d) {
    json ms = json::object();
    int ok = 0;
    for (size_t i : members[d]) ok += results[i].status == "ok";
    for (const SweepMetric& m : spec.metrics) {
      std::vector<double> xs;
      for (size_t i : members[d]) {
        const json& v = results[i].metrics.contains(m.name) ? results[i].metrics.at(m.name) : json(nullptr);
        if (results[i].status == "ok" && v.is_number()) xs.push_back(v.get<double>());
      }
      const Stat s = stat_of(xs);
      ms[m.name] = {{"mean", s.count ? json(s.mean) : json(nullptr)}, {"std", s.std ? json(*s.std) : json(nullptr)},
                    {"count", s.count}};
    }
    designs.push_back({{"axes", design_keys[d]}, {"points", members[d].size()}, {"ok", ok}, {"metrics", ms}});
  }
  return {{"spec", spec.source}, {"command", spec.command}, {"axes", axes}, {"seed_axis", spec.seed_axis},
          {"metrics", metrics}, {"points", rows}, {"designs", designs}};
}

namespace {

std::string csv_cell(const json& v) {
  if (v.is_null()) return "";
  std::string s;
  if (v.is_string()) {
    s = v.get<std::string>();
  } else if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
    s = buf;
  } else {
    s = v.dump();
  }
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string sweep_results_csv(const json& res) {
  std::vector<std::string> cols = {"kind", "point", "status", "exit_status", "wall_s"};
  for (const json& a : res.at("axes")) cols.push_back(a.get<std::string>());
  for (const json& m : res.at("metrics")) cols.push_back(m.get<std::string>());
  for (const json& m : res.at("metrics")) cols.push_back(m.get<std::string>() + "_std");
  cols.push_back("count");
  std::string out;
  for (size_t c = 0; c < cols.size(); ++c) out += (c ? "," : "") + csv_cell(cols[c]);
  out += "\n";
  const auto row = [&](const std::map<std::string, json>& cells) {
    for (size_t c = 0; c < cols.size(); ++c) {
      const auto it = cells.find(cols[c]);
      out += (c ? "," : "") + (it == cells.end() ? std::string() : csv_cell(it->second));
    }
    out += "\n";
  };
  for (const json& p : res.at("points")) {
    std::map<std::string, json> cells = {{"kind", "point"}, {"point", p.at("point")}, {"status", p.at("status")},
                                         {"exit_status", p.at("exit_status")}, {"wall_s", p.at("wall_s")}};
    for (auto it = p.at("axes").begin(); it != p.at("axes").end(); ++it) cells[it.key()] = *it;
    for (auto it = p.at("metrics").begin(); it != p.at("metrics").end(); ++it) cells[it.key()] = *it;
    row(cells);
  }
  for (const json& d : res.at("designs")) {
    std::map<std::string, json> cells = {{"kind", "design"}, {"status", std::to_string(d.at("ok").get<int>()) + "/" +
                                                                           std::to_string(d.at("points").get<int>()) + " ok"}};
    for (auto it = d.at("axes").begin(); it != d.at("axes").end(); ++it) cells[it.key()] = *it;
    int count = 0;
    for (auto it = d.at("metrics").begin(); it != d.at("metrics").end(); ++it) {
      cells[it.key()] = it->at("mean");
      cells[it.key() + "_std"] = it->at("std");
      count = std::max(count, it->at("count").get<int>());
    }
    cells["count"] = count;
    row(cells);
  }
  return out;
}

void write_sweep_results(const std::string& out_dir, const json& results) {
  io::write_file_atomically((fs::path(out_dir) / "sweep.json").string(), results.dump(2) + "\n");
  io::write_file_atomically((fs::path(out_dir) / "sweep.csv").string(), sweep_results_csv(results));
}

}  // namespace eligo::experiment
