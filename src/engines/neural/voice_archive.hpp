#pragma once
// Unpacking a voice that comes as an archive (sherpa-onnx's packages are .tar.bz2; users also
// have .tar.gz, .tar.xz, .zip) with libarchive. An archive is refused whole, before anything is
// written, when an entry would land outside the folder it is unpacked into (an absolute path, a
// ".." component), is a link or a device, or when it would unpack to more than `max_bytes`:
// nothing a file names may escape the voices folder or fill the disk.
#include "core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace rtts::engines::neural {

// The name of an archive rtts unpacks without its ending ("kokoro-en-v0_19.tar.bz2" ->
// "kokoro-en-v0_19"); empty when `file_name` is not named like one.
std::string voice_archive_stem(const std::string& file_name);

inline constexpr std::uint64_t max_unpacked_bytes = 8ull << 30; // the largest sherpa-onnx package is ~1 GB

// Unpacks `archive` into the existing, empty folder `into`.
result<void> unpack_voice_archive(const std::string& archive, const std::filesystem::path& into, std::uint64_t max_bytes = max_unpacked_bytes);

} // namespace rtts::engines::neural
