#pragma once
// The neural voices installed in the voices folders (--voices-dir), read from their files alone:
// no runtime, no session. A voice is
//   - a folder with a model, tokens.txt and what its family needs besides (Kokoro and Kitten a
//     voices.bin, Matcha a vocoder), as sherpa-onnx's released packages are laid out, or
//   - an upstream Piper voice, X.onnx next to X.onnx.json (in the voices folder or a folder of
//     its own), which rtts converts into a cached copy when it first loads it.
// Checks that need no runtime are made here: the metadata and token files whose faults would
// end the process that loads them (../shared/NOTES.md) mark the voice broken, with the reason.
#include "core/error.hpp"
#include "engines/neural/onnx_metadata.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rtts::engines::neural {

enum class family { piper, kokoro, matcha, kitten };
const char* family_name(family f);
bool family_from_name(const std::string& name, family& out);

struct neural_voice {
  std::string id;       // folder name or file stem; unique within its family
  family kind = family::piper;
  std::string language; // lower case, e.g. "en-us"
  int sample_rate = 0;
  std::vector<std::string> speakers; // index = speaker id; names from the voice's own metadata, else "0", "1"...
  std::string espeak_voice;          // phonemizer voice, e.g. "en-us"
  std::string source;                // what the user installed (folder or .onnx file)
  std::string model, tokens, voices, vocoder, lexicon, data_dir;
  std::string piper_json; // an upstream Piper voice's .onnx.json: converted on first load
  std::uint64_t bytes = 0; // its files together: roughly what holding it loaded costs
  std::string broken;      // why it cannot be used; empty = usable
};

// Every voice of every folder, sorted by id; folders that do not exist are skipped. `data_dir`
// is the espeak-ng-data a voice without its own uses.
std::vector<neural_voice> scan_voice_folders(const std::vector<std::string>& folders, const std::string& data_dir);

// What changes when a voice is installed, removed or replaced in `folders`: every file's path,
// size and modification time two levels deep (a voice is a file or a folder of files). Cheap
// enough to take every few seconds.
std::string voice_folders_state(const std::vector<std::string>& folders);

// The espeak-ng-data of this system (Debian's espeak-ng-data package), or "" if there is none.
std::string system_espeak_data();

// A tokens.txt as sherpa-onnx reads it: "SYMBOL ID" lines (a lone ID is the space), one code point
// per symbol, no symbol twice; `required` symbols must be there. The error says which line.
result<void> check_tokens_file(const std::string& path, const std::string& required);

// The language tag of an espeak voice or language name ("en-us", "English" -> "en").
std::string language_tag(const onnx_metadata& metadata);

} // namespace rtts::engines::neural
