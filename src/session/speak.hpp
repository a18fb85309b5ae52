#pragma once
// Speaking one utterance to one listener, written once for all of them (HTTP /tts and OpenAI,
// both WebSockets, Wyoming, MaryTTS): start the stream (voice, format, admission, auto-pull),
// hold the status line until the first piece is good, hand every piece to the listener's
// framing, stop when the listener no longer wants it, and keep its log record (engine, voice,
// status, first audio).
#include "api/request_log.hpp"
#include "session/speech_output.hpp"
#include "session/utterance.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

namespace rtts::session {

// The speech in progress, for a coroutine other than the speaker to cancel (barge-in, stop, a
// client gone): cancel, never destroy; the speaker drops the stream itself.
class speech_in_progress {
public:
  void cancel() {
    if (stream_) stream_->cancel();
  }

private:
  friend boost::asio::awaitable<void> speak(synth::synthesizer&, boost::asio::thread_pool&, const utterance&, speech_output&,
                                            api::request_record&, speech_in_progress*);
  synth::encoded_stream* stream_ = nullptr;
};

// `record` gets the engine and voice that spoke, the first audio time (from u.ready_at) and the
// status: the refusal's, 200 once the speech ended, 499 when the listener stopped it first.
boost::asio::awaitable<void> speak(synth::synthesizer& synth, boost::asio::thread_pool& compute, const utterance& u, speech_output& out,
                                   api::request_record& record, speech_in_progress* current = nullptr);

} // namespace rtts::session
