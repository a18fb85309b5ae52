#pragma once
// Small file helpers shared by the voice catalogue and the Piper conversion.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rtts::engines::neural {

// The size of a file, 0 if it cannot be read.
std::uint64_t size_of(const std::filesystem::path& p);
// A whole file as bytes ("" if it cannot be read).
std::string read_text(const std::filesystem::path& p);
// One Unicode character of valid UTF-8: what a token symbol must be.
bool one_character(const std::string& s);
// Speaker names for a model that names none: "0", "1", ...
std::vector<std::string> numbered_speakers(int n);

} // namespace rtts::engines::neural
