#include "synth/speech_stream.hpp"

#include "metrics/registry.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>

namespace rtts::synth {
namespace asio = boost::asio;
namespace {
constexpr std::size_t max_merged_samples = 32 * 1024;
}

speech_stream::speech_stream(asio::any_io_executor ex, voice_options voice, speech_plan plan, timing_options timing, int native_rate,
                             std::size_t buffer_limit_bytes, std::chrono::milliseconds listener_buffer)
    : voice_(std::move(voice)), plan_(std::move(plan)), timing_(timing),
      positions_(plan_.source ? std::string_view(*plan_.source) : std::string_view(), plan_.origin), native_rate_(native_rate),
      buffer_limit_bytes_(buffer_limit_bytes), listener_buffer_(listener_buffer), wakeup_(std::move(ex), asio::steady_timer::time_point::max()) {
  for (const auto& f : plan_.fragments) unsynthesized_chars_ += f.text.size();
}

const speech_fragment& speech_stream::take_fragment() {
  current_ = next_fragment_++;
  marks_done_ = 0;
  fragment_audio_begun_ = false;
  const auto& f = plan_.fragments[current_];
  for (; marks_done_ < f.marks.size() && f.marks[marks_done_].before_pause; ++marks_done_) push_mark(f.marks[marks_done_], produced_samples_);
  push_silence(f.pause_before_s);
  fragment_start_ = slice_start_ = produced_samples_;
  resampler_.reset();
  if (f.sample_rate > 0 && f.sample_rate != native_rate_) resampler_ = std::make_unique<audio::resampler>(f.sample_rate, native_rate_);
  if (timing_.level != timestamp_level::none && !f.text.empty()) {
    auto [b, e] = f.map.origin(0, f.text.size());
    push_timing(timing_event::kind::sentence, f.written, b, e, fragment_start_, fragment_start_);
  }
  return f;
}

bool speech_stream::wants_words(const speech_fragment& f) const {
  return timing_.level == timestamp_level::word || (timing_.level != timestamp_level::none && !f.marks.empty());
}

void speech_stream::push_word(const worker::timed_word& w) {
  if (cancelled() || finished_ || current_ >= plan_.fragments.size()) return;
  const auto& f = plan_.fragments[current_];
  // Samples of the fragment's voice, counted at the stream's rate.
  auto at_stream_rate = [&](std::uint64_t s) {
    return resampler_ ? s * static_cast<std::uint64_t>(native_rate_) / static_cast<std::uint64_t>(f.sample_rate) : s;
  };
  std::uint64_t start = fragment_start_ + at_stream_rate(w.start_sample);
  push_marks_until(w.begin + 1, start);
  if (timing_.level != timestamp_level::word || w.begin >= f.text.size()) return;
  auto [b, e] = f.map.origin(w.begin, std::min(w.end, f.text.size()));
  push_timing(timing_event::kind::word, plan_.source->substr(b, e - b), b, e, start, fragment_start_ + at_stream_rate(w.end_sample));
}

void speech_stream::fragment_done() {
  if (current_ < plan_.fragments.size()) unsynthesized_chars_ -= std::min(unsynthesized_chars_, plan_.fragments[current_].text.size());
  fragment_audio_begun_ = true; // a fragment without audio has nothing to be late with
  if (resampler_) {
    std::vector<std::int16_t> tail;
    resampler_->finish(tail);
    resampler_.reset();
    append_audio(std::move(tail));
  }
  if (current_ < plan_.fragments.size()) push_marks_until(plan_.fragments[current_].text.size() + 1, produced_samples_);
}

void speech_stream::push_marks_until(std::size_t byte, std::uint64_t at) {
  const auto& marks = plan_.fragments[current_].marks;
  for (; marks_done_ < marks.size() && marks[marks_done_].at < byte; ++marks_done_) push_mark(marks[marks_done_], at);
}

void speech_stream::push_mark(const planned_mark& m, std::uint64_t at) {
  if (timing_.level == timestamp_level::none) return;
  push_timing(timing_event::kind::mark, m.name, m.source_offset, m.source_offset, at, at);
}

void speech_stream::push_timing(timing_event::kind kind, std::string text, std::size_t begin, std::size_t end, std::uint64_t start,
                                std::uint64_t stop) {
  if (cancelled() || finished_) return;
  // The end is counted from the start, not looked up: the counter only walks forward (a
  // sentence's end lies beyond its first word).
  auto b = positions_.at(begin);
  auto e = end > begin ? b.advanced(std::string_view(*plan_.source).substr(begin, end - begin)) : b;
  timing_event t{kind, std::move(text), b.in(timing_.units), e.in(timing_.units) - b.in(timing_.units),
                 static_cast<double>(start) / native_rate_, static_cast<double>(stop) / native_rate_};
  push(stream_event{stream_event::kind::timing, {}, std::move(t), {}});
}

void speech_stream::push_silence(double seconds) {
  if (seconds <= 0 || cancelled() || finished_) return;
  auto n = static_cast<std::uint64_t>(seconds * native_rate_ + 0.5);
  if (n == 0) return;
  if (!first_audio_) first_audio_ = std::chrono::steady_clock::now(); // a listener hears a pause too
  buffered_bytes_ += n * sizeof(std::int16_t);
  produced_samples_ += n;
  stream_event e{stream_event::kind::audio, {}, {}, {}};
  e.silence = n;
  push(std::move(e));
}


asio::awaitable<stream_event> speech_stream::next() {
  while (events_.empty()) {
    if (cancelled()) co_return stream_event{stream_event::kind::failed, {}, {}, make_error(error_kind::internal, "cancelled", "cancelled")};
    boost::system::error_code ec;
    wakeup_.expires_at(asio::steady_timer::time_point::max());
    co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (auto& front = events_.front(); front.type == stream_event::kind::audio && front.silence > 0) {
    // A pause: one bounded chunk of it now, the rest when the client comes back for more.
    auto n = std::min<std::uint64_t>(front.silence, max_merged_samples);
    front.silence -= n;
    if (front.silence == 0) events_.pop_front();
    bool was_full = !wants_more();
    buffered_bytes_ -= n * sizeof(std::int16_t);
    if (was_full && wants_more() && on_drained) on_drained();
    co_return stream_event{stream_event::kind::audio, std::vector<std::int16_t>(n), {}, {}};
  }
  stream_event e = std::move(events_.front());
  events_.pop_front();
  // Hand over what has piled up in one piece (up to a bound): fewer, larger socket writes when
  // the engine runs ahead of the client.
  while (e.type == stream_event::kind::audio && !events_.empty() && events_.front().type == stream_event::kind::audio &&
         events_.front().silence == 0 && e.samples.size() < max_merged_samples) {
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
  next_fragment_ = plan_.fragments.size();
  if (on_cancel) on_cancel();
  wakeup_.cancel();
}

std::chrono::steady_clock::time_point speech_stream::playback_deadline() const {
  return listener_runs_out(produced_samples_);
}

std::chrono::steady_clock::time_point speech_stream::listener_runs_out(std::uint64_t samples) const {
  if (!first_audio_) return created_;
  return *first_audio_ + listener_buffer_ + std::chrono::microseconds(samples * 1'000'000 / static_cast<std::uint64_t>(native_rate_));
}

void speech_stream::push_audio(std::span<const std::int16_t> pcm) {
  if (cancelled() || finished_ || pcm.empty()) return;
  if (!resampler_) return append_audio({pcm.begin(), pcm.end()});
  std::vector<std::int16_t> converted;
  resampler_->process(pcm, converted);
  append_audio(std::move(converted));
}

void speech_stream::resuming() {
  paused_job = 0;
  fragment_audio_begun_ = false;
  slice_start_ = produced_samples_;
}

void speech_stream::note_fragment_begins() {
  fragment_audio_begun_ = true;
  if (!first_audio_) return; // the stream's first audio: its lateness is the time to first audio (metrics)
  auto now = std::chrono::steady_clock::now();
  auto due = listener_runs_out(slice_start_);
  if (ready_since_ > due) return; // its client held it back past the deadline: not the server's miss
  double lead = std::chrono::duration<double>(due - now).count();
  metrics::global().stream_lead.observe({voice_.engine}, lead);
  if (lead >= 0) return;
  ++deadline_misses_;
  worst_lateness_s_ = std::max(worst_lateness_s_, -lead);
  metrics::global().deadline_misses.inc({voice_.engine});
}

void speech_stream::append_audio(std::vector<std::int16_t> samples) {
  if (cancelled() || finished_ || samples.empty()) return;
  if (!fragment_audio_begun_) note_fragment_begins();
  if (!first_audio_) first_audio_ = std::chrono::steady_clock::now();
  buffered_bytes_ += samples.size() * sizeof(std::int16_t);
  produced_samples_ += samples.size();
  // SSML volume: a gain in rtts's own chain, the same on every engine.
  if (double gain = current_ < plan_.fragments.size() ? plan_.fragments[current_].gain : 1.0; gain != 1.0)
    for (auto& s : samples) s = static_cast<std::int16_t>(std::clamp(std::lround(s * gain), -32768L, 32767L));
  push(stream_event{stream_event::kind::audio, std::move(samples), {}, {}});
}

void speech_stream::push_end() {
  if (cancelled() || finished_) return;
  current_ = plan_.fragments.size(); // no fragment's gain applies to the closing pause
  for (const auto& m : plan_.trailing_marks)
    if (m.before_pause) push_mark(m, produced_samples_);
  push_silence(plan_.pause_after_s);
  for (const auto& m : plan_.trailing_marks)
    if (!m.before_pause) push_mark(m, produced_samples_);
  finished_ = true;
  push(stream_event{stream_event::kind::end, {}, {}, {}});
}

void speech_stream::push_failure(error e) {
  if (cancelled() || finished_) return;
  finished_ = true;
  next_fragment_ = plan_.fragments.size();
  push(stream_event{stream_event::kind::failed, {}, {}, std::move(e)});
}

void speech_stream::push(stream_event e) {
  events_.push_back(std::move(e));
  wakeup_.cancel();
}

} // namespace rtts::synth
