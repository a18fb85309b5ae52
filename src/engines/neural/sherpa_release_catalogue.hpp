#pragma once
// sherpa-onnx's released voice packages as a catalogue: the GitHub release that holds them
// (k2-fsa/sherpa-onnx, tag tts-models), read from GitHub's API. Each asset is one package, a
// .tar.bz2 of one folder; GitHub computes a SHA-256 digest of every asset uploaded since mid-2025
// and reports it with the asset's size. Only packages with such a digest, of an engine rtts runs
// from a package alone, are offered: Kokoro (kokoro-*), Kitten (kitten-*) and sherpa-onnx's Piper
// conversions (vits-piper-*). Matcha packages need a vocoder from another release and are left
// out. What rtts cannot verify, it does not install.
#include "engines/neural/piper_catalogue.hpp"

namespace rtts::engines::neural {

inline constexpr const char* sherpa_release_url = "https://api.github.com/repos/k2-fsa/sherpa-onnx/releases/tags/tts-models";

// Whether a catalogue document is a GitHub release (an object with "assets") or its asset list
// (an array), rather than Piper's voices.json.
bool is_release_document(std::string_view json);

// The verifiable packages of a release (or of its asset list), sorted by id; an error if it is
// neither.
result<std::vector<catalogue_voice>> parse_sherpa_release(std::string_view json);

} // namespace rtts::engines::neural
