#include "harness/commands/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace eligo::harness {

std::string format_duration(double s) {
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) % 3600) / 60);
  }
  return buf;
}

std::function<void(const fl::IterationLog&)> training_progress(Progress& progress, int log_every,
                                                               int iterations) {
  return [&progress, log_every, iterations](const fl::IterationLog& e) {
    const int done = e.iteration + 1;
    if (done % log_every != 0 && done != iterations) return;
    char buf[128];
    if (e.accuracy >= 0) {
      std::snprintf(buf, sizeof buf, "loss %.4g acc %.3f rate %.1f Hz", e.loss, e.accuracy, e.rate_hz);
    } else {
      std::snprintf(buf, sizeof buf, "loss %.4g rate %.1f Hz", e.loss, e.rate_hz);
    }
    progress.update(done, buf);
  };
}

experiment::Observer loop_progress(const std::string& label, const experiment::Schedule& s) {
  auto train = std::make_shared<Progress>(label + " train", s.iterations);
  auto test = std::make_shared<Progress>(label + " test", s.test_batches);
  experiment::Observer o;
  o.on_batch = [train, test, s](bool is_train, int i, const experiment::Tally& t) {
    if (is_train) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "loss %.3f acc %.3f", t.mean_loss(), t.accuracy());
      train->update(i + 1, buf);
      if (i + 1 == s.iterations) train->finish();
    } else {
      test->update(i + 1, "");
      if (i + 1 == s.test_batches) test->finish();
    }
  };
  return o;
}

bool Progress::on_terminal() { return isatty(STDERR_FILENO) && std::getenv("CI") == nullptr; }

Progress::Progress(std::string label, long total)
    : label_(std::move(label)), total_(total), enabled_(on_terminal()),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(long done, const std::string& what) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = done > 0 ? elapsed * double(total_ - done) / double(done) : 0.0;
  std::fprintf(stderr, "\r\033[K[%s] %ld/%ld  %s  elapsed %s  ETA %s", label_.c_str(), done,
               total_, what.c_str(), format_duration(elapsed).c_str(),
               done > 0 ? format_duration(eta).c_str() : "?");
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\n");
    drawn_ = false;
  }
}

}  // namespace eligo::harness
