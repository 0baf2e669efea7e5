// A batch of input sequences and targets, the common currency of tasks, files and learners.
//
// Stored layout (time-major, so the B columns of one step are contiguous):
//   x:      n_in  x (T*B), column t*B + b is the input of sequence b at step t (spike counts, 0/1)
//   target: n_out x (T*B), regression targets, or one-hot class targets (classification)
//   labels: B class indices (classification), empty for regression
// A batch can instead be *streamed*: x and target stay empty and `stream` makes a generator that
// produces the steps in time order, so memory does not grow with T (e-prop needs nothing else).
// Learners read either kind through StepReader.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <vector>

namespace eligo::tasks {

// Writes step t of every sequence: x_t (n_in x B) and target_t (n_out x B). Called with
// t = 0, 1, ..., T-1 in order, once each.
using StepGenerator = std::function<void(int t, Eigen::MatrixXd& x_t, Eigen::MatrixXd& target_t)>;

struct Batch {
  int T = 0;
  int B = 0;
  Eigen::MatrixXd x;
  Eigen::MatrixXd target;
  std::vector<int> labels;
  // Streamed batches only: a fresh generator per pass, and the sizes.
  std::function<StepGenerator()> stream;
  int stream_n_in = 0;
  int stream_n_out = 0;

  bool streamed() const { return static_cast<bool>(stream); }
  int n_in() const { return streamed() ? stream_n_in : static_cast<int>(x.rows()); }
  int n_out() const { return streamed() ? stream_n_out : static_cast<int>(target.rows()); }
  // Stored batches only: the B columns of step t.
  auto x_at(int t) const { return x.middleCols(static_cast<Eigen::Index>(t) * B, B); }
  auto target_at(int t) const { return target.middleCols(static_cast<Eigen::Index>(t) * B, B); }
};

// One pass over the steps of a batch, stored or streamed: read(0), read(1), ... read(T-1).
class StepReader {
 public:
  explicit StepReader(const Batch& batch);
  void read(int t);
  const Eigen::MatrixXd& x() const { return x_; }
  const Eigen::MatrixXd& target() const { return target_; }

 private:
  const Batch& batch_;
  StepGenerator generate_;
  int next_ = 0;
  Eigen::MatrixXd x_, target_;
};

// The host's target encoding: every target value t (one-hot 1 / 0 for classes) becomes
// off + (on - off) t, e.g. +-0.5 for on = 0.5, off = -0.5. Stored batches only.
void encode_targets(Batch& batch, double off, double on);

// All steps of a streamed batch, stored (a stored batch is returned as it is).
Batch materialize(const Batch& batch);

}  // namespace eligo::tasks
