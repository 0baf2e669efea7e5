// The list of eligo subcommands, in the order `eligo --help` shows them.
#include "harness/commands/commands.hpp"

namespace eligo::harness {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"train", "train the float reference (BPTT or e-prop) on a task", cmd_train},
      {"grad", "one forward/backward pass; write the gradients to grads.npz", cmd_grad},
  };
  return list;
}

}  // namespace eligo::harness
