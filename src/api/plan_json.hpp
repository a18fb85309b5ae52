#pragma once
// /normalize: what each engine call of an utterance will receive, after SSML, segmentation and
// normalization, and where every piece of it came from in the client's text. Users debug
// pronunciations with it; the tests check the per-language rules through it.
#include "api/tts_query.hpp"
#include "synth/speech_plan.hpp"

#include <string>
#include <string_view>

namespace rtts::api {

// A POST body {"text" (or "input"), "engine", "voice", "ssml", "normalize", "offset_units"} as
// the query parameters GET /normalize takes (strings, numbers and booleans; other types are a 400).
result<parsed_target> params_from_json(std::string_view body);

// {"engine","voice","fragments":[{"text","written","voice","language","offset","length",
// "pieces":[{"text","offset","length","rewritten"}]}]}; offsets and lengths into the client's
// text in `units`. A piece is a stretch of the engine's text: copied as written, or one rewrite.
std::string plan_json(const synth::speech_plan& plan, const voice_options& voice, offset_unit units);

} // namespace rtts::api
