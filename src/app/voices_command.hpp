#pragma once
// `rtts voices list | import | rm`: the neural voices installed in the voices folders, managed
// from the files (no server needed; a running server sees the change by itself). `rtts voices`
// alone still lists a server's voices (client_commands.hpp).
#include <cstdint>
#include <string>
#include <vector>

namespace rtts::app {

struct voice_folder_options {
  std::vector<std::string> folders; // --voices-dir, as for `rtts serve`; empty = RTTS_VOICES_DIRS or the default
  bool json = false;
};

// The voices folders a command works on: those given (--voices-dir), else RTTS_VOICES_DIRS or
// the default, as for `rtts serve`.
std::vector<std::string> voice_folders(const std::vector<std::string>& given);
// A size as users read it: "63.2 MB".
std::string megabytes(std::uint64_t bytes);

int voices_list(const voice_folder_options& o);
int voices_import(const voice_folder_options& o, const std::vector<std::string>& paths);
int voices_remove(const voice_folder_options& o, const std::vector<std::string>& ids);

} // namespace rtts::app
