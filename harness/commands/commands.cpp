// The list of eligo subcommands, in the order `eligo --help` shows them.
#include "harness/commands/commands.hpp"

namespace eligo::harness {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"train", "train the float reference (BPTT or e-prop) on a task", cmd_train},
      {"grad", "one forward/backward pass; write the gradients to grads.npz", cmd_grad},
      {"chip", "run a task on the bit-exact chip model (inference or training)", cmd_chip},
#ifdef ELIGO_HAVE_COSIM
      {"cosim", "co-simulate the RTL in lock-step with the bit-exact model (report.json)", cmd_cosim},
#endif
      {"report", "energy, latency and cycles of a run as report.md with PNG plots", cmd_report},
      {"quantize", "map a float network to chip registers and memories; quantisation errors", cmd_quantize},
      {"compare", "float vs digital vs analog core on one task: compare.json, compare.md", cmd_compare},
      {"sweep", "run a spec's points (axes x seeds) in parallel; sweep.csv, sweep.json", cmd_sweep},
  };
  return list;
}

}  // namespace eligo::harness
