#pragma once
// Piper's voice catalogue (rhasspy/piper-voices' voices.json): which voices there are, and for
// each the model and config files with their sizes and MD5 digests, paths relative to the
// catalogue's own location. Parsing only; `rtts voices pull` downloads (src/app/voice_pull.hpp).
// A voice whose two files lack a size or digest is left out: what rtts cannot verify, it does not
// install.
#include "core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::engines::neural {

struct catalogue_file {
  std::string path; // relative to the catalogue, e.g. "en/en_US/amy/medium/en_US-amy-medium.onnx"
  std::string name; // the file name it is saved under: "<id>.onnx" or "<id>.onnx.json"
  std::uint64_t size = 0;
  std::string md5;    // lower-case hex; or
  std::string sha256; // (sherpa_release_catalogue.hpp)
  std::string url;    // where it is when not beside the catalogue (an absolute https URL)
};

struct catalogue_voice {
  std::string id;       // "en_US-amy-medium"
  std::string engine = "piper";
  std::string language; // "en-us"; empty when the catalogue does not say
  std::string quality;  // "x_low", "low", "medium", "high"; empty when the catalogue does not say
  int speakers = 1;     // 0: the catalogue does not say
  std::vector<catalogue_file> files; // the model, then its config; or one archive of a package
  std::uint64_t bytes() const;
};

// Whether `id` can name a catalogue voice: letters, digits, '_', '-', '.', starting with a letter
// or digit (never an option, a hidden file or a path), at most 200 bytes. Also a safe folder name.
bool is_catalogue_id(std::string_view id);

// The verifiable voices of a voices.json, sorted by id; an error if it is not such a document.
result<std::vector<catalogue_voice>> parse_piper_catalogue(std::string_view json);

} // namespace rtts::engines::neural
