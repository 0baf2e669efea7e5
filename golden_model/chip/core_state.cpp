// Core::save_state / restore_state: the whole state between two commands, for checkpoints.
#include "golden_model/chip/bytes.hpp"
#include "golden_model/chip/core.hpp"

namespace eligo::chip {

static_assert(std::is_trivially_copyable_v<Regs>);
static_assert(std::is_trivially_copyable_v<Status>);

std::string Core::save_state() const {
  ByteWriter w;
  for (int v : {sizes_.n_in, sizes_.n_rec, sizes_.n_out, sizes_.n_alif, sizes_.lanes}) w.put(v);
  w.put(regs_);
  w.put(counters_.value);
  w.put(status_);
  w.put(last_cycles_);
  std::vector<uint32_t> lfsrs;
  for (const Lfsr& l : lfsr_upd_) lfsrs.push_back(l.state());
  w.put_vector(lfsrs);
  w.put(lfsr_rwr_.state());
  w.put_vector(acc_);
  w.put_vector(in_count_);
  w.put_vector(prev_spikes_);
  w.put_vector(err_);
  w.put(active_in_);
  w.put(active_rec_);
  w.put(apb_target_);
  w.put(apb_target_valid_);
  for (const auto& m : mems_) {
    w.put_vector(m->words());
    w.put(m->reads());
    w.put(m->writes());
  }
  return w.bytes();
}

void Core::restore_state(const std::string& bytes) {
  ByteReader r(bytes);
  for (int v : {sizes_.n_in, sizes_.n_rec, sizes_.n_out, sizes_.n_alif, sizes_.lanes}) {
    if (r.get<int>() != v) throw std::invalid_argument("core state: of a core of other sizes");
  }
  auto same_size = [](const auto& v, size_t n, const char* what) {
    if (v.size() != n) throw std::invalid_argument(std::string("core state: ") + what + " of another size");
    return v;
  };
  const Regs regs = r.get<Regs>();
  const auto counters = r.get<decltype(counters_.value)>();
  const Status status = r.get<Status>();
  const auto last_cycles = r.get<decltype(last_cycles_)>();
  const auto lfsrs = same_size(r.get_vector<uint32_t>(), lfsr_upd_.size(), "update LFSRs");
  const uint32_t rwr = r.get<uint32_t>();
  const auto acc = same_size(r.get_vector<int64_t>(), acc_.size(), "ACC");
  const auto in_count = same_size(r.get_vector<int>(), in_count_.size(), "input counts");
  const auto prev_spikes = r.get_vector<int>();
  const auto err = same_size(r.get_vector<int64_t>(), err_.size(), "ERR");
  const int64_t active_in = r.get<int64_t>(), active_rec = r.get<int64_t>();
  const auto apb_target = r.get<decltype(apb_target_)>();
  const bool apb_target_valid = r.get<bool>();
  std::vector<std::vector<uint64_t>> words;
  std::vector<std::pair<uint64_t, uint64_t>> counts;
  for (const auto& m : mems_) {
    words.push_back(same_size(r.get_vector<uint64_t>(), m->words().size(), m->name()));
    const uint64_t reads = r.get<uint64_t>();
    counts.emplace_back(reads, r.get<uint64_t>());
  }
  if (r.left() != 0) throw std::invalid_argument("core state: " + std::to_string(r.left()) + " bytes after the end");
  for (int s : prev_spikes) {
    if (s < 0 || s >= sizes_.n_rec) throw std::invalid_argument("core state: a spike of neuron " + std::to_string(s));
  }
  // Everything read and checked: now the core changes.
  regs_ = regs;
  if (!sizes_.synapse_traces) regs_.trc_fact = true;
  counters_.value = counters;
  status_ = status;
  last_cycles_ = last_cycles;
  for (size_t l = 0; l < lfsrs.size(); ++l) lfsr_upd_[l] = Lfsr(lfsrs[l]);
  lfsr_rwr_ = Lfsr(rwr);
  acc_ = acc;
  in_count_ = in_count;
  prev_spikes_ = prev_spikes;
  err_ = err;
  active_in_ = active_in;
  active_rec_ = active_rec;
  apb_target_ = apb_target;
  apb_target_valid_ = apb_target_valid;
  for (size_t m = 0; m < mems_.size(); ++m) mems_[m]->restore(words[m], counts[m].first, counts[m].second);
}

}  // namespace eligo::chip
