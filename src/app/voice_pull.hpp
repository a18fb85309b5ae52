#pragma once
// `rtts voices pull ID...` and `rtts voices list --available`: voices from catalogues (Piper's
// voices.json, engines/neural/piper_catalogue.hpp; sherpa-onnx's release of packages,
// engines/neural/sherpa_release_catalogue.hpp), fetched over HTTPS with certificate
// verification (or read from a local mirror), downloaded into a hidden folder of the voices
// folder, resumed with HTTP Range after an interruption, checked against the catalogue's sizes
// and digests (MD5 for Piper's files, SHA-256 for packages), and only then installed
// (voice_install.hpp: unpacked, checked again, renamed into place). Two pulls of one voice at
// once download it once (a lock per voice).
#include <string>
#include <vector>

namespace rtts::app {

// Piper's catalogue; the voice files are named relative to it.
inline constexpr const char* piper_catalog_url = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/voices.json";

struct pull_options {
  std::vector<std::string> folders; // --voices-dir; pulls install into the first
  // https://..., http://..., or local files (a mirror: files beside it); the first that offers a
  // voice is where it comes from. Empty: Piper's, then sherpa-onnx's.
  std::vector<std::string> catalog_urls;
  std::string cache_dir;            // where the last catalogue fetched is kept (used when the network is not there)
  bool json = false;
  bool progress_json = false; // pull: progress and outcome as JSON lines on stdout (for the server's pull route)
};

int voices_pull(const pull_options& o, const std::vector<std::string>& ids);
int voices_available(const pull_options& o);

} // namespace rtts::app
