#pragma once
// Upstream Piper voices (X.onnx + X.onnx.json, as Piper's releases ship them): sherpa-onnx needs
// metadata in the model and a tokens.txt, which rtts makes itself from the JSON, into a cached
// copy; the user's files are never modified.
#include "core/error.hpp"
#include "engines/neural/onnx_metadata.hpp"
#include "engines/neural/voice_catalogue.hpp"

#include <string>
#include <vector>

namespace rtts::engines::neural {

// What an upstream Piper .onnx.json makes of a voice: the metadata entries sherpa-onnx needs and
// the tokens.txt text from its phoneme map. Errors name what the JSON lacks.
struct piper_conversion {
  onnx_metadata metadata;
  std::string tokens;
  std::vector<std::string> speakers;
};
result<piper_conversion> convert_piper_json(const std::string& json_text);

// Writes the converted copy of an upstream Piper voice into `cache_dir` (never beside the user's
// files, which stay untouched) and points `voice` at it. Written under a temporary name and
// renamed, so two workers converting at once both end with a whole copy.
result<void> materialize_piper_voice(neural_voice& voice, const std::string& cache_dir);

} // namespace rtts::engines::neural
