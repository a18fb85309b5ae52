#include "synth/encoded_stream.hpp"

#include "audio/format.hpp"

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

result<std::unique_ptr<encoded_stream>> encoded_stream::start(synthesizer& synth, asio::thread_pool& compute, std::string_view text,
                                                              const voice_options& voice, const output_request& output) {
  auto resolved = synth.resolve(voice);
  if (!resolved) return resolved.error();
  auto info = synth.engine_info(resolved->engine);
  if (!info) return info.error();
  int native = (*info)->sample_rate;
  auto rate = audio::output_rate(output.format, output.requested_rate, output.default_rate ? output.default_rate : native);
  if (!rate) return rate.error();
  if (auto ok = synth.check_text(text); !ok) return ok.error();
  auto chain = audio::audio_chain::create(native, output.format, *rate);
  if (!chain) return chain.error();
  auto speech = synth.start_stream(text, *resolved);
  if (!speech) return speech.error();
  return std::unique_ptr<encoded_stream>(new encoded_stream(std::move(*speech), std::move(*chain), compute));
}

encoded_stream::~encoded_stream() { speech_->cancel(); }

asio::awaitable<encoded_piece> encoded_stream::next() {
  stream_event event = co_await speech_->next();
  if (event.type == stream_event::kind::failed) co_return encoded_piece{encoded_piece::kind::failed, {}, std::move(event.failure)};
  bool last = event.type == stream_event::kind::end;
  encoded_piece piece{last ? encoded_piece::kind::end : encoded_piece::kind::audio, {}, {}};
  if (chain_->heavy()) {
    piece.bytes = co_await asio::co_spawn(compute_, encode(chain_.get(), std::move(event.samples), last), asio::use_awaitable);
  } else {
    chain_->push(event.samples, piece.bytes);
    if (last) chain_->finish(piece.bytes);
  }
  co_return piece;
}

} // namespace rtts::synth
