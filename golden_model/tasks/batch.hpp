// A batch of input sequences and targets, the common currency of tasks, files and learners.
//
// Layout (time-major, so the B columns of one step are contiguous):
//   x:      n_in  x (T*B), column t*B + b is the input of sequence b at step t (spike counts, 0/1)
//   target: n_out x (T*B), regression targets, or one-hot class targets (classification)
//   labels: B class indices (classification), empty for regression
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace eligo::tasks {

struct Batch {
  int T = 0;
  int B = 0;
  Eigen::MatrixXd x;
  Eigen::MatrixXd target;
  std::vector<int> labels;

  int n_in() const { return static_cast<int>(x.rows()); }
  int n_out() const { return static_cast<int>(target.rows()); }
  // The B columns of step t.
  auto x_at(int t) const { return x.middleCols(static_cast<Eigen::Index>(t) * B, B); }
  auto target_at(int t) const { return target.middleCols(static_cast<Eigen::Index>(t) * B, B); }
};

}  // namespace eligo::tasks
