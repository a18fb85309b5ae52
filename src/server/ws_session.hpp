#pragma once
// One WebSocket session of either protocol: /ws (the RealtimeTTS example's) and
// /v1/audio/speech-stream (incremental text in, audio out, with barge-in); docs/api.md has both.
// Three coroutines per session, all on the network thread:
//  - the reader parses client messages and queues utterances;
//  - the speaker synthesizes queued utterances in order and queues outgoing messages;
//  - the writer is the only one that writes to the socket (Beast allows one write at a time).
// The outbox between speaker and writer is bounded: the speaker waits while it is full, so a
// slow reader slows its own synthesis, and one that takes nothing for ws_stalled_ms is dropped.
// Internal to the server module: ws_upgrade.cpp creates sessions.
#include "api/request_log.hpp"
#include "api/ws_messages.hpp"
#include "server/server_context.hpp"
#include "synth/encoded_stream.hpp"
#include "synth/utterance_queue.hpp"
#include "text/incremental_segmenter.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <deque>
#include <memory>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using clock_type = std::chrono::steady_clock;

enum class protocol { realtimetts, speech_stream };

struct utterance {
  std::string text;
  clock_type::time_point ready_at; // when its text became complete (for first_audio latency)
  text::text_position origin;      // where `text` starts in all the session's text (for offsets)
  bool ssml = false;
};

// A word event sent, and where its audio ends in the stream (output samples since the last
// cancel): the `cancelled` event reports the last word the client has heard in full.
struct sent_word {
  std::uint64_t end_sample;
  std::string json;
};

struct outgoing {
  std::string data;
  bool binary = false;
  std::uint64_t generation = 0; // audio of a cancelled generation is dropped, never sent
  std::uint64_t samples = 0;    // audio samples it carries (for samples_sent)
};

class ws_session {
public:
  ws_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, protocol p)
      : ctx_(std::move(ctx)), ws_(std::move(stream)), protocol_(p), todo_(ctx_->config.ws_max_queued) {
    ++ctx_->websockets;
  }
  ~ws_session() { --ctx_->websockets; }

  websocket::stream<beast::tcp_stream>& ws() { return ws_; }
  protocol kind() const { return protocol_; }

  // Per-connection settings from the upgrade's query (both protocols) or a config message.
  api::stream_config config;
  bool configured = false;
  // The session's log record (one line when it ends); each utterance logs its own line under
  // "<session id>-<n>".
  api::request_record log;

  static asio::awaitable<void> run_writer(std::shared_ptr<ws_session> self) { co_await self->writer(); }
  static asio::awaitable<void> run_speaker(std::shared_ptr<ws_session> self) { co_await self->speaker(); }

  asio::awaitable<void> reader();

private:
  asio::awaitable<void> writer();
  asio::awaitable<void> speaker();
  asio::awaitable<void> speak(utterance u);
  asio::awaitable<bool> wait_for_space();

  void on_text(std::string message);
  void on_stream_message(api::stream_message message);
  void queue_sentences(std::vector<text::released_piece> sentences);
  bool queue_utterance(utterance u); // false (and an error sent) when the queue is full
  void send(std::string data, bool binary = false, std::uint64_t samples = 0);
  void send_error(const error& e) { send(protocol_ == protocol::realtimetts ? api::ws_error(e) : api::stream_error(e)); }
  void barge_in();
  void start_closing();
  void fail();

  std::shared_ptr<server_context> ctx_;
  websocket::stream<beast::tcp_stream> ws_;
  protocol protocol_;

  std::deque<outgoing> outbox_;
  std::size_t outbox_bytes_ = 0;
  synth::wake_list outbox_filled_; // writer: something to send
  synth::wake_list outbox_drained_; // speaker: there is room again
  synth::utterance_queue<utterance> todo_; // the speaker's
  synth::wake_list writer_finished_; // reader: the writer has ended
  std::unique_ptr<synth::encoded_stream> current_;
  std::uint64_t generation_ = 0;     // bumped by cancel
  std::uint64_t samples_sent_ = 0;   // audio samples written since the last cancel
  std::uint64_t samples_queued_ = 0; // audio samples queued since the last cancel (all will be sent)
  std::size_t utterances_ = 0;       // spoken so far, for the utterance log ids
  std::deque<sent_word> words_;      // word events of the speech since the last cancel
  bool closing_ = false;             // no more speech; the writer closes after the outbox
  bool closed_ = false;              // the connection is gone
  bool writer_done_ = false;

  // speech-stream protocol
  text::incremental_segmenter segmenter_;
  bool ended_ = false;         // "end" received
  bool audio_started_ = false; // audio_start sent
  bool first_audio_sent_ = false;
  bool got_text_ = false;
};

} // namespace rtts::server
