#pragma once
// Server-sent events of OpenAI's streaming speech API (stream_format "sse"):
//   data: {"type":"speech.audio.delta","audio":"<base64>"}
//   data: {"type":"speech.audio.done","usage":{"input_tokens":N,"output_tokens":0,"total_tokens":N}}
// and, if synthesis fails mid-stream, data: {"type":"error","error":{...}}.
#include "core/error.hpp"

#include <string>
#include <string_view>

namespace rtts::api {

std::string sse_audio_delta(std::string_view audio_bytes);
// Usage counts words of the input as "tokens": there is no tokenizer here, and clients only
// need a number of the right magnitude.
std::string sse_audio_done(std::string_view input);
std::string sse_error_event(const error& e);

} // namespace rtts::api
