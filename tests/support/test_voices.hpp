#pragma once
// The neural test voices (tests/voices/make_test_voices.py, Debian's python3-onnx), generated
// once per test process, and a decoder for the voices that speak in tones: each token id the
// model received sounds at its own frequency, so a test can read back what reached the model.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtts::testing {

// The folder holding voices/ (working voices) and broken/ (voices that would kill their
// process). Generated on first call; throws if the generator fails.
const std::string& test_voices();

// The token ids of a tone voice's audio: one per `samples_per_token` samples (800 at 16 kHz for
// en_US-tones-low, at speed 1), -1 where a window holds no clear tone.
std::vector<int> decode_tone_ids(const std::vector<std::int16_t>& pcm, int sample_rate, int samples_per_token);

// id -> symbol of a tokens.txt.
std::map<int, std::string> read_tokens(const std::string& path);

} // namespace rtts::testing
