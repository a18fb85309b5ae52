#pragma once
// Query strings of the RealtimeTTS-style GET routes, decoded and validated.
#include "core/error.hpp"
#include "core/speech_options.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rtts::api {

struct parsed_target {
  std::string path;
  std::map<std::string, std::string, std::less<>> params; // decoded; the first of duplicates wins
  std::optional<std::string> get(std::string_view key) const;
};

// Splits an origin-form target ("/tts?text=Hi+there"). Malformed percent-encoding or decoded
// bytes that are not UTF-8 are a 400.
result<parsed_target> parse_target(std::string_view target);

struct tts_request {
  std::string text;
  voice_options voice;
  output_options output;
  bool ssml = false;     // ssml=1, or a text that starts with "<speak"
  timing_options timing; // timestamps=word|sentence: the answer is server-sent events
};

// GET /tts parameters: text (required), engine, voice, speed, pitch, format, sample_rate,
// normalize, ssml, timestamps, offset_units.
result<tts_request> parse_tts_request(const parsed_target& target);

// True for a text that is an SSML document: it starts with "<speak" (or a DOCTYPE, refused by
// the SSML parser), after white space and an XML declaration.
bool looks_like_ssml(std::string_view text);

// A yes/no query value: 1/true/yes/on or 0/false/no/off, or a 400 naming the parameter.
result<bool> parse_flag(std::string_view value, std::string_view param);

// A finite number from a query value, or a 400 naming the parameter.
result<double> parse_number(std::string_view value, std::string_view param);

} // namespace rtts::api
