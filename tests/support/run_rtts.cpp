#include "run_rtts.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#ifndef RTTS_BINARY
#error "RTTS_BINARY must name the rtts binary"
#endif

namespace rtts::testing {

run_result run_rtts(const std::string& args, const std::string& stdin_text) {
  static std::atomic<int> runs{0}; // several may run at once
  std::string base = "/tmp/rtts-cli-" + std::to_string(::getpid()) + "-" + std::to_string(runs++);
  std::ofstream(base + ".in") << stdin_text;
  std::string command = std::string(RTTS_BINARY) + " " + args + " < " + base + ".in > " + base + ".out 2> " + base + ".err";
  int raw = std::system(command.c_str());
  run_result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  for (auto ext : {".in", ".out", ".err"}) std::remove((base + ext).c_str());
  return r;
}

} // namespace rtts::testing
