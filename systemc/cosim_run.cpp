#include "systemc/cosim_run.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "golden_model/experiment/report.hpp"
#include "systemc/cosim.hpp"
#include "systemc/rtl_models.hpp"
#include "systemc/stimulus.hpp"

namespace eligo::cosim {

using nlohmann::json;

namespace {

// The accuracy and loss of a set of samples on the RTL and on the model.
json score_json(const experiment::Tally& t) {
  return {{"samples", t.n}, {"rtl", {{"accuracy", t.accuracy()}, {"loss", t.mean_loss()}}},
          {"model", {{"accuracy", t.ref_accuracy()}, {"loss", t.ref_mean_loss()}}}};
}

}  // namespace

experiment::Schedule cosim_schedule(const experiment::ChipRun& r, const RunOptions& o) {
  experiment::Schedule sc = experiment::chip_schedule(r);
  if (o.iterations >= 0) sc.iterations = o.iterations;
  if (!r.train) sc.test_batches = 1;
  sc.test_samples = r.train ? o.test_samples : o.samples;
  return sc;
}

RunResult run_cosim(const experiment::ChipRun& r, const experiment::ChipSetup& setup, const RunOptions& o,
                    const experiment::Observer& observer) {
  chip::Core model = chip::make_core(setup.image);
  RunResult res;
  const experiment::Schedule sc = cosim_schedule(r, o);
  with_engine(o.engine, setup.image.sizes, [&](Engine& rtl) {
    Cosim c(rtl, model);
    TraceWindow trace(o.trace, o.trace_from);
    if (o.trace_from >= 0) c.add_hook(trace);
    FaultInjector injector(o.faults);
    c.add_hook(injector);
    StimulusRecorder recorder;
    if (!o.record.empty()) c.add_hook(recorder);
    ActivityCounter activity;
    if (o.engine == kActivityEngine) c.add_hook(activity);
    const auto t0 = std::chrono::steady_clock::now();
    c.configure();
    std::optional<experiment::TrainTestResult> resumed;
    if (o.resume) {
      resumed = experiment::read_chip_checkpoint(o.checkpoint, o.checkpoint_id, c);
      if (o.announce_resume) {
        std::cout << "resumed from " << o.checkpoint << " after " << resumed->curve.size() << " batches" << std::endl;
      }
    }
    experiment::Observer obs = observer;
    if (o.checkpoint_every > 0) {
      obs.after_train_batch = [&](const experiment::TrainTestResult& so_far) {
        if (observer.after_train_batch) observer.after_train_batch(so_far);
        const int done = static_cast<int>(so_far.curve.size());
        if (c.ok() && done % o.checkpoint_every == 0 && done < sc.iterations) {
          experiment::write_chip_checkpoint(o.checkpoint, o.checkpoint_id, so_far, c.save_state());
        }
      };
    }
    const experiment::TrainTestResult tt = experiment::train_test(c, setup.run.train_batch, setup.run.test_batch, sc,
                                                                  obs, resumed ? &*resumed : nullptr);
    if (r.train) {
      for (size_t it = 0; it < tt.curve.size(); ++it) {
        json e = score_json(tt.curve[it]);
        e["iteration"] = it;
        res.learning_curve.push_back(e);
      }
      res.test = score_json(tt.test);
      res.wall_s_per_train_sample = tt.train.wall_s / std::max(1, tt.train.n);
    }
    res.neurobench = experiment::neurobench_json(model, tt);
    if (c.ok()) c.check_counters();
    c.finish();
    if (!o.record.empty()) write_stimulus(o.record, recorder.inputs());
    res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    res.mismatch = c.first_mismatch();
    res.stats = c.stats();
    res.rtl_cycles = rtl.cycles();
    res.toggles = activity.toggles();
  });
  if (res.toggles) res.counts = energy::counts_of(model);
  res.counters = experiment::counters_json(model, /*per_memory=*/false);
  return res;
}

json mismatch_json(const Mismatch& m) {
  return {{"kind", to_string(m.kind)}, {"timestep", m.timestep}, {"cycle", m.cycle},       {"phase", m.phase},
          {"unit", m.unit},
          {"memory", m.memory},     {"address", m.address},   {"expected", m.expected}, {"actual", m.actual},
          {"detail", m.detail}};
}

json report_json(const std::string& config, const std::string& engine, const experiment::ChipRun& r,
                 const RunResult& res, const std::vector<std::string>& faults, const json& waveform) {
  json report = {{"config", config},
                 {"engine", engine},
                 {"timesteps", res.stats.timesteps},
                 {"cycles", experiment::cycles_json(res.stats.phase_cycles)},
                 {"rtl_cycles", res.rtl_cycles},
                 {"mismatches", res.mismatch ? 1 : 0},
                 {"first_mismatch", res.mismatch ? mismatch_json(*res.mismatch) : json(nullptr)},
                 {"writes_compared", res.stats.writes_compared},
                 {"words_compared", res.stats.words_compared},
                 {"write_hash", res.stats.write_hash.hex()},
                 {"counters", res.counters},
                 {"neurobench", res.neurobench},
                 {"wall_s", res.wall_s},
                 {"sim_cycles_per_s", res.wall_s > 0 ? static_cast<double>(res.rtl_cycles) / res.wall_s : 0.0},
                 {"waveform", waveform},
                 {"faults", faults},
                 {"mode", r.train ? "train" : "inference"}};
  if (r.train) {
    report["learning_curve"] = res.learning_curve;
    report["test"] = res.test;
    report["wall_s_per_train_sample"] = res.wall_s_per_train_sample;
  }
  return report;
}

}  // namespace eligo::cosim
