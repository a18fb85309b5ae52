#pragma once
// One WebSocket session of either protocol: /ws (the RealtimeTTS example's) and
// /v1/audio/speech-stream (incremental text in, audio out, with barge-in); docs/api.md has both.
// An adapter on the shared session core (session/speech_session.hpp: queue, speaker, bounded
// outbox, writer, cancel, drain): this file parses the client's messages, frames speech in the
// protocol's messages and writes WebSocket frames. Internal to the server module: ws_upgrade.cpp
// creates sessions.
#include "api/ws_messages.hpp"
#include "server/server_context.hpp"
#include "session/speech_session.hpp"
#include "text/incremental_segmenter.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

enum class ws_protocol {
  realtimetts, // /ws: one plain-text message per utterance
  incremental, // /v1/audio/speech-stream: text in pieces, sentences spoken as they complete
};

class ws_session final : public session::speech_session {
public:
  ws_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, ws_protocol p);
  ~ws_session() override { --ctx_->websockets; }

  websocket::stream<beast::tcp_stream>& ws() { return ws_; }

  // Per-connection settings from the upgrade's query (both protocols) or a config message.
  api::stream_config config;
  bool configured = false;

  // Reads until the connection ends; then waits for the writer.
  asio::awaitable<void> reader();

private:
  // A word event sent, and where its audio ends in the session's audio since the last cancel:
  // the `cancelled` event reports the last word the client has heard in full.
  struct sent_word {
    std::uint64_t end_sample;
    std::string json;
  };

  asio::awaitable<bool> write(const session::outgoing& m) override;
  asio::awaitable<void> close_gracefully() override;
  void close_now() override;
  void describe(const session::utterance& u, api::request_record& record) override;
  void say_refused(const session::utterance&, const error& e) override { send_error(e); }
  void say_began(const session::utterance& u, const synth::encoded_stream& speech, std::string header) override;
  void say_timing(const session::utterance& u, const synth::timing_event& t) override;
  void say_audio(const session::utterance& u, std::string bytes) override;
  void say_ended(const session::utterance& u) override;
  void say_failed(const session::utterance&, const error& e) override { send_error(e); }
  bool all_spoken() override;
  bool expects_more() const override { return protocol_ == ws_protocol::incremental && got_text_ && !ended_; }
  void after_cancel() override;

  void on_text(std::string message);
  void on_stream_message(api::stream_message message);
  session::utterance utterance_of(std::string text, text::text_position origin, bool ssml) const;
  void queue_sentences(std::vector<text::released_piece> sentences);
  void send_error(const error& e) { send(protocol_ == ws_protocol::realtimetts ? api::ws_error(e) : api::stream_error(e)); }

  std::shared_ptr<server_context> ctx_;
  websocket::stream<beast::tcp_stream> ws_;
  ws_protocol protocol_;
  int rate_ = 0;              // of the utterance being spoken
  double time_offset_ = 0;    // its start in the session's audio since the last cancel (event times)
  std::deque<sent_word> words_; // word events of the speech since the last cancel

  // speech-stream protocol
  text::incremental_segmenter segmenter_;
  bool ended_ = false;         // "end" received
  bool audio_started_ = false; // audio_start sent
  bool first_audio_sent_ = false;
  bool got_text_ = false;
};

} // namespace rtts::server
