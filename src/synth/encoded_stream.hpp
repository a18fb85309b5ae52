#pragma once
// A speech stream pulled through its audio chain: what every route sends. Resampling and
// compression run on the compute pool when they cost real CPU; plain PCM stays on the network
// thread. Cancels its synthesis when destroyed.
#include "audio/audio_chain.hpp"
#include "synth/synthesizer.hpp"

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace rtts::synth {

struct encoded_piece {
  enum class kind { audio, timing, end, failed } type = kind::audio;
  std::string bytes;   // encoded output (may be empty: an encoder waiting for a full frame)
  timing_event timing; // for `timing`: before the audio that holds its start
  error failure;       // for `failed`
};

struct output_request {
  audio_format format = audio_format::wav;
  int requested_rate = 0; // 0 = default_rate
  int default_rate = 0;   // 0 = the engine's native rate
};

class encoded_stream {
public:
  // Validates everything (text, voice, format and rate) before any audio is made.
  static boost::asio::awaitable<result<std::unique_ptr<encoded_stream>>> start(synthesizer& synth, boost::asio::thread_pool& compute,
                                                                               speech_input input, voice_options voice, output_request output);
  ~encoded_stream();

  int output_rate() const { return chain_->output_rate(); }
  // The engine and voice actually speaking (defaults filled in).
  const voice_options& voice() const { return speech_->voice(); }
  // Bytes that open the stream (WAV header, Ogg/FLAC headers); call once, before next().
  std::string header() { return chain_->header(); }
  // The next piece; after `end` or `failed` there are no more.
  boost::asio::awaitable<encoded_piece> next();
  void cancel() { speech_->cancel(); }

private:
  encoded_stream(std::shared_ptr<speech_stream> speech, std::unique_ptr<audio::audio_chain> chain, boost::asio::thread_pool& compute,
                 audio_format format)
      : speech_(std::move(speech)), chain_(std::move(chain)), compute_(compute), format_(format) {}
  void record(encoded_piece::kind k, std::size_t bytes, std::size_t native_samples);

  std::shared_ptr<speech_stream> speech_;
  std::unique_ptr<audio::audio_chain> chain_;
  boost::asio::thread_pool& compute_;
  // For the metrics: when it began, whether audio has come, how it ended.
  audio_format format_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool first_audio_seen_ = false;
  bool finished_ = false;
  std::uint64_t native_samples_ = 0;
};

} // namespace rtts::synth
