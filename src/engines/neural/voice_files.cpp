#include "engines/neural/voice_files.hpp"

#include "text/utf8.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

std::uint64_t size_of(const fs::path& p) {
  std::error_code ec;
  auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool one_character(const std::string& s) { return text::is_valid_utf8(s) && text::count_code_points(s) == 1; }

std::vector<std::string> numbered_speakers(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < std::max(1, n); ++i) out.push_back(std::to_string(i));
  return out;
}

} // namespace rtts::engines::neural
