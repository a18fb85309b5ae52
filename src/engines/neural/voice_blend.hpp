#pragma once
// Blended voices of a Kokoro or Kitten model: a voice name that mixes the model's speakers,
// written as Kokoro-FastAPI writes it, `af_bella(2)+af_sky(1)`, or as RealtimeTTS does,
// `0.7*af_bella+0.3*af_sky`. rtts mixes the speakers' style vectors itself (weights normalized to
// sum 1) into a voices file of the model's layout whose every speaker is the mix, so the model
// speaks the mix as it would a speaker.
#include "core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtts::engines::neural {

struct blend_part {
  std::string voice; // a voice id: "MODEL/SPEAKER" (a bare speaker takes the model of the part before it)
  double weight = 0; // normalized: the parts sum to 1
};

// Whether `name` is written as a blend at all (it has '+'): then parse_blend says if it is a good one.
bool looks_like_blend(std::string_view name);
// The parts of a blend; an error naming what is wrong (a bad weight, one part, an empty name).
result<std::vector<blend_part>> parse_blend(std::string_view name);

// The style vectors of `speakers` speakers, one block after another, mixed by `parts` (speaker
// index, weight) into one block.
std::vector<float> mix_styles(const std::vector<float>& all, int speakers, const std::vector<std::pair<int, double>>& parts);

} // namespace rtts::engines::neural
