// Starting external programs (the report plotter): always from an argument vector through
// posix_spawn, never a shell string, so that no user string (a path, a file name) is ever
// interpreted by a shell (issue 16: `eligo report 'run;touch X;#'` ran the hidden command).
#pragma once

#include <string>
#include <vector>

namespace eligo::harness {

// Runs argv[0] (an absolute path; no PATH search) with arguments argv[1..], stdout and stderr
// to /dev/null when `quiet`, and waits for it. Returns its exit status, or -1 if it could not be
// started or did not exit normally.
int run_program(const std::vector<std::string>& argv, bool quiet);

}  // namespace eligo::harness
