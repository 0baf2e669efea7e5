// The option parsing every command starts with: parse, print the help and stop on --help, then
// check required options (boost::program_options errors are reported by main()).
#pragma once

#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace eligo::harness {

// Fills vm from args; prints d and returns false on --help.
inline bool parse_options(const std::vector<std::string>& args, const boost::program_options::options_description& d,
                          boost::program_options::variables_map& vm) {
  boost::program_options::store(boost::program_options::command_line_parser(args).options(d).run(), vm);
  if (vm.count("help")) {
    std::cout << d;
    return false;
  }
  boost::program_options::notify(vm);
  return true;
}

}  // namespace eligo::harness
