// The shared session core: queue, speaker, outbox, writer, cancel, close and drain (see
// speech_session.hpp).
#include "session/speech_session.hpp"

#include "core/report_failure.hpp"

#include <boost/asio/co_spawn.hpp>

namespace rtts::session {
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

// The speaker's side of one utterance: the adapter frames it, the session applies backpressure
// and notices a cancel.
class speech_session::queued_output final : public speech_output {
public:
  queued_output(speech_session& s, const utterance& u, api::request_record& record) : s_(s), u_(u), record_(record), generation_(s.generation_) {}
  bool wanted() const override { return generation_ == s_.generation_ && !s_.closed_ && !s_.closing_; }
  asio::awaitable<bool> refused(const error& e) override {
    if (wanted()) s_.say_refused(u_, e);
    co_return wanted();
  }
  asio::awaitable<bool> began(const synth::encoded_stream& speech, std::string header) override {
    s_.say_began(u_, speech, std::move(header));
    co_return co_await s_.wait_for_outbox(true) && wanted();
  }
  asio::awaitable<bool> timing(const synth::timing_event& t) override {
    s_.say_timing(u_, t);
    co_return co_await s_.wait_for_outbox(true) && wanted();
  }
  asio::awaitable<bool> audio(std::string bytes) override {
    record_.bytes += bytes.size();
    s_.say_audio(u_, std::move(bytes));
    co_return co_await s_.wait_for_outbox(true) && wanted();
  }
  asio::awaitable<bool> ended() override {
    s_.say_ended(u_);
    co_return true;
  }
  asio::awaitable<bool> failed(const error& e) override {
    s_.say_failed(u_, e);
    co_return true;
  }

private:
  speech_session& s_;
  const utterance& u_;
  api::request_record& record_;
  std::uint64_t generation_;
};

speech_session::speech_session(synth::synthesizer& synth, asio::thread_pool& compute, session_limits limits)
    : synth_(synth), compute_(compute), limits_(limits), todo_(limits.max_queued) {}

void speech_session::start(const asio::any_io_executor& ex) {
  asio::co_spawn(ex, run_writer(shared_from_this()), report_failure{"a session's writer"});
  asio::co_spawn(ex, run_speaker(shared_from_this()), report_failure{"a session's speaker"});
}

void speech_session::send(std::string data, bool binary, std::uint64_t samples) {
  if (closed_) return;
  outbox_bytes_ += data.size();
  samples_queued_ += samples;
  outbox_.push_back({std::move(data), binary, generation_, samples});
  outbox_filled_.wake_all();
}

bool speech_session::queue(utterance u) {
  auto queued = todo_.push(std::move(u));
  if (!queued) say_refused(utterance{}, queued.error());
  return bool(queued);
}

void speech_session::queue_anyway(utterance u) { todo_.push_anyway(std::move(u)); }

void speech_session::close_when_written() {
  closing_ = true;
  current_.cancel(); // the speaker drops the stream once its wait returns
  todo_.clear();
  outbox_filled_.wake_all();
  outbox_drained_.wake_all();
}

void speech_session::fail() {
  if (closed_) return;
  closed_ = true;
  close_when_written();
  close_now();
  writer_finished_.wake_all();
}

void speech_session::drain() {
  draining_ = true;
  todo_.wake(); // an idle session closes now, a busy one after its queue
}

void speech_session::cancel_speech() {
  ++generation_;
  current_.cancel(); // the speaker notices the new generation and drops it
  todo_.clear();
  streamed_process_.reset();
  // Nothing of the cancelled speech may follow: drop its audio not yet written.
  std::erase_if(outbox_, [&](const outgoing& o) {
    if (o.samples == 0) return false;
    outbox_bytes_ -= o.data.size();
    return true;
  });
  after_cancel();
  samples_written_ = 0;
  samples_queued_ = 0;
  todo_.wake();
  outbox_drained_.wake_all();
}

asio::awaitable<bool> speech_session::wait_for_outbox(bool stop_when_closing) {
  auto deadline = clock_type::now() + limits_.stalled;
  while (outbox_bytes_ > limits_.max_outbox_bytes && !closed_ && !(stop_when_closing && closing_)) {
    if (clock_type::now() >= deadline) {
      fail(); // the client stopped reading: drop it rather than buffer without bound
      co_return false;
    }
    co_await outbox_drained_.wait(deadline);
  }
  co_return !closed_ && !(stop_when_closing && closing_);
}

asio::awaitable<void> speech_session::wait_until_written() {
  while (!writer_done_) co_await writer_finished_.wait();
}

asio::awaitable<void> speech_session::writer() {
  for (;;) {
    while (outbox_.empty() && !closing_ && !closed_) co_await outbox_filled_.wait();
    if (closed_) break;
    if (outbox_.empty()) { // closing, and everything before the close has gone out
      co_await close_gracefully();
      break;
    }
    outgoing msg = std::move(outbox_.front());
    outbox_.pop_front();
    outbox_bytes_ -= msg.data.size();
    outbox_drained_.wake_all();
    if (msg.samples > 0 && msg.generation != generation_) continue;
    writing_ = true;
    bool written = co_await write(msg);
    writing_ = false;
    if (!written) {
      fail();
      break;
    }
    if (msg.generation == generation_) samples_written_ += msg.samples;
    log.bytes += msg.data.size();
  }
  writer_done_ = true;
  writer_finished_.wake_all();
}

asio::awaitable<void> speech_session::speaker() {
  while (!closed_ && !closing_) {
    if (todo_.empty()) {
      if (all_spoken() || (draining_ && !expects_more())) {
        close_when_written(); // the writer closes once the outbox is written
        break;
      }
      co_await todo_.wait();
      continue;
    }
    utterance u = todo_.pop();
    speaking_ = true;
    if (u.end_of_stream) {
      say_stream_end(u);
      streamed_process_.reset(); // the next streamed text starts from where the first did
    } else {
      if (u.streamed && !streamed_process_) streamed_process_ = std::make_shared<synth::shared_job_process>();
      if (u.streamed) u.shared_process = streamed_process_;
      co_await speak_one(u);
    }
    speaking_ = false;
    after_utterance();
  }
}

asio::awaitable<void> speech_session::speak_one(const utterance& u) {
  api::logged_request entry;
  api::request_record& record = entry.record;
  record.id = log.id + "-" + std::to_string(++spoken_);
  record.started = u.ready_at;
  describe(u, record);
  queued_output out(*this, u, record);
  co_await speak(synth_, compute_, u, out, record, &current_);
}

} // namespace rtts::session
