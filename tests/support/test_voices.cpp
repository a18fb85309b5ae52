#include "test_voices.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#ifndef RTTS_SOURCE_DIR
#error "RTTS_SOURCE_DIR must name the source tree"
#endif

namespace rtts::testing {

namespace {
// The scheme of make_test_voices.py: token id i sounds at (i + first_bin) * bin_hz.
constexpr double bin_hz = 20;
constexpr int first_bin = 10;
constexpr int max_id = 300;
} // namespace

const std::string& test_voices() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/rtts-test-voices-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    std::string out = pattern;
    // Debian's interpreter, which has python3-onnx (a pyenv or venv python on PATH may not).
    std::string command = "/usr/bin/python3 " RTTS_SOURCE_DIR "/tests/voices/make_test_voices.py " + out;
    if (std::system(command.c_str()) != 0) throw std::runtime_error("generating the test voices failed: " + command);
    return out;
  }();
  // Removed when the test process ends.
  static const struct remover {
    ~remover() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup;
  (void)cleanup;
  return dir;
}

std::vector<int> decode_tone_ids(const std::vector<std::int16_t>& pcm, int rate, int n) {
  std::vector<int> ids;
  for (std::size_t at = 0; at + static_cast<std::size_t>(n) <= pcm.size(); at += static_cast<std::size_t>(n)) {
    // Goertzel's algorithm at each candidate bin: the strongest is the token.
    double best = 0, total = 0;
    int best_id = -1;
    for (int i = 0; i < n; ++i) total += static_cast<double>(pcm[at + i]) * pcm[at + i];
    for (int id = 0; id <= max_id; ++id) {
      double f = (id + first_bin) * bin_hz;
      if (f >= rate / 2.0) break;
      double w = 2 * M_PI * f / rate, c = 2 * std::cos(w), s1 = 0, s2 = 0;
      for (int i = 0; i < n; ++i) {
        double s0 = pcm[at + i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      double power = s1 * s1 + s2 * s2 - c * s1 * s2;
      if (power > best) best = power, best_id = id;
    }
    // A pure tone holds half of the window's energy times n in its bin; noise or a mix does not.
    ids.push_back(total > 0 && best > 0.4 * total * n / 2 ? best_id : -1);
  }
  return ids;
}

std::map<int, std::string> read_tokens(const std::string& path) {
  std::map<int, std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[std::stoi(line.substr(space + 1))] = space == 0 ? " " : line.substr(0, space);
  }
  return out;
}

} // namespace rtts::testing
