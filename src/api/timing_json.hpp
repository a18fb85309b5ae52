#pragma once
// Timing events on the wire, and the request options that ask for them.
//
//   {"type":"word","text":"Hello","offset":0,"length":5,"start":0.051,"end":0.372}
//   {"type":"sentence","text":"Hello world.","offset":0,"length":12,"start":0.0}
//   {"type":"mark","name":"here","offset":13,"start":0.61}
//
// offset/length count the client's text (code points unless asked otherwise; an SSML request
// counts its document); start/end are seconds of the stream's audio. SSE names the types
// speech.word, speech.sentence and speech.mark, next to speech.audio.delta.
#include "core/error.hpp"
#include "core/speech_options.hpp"
#include "synth/timing_event.hpp"

#include <string>
#include <string_view>

namespace rtts::api {

// "none", "sentence" or "word" (the `timestamps` option), else a 400 naming `param`.
result<timestamp_level> parse_timestamp_level(std::string_view value, std::string_view param = "timestamps");
// "code_point" (or "codepoint"), "utf16" or "utf8" (the `offset_units` option).
result<offset_unit> parse_offset_unit(std::string_view value, std::string_view param = "offset_units");
std::string_view offset_unit_name(offset_unit u);

// The event as a JSON object; `type_prefix` ("speech." for SSE) goes before its type name.
std::string timing_json(const synth::timing_event& e, std::string_view type_prefix = "", double time_offset = 0);
std::string sse_timing_event(const synth::timing_event& e);

} // namespace rtts::api
