// eligo: verification and estimation platform for a neuromorphic learning chip.
#include <boost/program_options/errors.hpp>
#include <cstring>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "golden_model/io/config.hpp"
#include "golden_model/io/npy.hpp"
#include "harness/commands/commands.hpp"

namespace {

void usage(std::ostream& os) {
  os << "usage: eligo <command> [options]   (eligo <command> --help for its options)\n\n"
        "commands:\n";
  for (const auto& c : eligo::harness::commands()) {
    os << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
      std::string(argv[1]) == "help") {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  for (const auto& c : eligo::harness::commands()) {
    if (name != c.name) continue;
    const std::vector<std::string> args(argv + 2, argv + argc);
    try {
      return c.run(args);
    } catch (const boost::program_options::error& e) {
      std::cerr << "eligo " << name << ": error: " << e.what() << " (see eligo " << name
                << " --help)\n";
      return 2;
    } catch (const eligo::harness::UsageError& e) {
      std::cerr << "eligo " << name << ": error: " << e.what() << "\n";
      return 2;
    } catch (const std::bad_alloc&) {
      // The readers bound what they allocate from file contents (issue 16); this is the last resort.
      std::cerr << "eligo " << name << ": error: out of memory (the run or its inputs are larger than this machine holds)\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "eligo " << name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "eligo: unknown command '" << name << "'\n";
  usage(std::cerr);
  return 2;
}
