#include "synth/encoded_stream.hpp"

#include "audio/format.hpp"
#include "metrics/registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rtts::synth {
namespace asio = boost::asio;
namespace {

// A named coroutine with by-value parameters (g++ 12 mishandles capturing lambdas here).
asio::awaitable<std::string> encode(audio::audio_chain* chain, std::vector<std::int16_t> samples, bool finish) {
  std::string out;
  if (!samples.empty()) chain->push(samples, out);
  if (finish) chain->finish(out);
  co_return out;
}

} // namespace

asio::awaitable<result<std::unique_ptr<encoded_stream>>> encoded_stream::start(synthesizer& synth, asio::thread_pool& compute, speech_input input,
                                                                               voice_options voice, output_request output) {
  auto resolved = co_await synth.resolve_or_pull(std::move(voice), compute);
  if (!resolved) co_return resolved.error();
  auto info = synth.engine_info(resolved->engine);
  if (!info) co_return info.error();
  int native = (*info)->rate_of(resolved->voice);
  auto rate = audio::output_rate(output.format, output.requested_rate, output.default_rate ? output.default_rate : native);
  if (!rate) co_return rate.error();
  auto chain = audio::audio_chain::create(native, output.format, *rate);
  if (!chain) co_return chain.error();
  auto speech = co_await synth.open_stream(std::move(input), *resolved, compute);
  if (!speech) co_return speech.error();
  co_return std::unique_ptr<encoded_stream>(new encoded_stream(std::move(*speech), std::move(*chain), compute, output.format));
}

encoded_stream::~encoded_stream() {
  if (!finished_) metrics::global().streams.inc({speech_->voice().engine, "cancelled"});
  speech_->cancel();
}

void encoded_stream::record(encoded_piece::kind k, std::size_t bytes, std::size_t native_samples) {
  auto& m = metrics::global();
  const std::string& engine = speech_->voice().engine;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  native_samples_ += native_samples;
  if (bytes > 0) m.audio_bytes.inc({std::string(audio::format_name(format_))}, static_cast<double>(bytes));
  if (!first_audio_seen_ && bytes > 0) {
    first_audio_seen_ = true;
    m.first_audio.observe({engine}, elapsed);
  }
  if (k == encoded_piece::kind::audio) return;
  finished_ = true;
  if (k == encoded_piece::kind::failed) return m.streams.inc({engine, "failed"});
  double audio = static_cast<double>(native_samples_) / speech_->native_rate();
  m.streams.inc({engine, "completed"});
  m.audio_seconds.inc({engine}, audio);
  m.total_time.observe({engine}, elapsed);
  if (elapsed > 0) m.real_time_factor.observe({engine}, audio / elapsed);
}

asio::awaitable<encoded_piece> encoded_stream::next() {
  stream_event event = co_await speech_->next();
  if (event.type == stream_event::kind::failed) {
    if (event.failure.code != "cancelled") record(encoded_piece::kind::failed, 0, 0);
    co_return encoded_piece{encoded_piece::kind::failed, {}, {}, std::move(event.failure)};
  }
  if (event.type == stream_event::kind::timing) co_return encoded_piece{encoded_piece::kind::timing, {}, std::move(event.timing), {}};
  bool last = event.type == stream_event::kind::end;
  std::size_t native_samples = event.samples.size();
  encoded_piece piece{last ? encoded_piece::kind::end : encoded_piece::kind::audio, {}, {}, {}};
  if (chain_->heavy()) {
    piece.bytes = co_await asio::co_spawn(compute_, encode(chain_.get(), std::move(event.samples), last), asio::use_awaitable);
  } else {
    chain_->push(event.samples, piece.bytes);
    if (last) chain_->finish(piece.bytes);
  }
  record(piece.type, piece.bytes.size(), native_samples);
  co_return piece;
}

} // namespace rtts::synth
