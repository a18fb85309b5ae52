#pragma once
// `rtts voices pull ID...` and `rtts voices list --available`: Piper voices from a catalogue
// (Piper's voices.json, engines/neural/piper_catalogue.hpp), fetched over HTTPS with
// certificate verification (or read from a local mirror), downloaded into a hidden folder of
// the voices folder, resumed with HTTP Range after an interruption, checked against the
// catalogue's sizes and MD5 digests, and only then installed (voice_install.hpp: checked again,
// renamed into place). Two pulls of one voice at once download it once (a lock per voice).
#include <string>
#include <vector>

namespace rtts::app {

// Piper's catalogue; the voice files are named relative to it.
inline constexpr const char* default_catalog_url = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/voices.json";

struct pull_options {
  std::vector<std::string> folders; // --voices-dir; pulls install into the first
  std::string catalog_url = default_catalog_url; // https://..., http://..., or a local file (a mirror: files beside it)
  std::string cache_dir;            // where the last catalogue fetched is kept (used when the network is not there)
  bool json = false;
  bool progress_json = false; // pull: progress and outcome as JSON lines on stdout (for the server's pull route)
};

int voices_pull(const pull_options& o, const std::vector<std::string>& ids);
int voices_available(const pull_options& o);

} // namespace rtts::app
