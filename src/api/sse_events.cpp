#include "api/sse_events.hpp"

#include "api/base64.hpp"
#include "api/error_body.hpp"

#include <boost/json.hpp>

namespace rtts::api {
namespace {

std::string event(std::string json) { return "data: " + json + "\n\n"; }

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || (c >= '\t' && c <= '\r');
    words += !space && !in_word;
    in_word = !space;
  }
  return words;
}

} // namespace

std::string sse_audio_delta(std::string_view audio_bytes) {
  // Built by hand: base64 needs no escaping, and this runs for every chunk.
  return "data: {\"type\":\"speech.audio.delta\",\"audio\":\"" + base64_encode(audio_bytes) + "\"}\n\n";
}

std::string sse_audio_done(std::string_view input) {
  auto words = count_words(input);
  boost::json::object usage{{"input_tokens", words}, {"output_tokens", 0}, {"total_tokens", words}};
  return event(boost::json::serialize(boost::json::object{{"type", "speech.audio.done"}, {"usage", std::move(usage)}}));
}

std::string sse_error_event(const error& e) {
  auto envelope = boost::json::parse(error_json(e)).as_object();
  envelope["type"] = "error";
  return event(boost::json::serialize(envelope));
}

} // namespace rtts::api
