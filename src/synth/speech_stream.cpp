#include "synth/speech_stream.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rtts::synth {
namespace asio = boost::asio;
namespace {
constexpr std::size_t max_merged_samples = 32 * 1024;
}

speech_stream::speech_stream(asio::any_io_executor ex, voice_options voice, std::vector<std::string> fragments,
                             int native_rate, std::size_t buffer_limit_bytes)
    : voice_(std::move(voice)), fragments_(std::move(fragments)), native_rate_(native_rate),
      buffer_limit_bytes_(buffer_limit_bytes), wakeup_(std::move(ex), asio::steady_timer::time_point::max()) {}

asio::awaitable<stream_event> speech_stream::next() {
  while (events_.empty()) {
    if (cancelled()) co_return stream_event{stream_event::kind::failed, {}, make_error(error_kind::internal, "cancelled", "cancelled")};
    boost::system::error_code ec;
    wakeup_.expires_at(asio::steady_timer::time_point::max());
    co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  stream_event e = std::move(events_.front());
  events_.pop_front();
  // Hand over what has piled up in one piece (up to a bound): fewer, larger socket writes when
  // the engine runs ahead of the client.
  while (e.type == stream_event::kind::audio && !events_.empty() && events_.front().type == stream_event::kind::audio &&
         e.samples.size() < max_merged_samples) {
    auto& more = events_.front().samples;
    e.samples.insert(e.samples.end(), more.begin(), more.end());
    events_.pop_front();
  }
  if (e.type == stream_event::kind::audio) {
    bool was_full = !wants_more();
    buffered_bytes_ -= e.samples.size() * sizeof(std::int16_t);
    if (was_full && wants_more() && on_drained) on_drained();
  }
  co_return e;
}

void speech_stream::cancel() {
  if (token_.cancelled()) return;
  token_.cancel();
  events_.clear();
  buffered_bytes_ = 0;
  next_fragment_ = fragments_.size();
  if (on_cancel) on_cancel();
  wakeup_.cancel();
}

std::chrono::steady_clock::time_point speech_stream::playback_deadline() const {
  return created_ + std::chrono::microseconds(produced_samples_ * 1'000'000 / static_cast<std::uint64_t>(native_rate_));
}

void speech_stream::push_audio(std::span<const std::int16_t> pcm) {
  if (cancelled() || finished_ || pcm.empty()) return;
  buffered_bytes_ += pcm.size_bytes();
  produced_samples_ += pcm.size();
  push(stream_event{stream_event::kind::audio, {pcm.begin(), pcm.end()}, {}});
}

void speech_stream::push_end() {
  if (cancelled() || finished_) return;
  finished_ = true;
  push(stream_event{stream_event::kind::end, {}, {}});
}

void speech_stream::push_failure(error e) {
  if (cancelled() || finished_) return;
  finished_ = true;
  next_fragment_ = fragments_.size();
  push(stream_event{stream_event::kind::failed, {}, std::move(e)});
}

void speech_stream::push(stream_event e) {
  events_.push_back(std::move(e));
  wakeup_.cancel();
}

} // namespace rtts::synth
