#pragma once
// Runs the real `rtts` binary with arguments, as a user at a shell would, and collects what it
// printed and how it exited.
#include <string>

namespace rtts::testing {

struct run_result {
  int status = -1; // exit code, or -1 for a signal (a crash)
  std::string out, err;
};

// `args` as a shell reads them; `stdin_text` is the command's standard input.
run_result run_rtts(const std::string& args, const std::string& stdin_text = "");

} // namespace rtts::testing
