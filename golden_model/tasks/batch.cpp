#include "golden_model/tasks/batch.hpp"

#include <stdexcept>
#include <string>

namespace eligo::tasks {

StepReader::StepReader(const Batch& batch) : batch_(batch) {
  if (batch.streamed()) generate_ = batch.stream();
  x_.setZero(batch.n_in(), batch.B);
  target_.setZero(batch.n_out(), batch.B);
}

void StepReader::read(int t) {
  if (t != next_ || t >= batch_.T) {
    throw std::logic_error("StepReader: steps must be read in order 0.." +
                           std::to_string(batch_.T - 1) + ", expected " + std::to_string(next_) +
                           ", got " + std::to_string(t));
  }
  ++next_;
  if (generate_) {
    generate_(t, x_, target_);
  } else {
    x_ = batch_.x_at(t);
    target_ = batch_.target_at(t);
  }
}

void encode_targets(Batch& batch, double off, double on) {
  if (batch.streamed()) throw std::invalid_argument("encode_targets: the batch is streamed");
  batch.target = (batch.target.array() * (on - off) + off).matrix();
}

Batch materialize(const Batch& batch) {
  if (!batch.streamed()) return batch;
  Batch out;
  out.T = batch.T;
  out.B = batch.B;
  out.labels = batch.labels;
  out.x.resize(batch.n_in(), Eigen::Index(batch.T) * batch.B);
  out.target.resize(batch.n_out(), Eigen::Index(batch.T) * batch.B);
  StepReader reader(batch);
  for (int t = 0; t < batch.T; ++t) {
    reader.read(t);
    out.x.middleCols(Eigen::Index(t) * batch.B, batch.B) = reader.x();
    out.target.middleCols(Eigen::Index(t) * batch.B, batch.B) = reader.target();
  }
  return out;
}

}  // namespace eligo::tasks
