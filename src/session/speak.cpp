// One utterance from its request to its last piece (see speak.hpp).
#include "session/speak.hpp"

#include "api/error_body.hpp"

namespace rtts::session {
namespace asio = boost::asio;
using piece_kind = synth::encoded_piece::kind;

namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// Clears the pointer a session cancels through, however the speech ends.
struct current_guard {
  synth::encoded_stream** slot;
  ~current_guard() {
    if (slot) *slot = nullptr;
  }
};

} // namespace

asio::awaitable<void> speak(synth::synthesizer& synth, asio::thread_pool& compute, const utterance& u, speech_output& out,
                            api::request_record& record, speech_in_progress* current) {
  synth::speech_input input{u.text, u.ssml, u.timing, u.origin, u.shared_process};
  auto started = co_await synth::encoded_stream::start(synth, compute, input, u.voice, u.output);
  if (!started) {
    record.status = api::http_status(started.error().kind);
    co_await out.refused(started.error());
    co_return;
  }
  // Owned here: whatever ends this coroutine (the listener gone, shutdown) destroys it, which
  // stops the synthesis.
  std::unique_ptr<synth::encoded_stream> speech = std::move(*started);
  current_guard guard{current ? &current->stream_ : nullptr};
  if (current) current->stream_ = speech.get();
  record.engine = speech->voice().engine;
  record.voice = speech->voice().voice;

  std::string header = speech->header(); // before the first piece: encoders make it at their start
  // The first piece comes within milliseconds; waiting for it lets an HTTP listener answer a
  // first fragment that fails with a real error status.
  synth::encoded_piece piece = co_await speech->next();
  if (!out.wanted()) {
    record.status = 499;
    co_return;
  }
  if (piece.type == piece_kind::failed) {
    record.status = api::http_status(piece.failure.kind);
    co_await out.refused(piece.failure);
    co_return;
  }
  bool going = co_await out.began(*speech, std::move(header));
  while (going) {
    if (piece.type == piece_kind::failed) {
      record.status = api::http_status(piece.failure.kind);
      co_await out.failed(piece.failure);
      co_return;
    }
    if (piece.type == piece_kind::timing) going = co_await out.timing(piece.timing);
    else if (!piece.bytes.empty()) {
      if (record.first_audio_ms < 0) record.first_audio_ms = ms_since(u.ready_at);
      going = co_await out.audio(std::move(piece.bytes));
    }
    if (going && piece.type == piece_kind::end) {
      record.status = 200;
      co_await out.ended();
      co_return;
    }
    if (!going) break;
    piece = co_await speech->next();
    // The speech may have been cancelled (barge-in, stop, the client gone) while it waited.
    going = out.wanted();
  }
  record.status = 499; // stopped by the listener before its end
}

} // namespace rtts::session
