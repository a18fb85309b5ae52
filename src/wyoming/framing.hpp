#pragma once
// Wyoming protocol framing (the TTS side of Home Assistant's local voice protocol), from its
// public description: each event is one JSON header line
//   {"type": "...", "version": "...", "data_length": N, "payload_length": M}\n
// then N bytes of JSON data (merged over any inline "data" of the header), then M bytes of
// binary payload.
#include "core/error.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rtts::wyoming {

struct event {
  std::string type;
  boost::json::object data;
  std::string payload;
};

inline constexpr std::size_t max_header_bytes = 64 * 1024;
inline constexpr std::size_t max_data_bytes = 1 << 20;
inline constexpr std::size_t max_payload_bytes = 4 << 20;

// The wire form. `data` always goes in its own segment, so header lines stay small however
// large the data (an `info` with hundreds of voices).
std::string encode(const event& e);

class decoder {
public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole event, nothing if more bytes are needed, or an error (malformed or too big):
  // the connection should answer `error` and close.
  result<std::optional<event>> next();

private:
  std::string buffer_;
};

} // namespace rtts::wyoming
