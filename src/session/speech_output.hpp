#pragma once
// What a listener says around one utterance's speech: its protocol's framing and writes. The
// speaker (session/speak.hpp) calls, in this order: `refused` (the speech could not start, or
// its first piece failed; nothing follows), or `began` once the first piece is good, then
// `timing` and `audio` as the pieces come, then `ended` or `failed`. A call that returns false
// stops the speech (the client is gone, or no longer wants it); so does `wanted()` turning false
// while the speaker waits for the engine.
#include "core/error.hpp"
#include "synth/encoded_stream.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace rtts::session {

class speech_output {
public:
  virtual ~speech_output() = default;
  virtual bool wanted() const { return true; }
  virtual boost::asio::awaitable<bool> refused(const error& e) = 0;
  // `header`: the bytes that open the stream (WAV header, Ogg/FLAC headers), perhaps none.
  virtual boost::asio::awaitable<bool> began(const synth::encoded_stream& speech, std::string header) = 0;
  virtual boost::asio::awaitable<bool> timing(const synth::timing_event& t) = 0;
  // Encoded audio, never empty.
  virtual boost::asio::awaitable<bool> audio(std::string bytes) = 0;
  virtual boost::asio::awaitable<bool> ended() = 0;
  virtual boost::asio::awaitable<bool> failed(const error& e) = 0;
};

} // namespace rtts::session
