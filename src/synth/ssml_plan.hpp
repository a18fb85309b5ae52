#pragma once
// An SSML document planned for one engine: its runs become fragments, <voice> and <lang> become
// voices of that engine, prosody and emphasis become speed, pitch and gain, breaks pauses.
#include "core/speech_options.hpp"
#include "ssml/ssml_parser.hpp"
#include "synth/speech_plan.hpp"
#include "worker/protocol.hpp"

namespace rtts::synth {

// `voice` is the request's resolved voice; `info` its engine's catalogue. A voice switch stays
// within the engine (a voice of another rate is resampled to the stream's); a language without
// a voice keeps the current one.
result<speech_plan> plan_ssml(std::string_view document, const voice_options& voice, const worker::worker_hello& info,
                              const text::segmenter_policy& policy, const ssml::limits& limits, const ssml::lexicon_set* lexicons = nullptr);

} // namespace rtts::synth
