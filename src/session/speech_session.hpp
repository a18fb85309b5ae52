#pragma once
// A connection that asks for many utterances (both WebSockets, Wyoming): the core every such
// listener shares, so that a limit written here holds on all of them. Three coroutines per
// session, all on the network thread:
//  - the protocol's reader (the adapter's) parses client messages and queues utterances;
//  - the speaker speaks the queued utterances one after another (session/speak.hpp);
//  - the writer is the only one that writes to the connection.
// Between them: the utterance queue (--ws-max-queued), and a bounded outbox: the speaker waits
// while it holds more than --ws-max-outbox-bytes, so a slow reader slows its own synthesis, and
// one that takes nothing for --ws-stalled-ms is dropped. Cancel (barge-in) drops the queue and
// the audio not yet written; a drain (SIGTERM) lets the queue be spoken, then closes.
// An adapter derives from speech_session: it frames speech in its protocol (the `say_*` hooks,
// which queue messages with send()) and writes to its transport (`write`, `close_*`).
#include "api/request_log.hpp"
#include "session/speak.hpp"
#include "session/utterance.hpp"
#include "synth/utterance_queue.hpp"
#include "synth/wake_list.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

namespace rtts::session {

// A message waiting in the outbox.
struct outgoing {
  std::string data;
  bool binary = false;
  std::uint64_t generation = 0; // audio of a cancelled generation is dropped, never written
  std::uint64_t samples = 0;    // audio samples it carries (0: not audio)
};

struct session_limits {
  std::size_t max_queued = 32;              // utterances waiting
  std::size_t max_outbox_bytes = 1 << 20;   // unwritten bytes before the speaker waits
  std::chrono::milliseconds stalled{30000}; // a client that takes nothing this long is dropped
};

class speech_session : public std::enable_shared_from_this<speech_session> {
public:
  speech_session(synth::synthesizer& synth, boost::asio::thread_pool& compute, session_limits limits);
  virtual ~speech_session() = default;
  speech_session(const speech_session&) = delete;
  speech_session& operator=(const speech_session&) = delete;

  // Spawns the speaker and the writer on `ex`; the adapter runs its reader itself.
  void start(const boost::asio::any_io_executor& ex);

  // --- for the adapter's reader ---
  void send(std::string data, bool binary = false, std::uint64_t samples = 0);
  // Queued; or refused (say_refused with queue_full) when --ws-max-queued are waiting.
  bool queue(utterance u);
  // Queued even past the bound: what ends a client's stream, so that it hears the end.
  void queue_anyway(utterance u);
  // The speaker looks at the queue again (the client ended its stream: all_spoken may be true).
  void notify_speaker() { todo_.wake(); }
  // Barge-in: the speech in progress, the queue and the audio not yet written are dropped.
  void cancel_speech();
  // No more speech: the writer sends what is queued, then closes (the client said stop).
  void close_when_written();
  // The connection is gone or must go now: everything stops, the transport is closed.
  void fail();
  // The server is shutting down: what is queued is spoken, then the session closes.
  void drain();
  // The reader waits here before reading more while the outbox is full: a client that sends and
  // does not read cannot grow it without bound (dropped after --ws-stalled-ms).
  boost::asio::awaitable<bool> wait_for_room() { return wait_for_outbox(false); }
  // The reader's end: waits until the writer has finished.
  boost::asio::awaitable<void> wait_until_written();

  bool closed() const { return closed_; }
  bool closing() const { return closing_; }
  bool draining() const { return draining_; }
  // Nothing being spoken or waiting.
  bool idle() const { return !speaking_ && todo_.empty(); }
  // What a drain waits for: speech in progress or asked for, or not yet written (the last
  // message of an utterance, such as Wyoming's audio-stop, is queued after its speech ends).
  bool busy() const { return !closed_ && (!idle() || expects_more() || !outbox_.empty() || writing_); }
  std::uint64_t generation() const { return generation_; }
  // Audio samples written / queued since the last cancel.
  std::uint64_t samples_written() const { return samples_written_; }
  std::uint64_t samples_queued() const { return samples_queued_; }

  // The session's own log record (the adapter logs it, if its protocol has sessions).
  api::request_record log;

protected:
  // --- transport ---
  virtual boost::asio::awaitable<bool> write(const outgoing& m) = 0;
  // After the last message: the protocol's goodbye (a WebSocket close), then close.
  virtual boost::asio::awaitable<void> close_gracefully() = 0;
  virtual void close_now() = 0;

  // --- framing (each may send()) ---
  // The per-utterance log record: method, route, speech fields.
  virtual void describe(const utterance& u, api::request_record& record) = 0;
  virtual void say_refused(const utterance& u, const error& e) = 0;
  virtual void say_began(const utterance& u, const synth::encoded_stream& speech, std::string header) = 0;
  virtual void say_timing(const utterance& u, const synth::timing_event& t) = 0;
  virtual void say_audio(const utterance& u, std::string bytes) = 0;
  virtual void say_ended(const utterance& u) = 0;
  virtual void say_failed(const utterance& u, const error& e) = 0;
  // An end_of_stream marker reached the speaker.
  virtual void say_stream_end(const utterance&) {}
  // The queue ran dry: true when the session is over (the adapter may have sent a last word).
  virtual bool all_spoken() { return false; }
  // The client has a stream open: more text may come, so a drain waits for it.
  virtual bool expects_more() const { return false; }
  // After each utterance (Wyoming restarts its idle timeout here).
  virtual void after_utterance() {}
  // The barge-in happened: queued audio is gone; samples_written() is what the client heard.
  virtual void after_cancel() {}

  synth::synthesizer& synth_;
  boost::asio::thread_pool& compute_;

private:
  class queued_output;
  static boost::asio::awaitable<void> run_speaker(std::shared_ptr<speech_session> self) { co_await self->speaker(); }
  static boost::asio::awaitable<void> run_writer(std::shared_ptr<speech_session> self) { co_await self->writer(); }
  boost::asio::awaitable<void> speaker();
  boost::asio::awaitable<void> writer();
  boost::asio::awaitable<void> speak_one(const utterance& u);
  // Waits while the outbox is over its bound; false once the session is over (or, for the
  // speaker, closing), or after dropping a client that took nothing for --ws-stalled-ms.
  boost::asio::awaitable<bool> wait_for_outbox(bool stop_when_closing);

  session_limits limits_;
  synth::utterance_queue<utterance> todo_;
  speech_in_progress current_;
  std::deque<outgoing> outbox_;
  std::size_t outbox_bytes_ = 0;
  synth::wake_list outbox_filled_;  // writer: something to write
  synth::wake_list outbox_drained_; // speaker, reader: there is room again
  synth::wake_list writer_finished_;
  std::uint64_t generation_ = 0; // bumped by cancel
  std::uint64_t samples_written_ = 0;
  std::uint64_t samples_queued_ = 0;
  std::size_t spoken_ = 0; // utterances begun, for their log ids
  // The job process the sentences of the text being streamed share; a new text, or a cancel,
  // starts from a fresh one, so the same text streamed again sounds the same.
  std::shared_ptr<synth::shared_job_process> streamed_process_;
  bool speaking_ = false;
  bool closing_ = false;  // no more speech; the writer closes after the outbox
  bool closed_ = false;   // the connection is gone
  bool draining_ = false; // the server is stopping
  bool writer_done_ = false;
  bool writing_ = false; // the writer has taken a message from the outbox and writes it
};

} // namespace rtts::session
