#pragma once
// One Wyoming connection: an adapter on the shared session core (session/speech_session.hpp:
// queue, speaker, bounded outbox, writer, drain). This file parses events, answers describe and
// ping at once, frames speech as audio-start/chunk/stop, and writes to the socket. Limits from
// the server's configuration, as on the WebSocket routes: --ws-max-queued, --max-text for a
// streamed text, --ws-idle-timeout of silence, --ws-stalled-ms for a client that takes nothing.
#include "core/config.hpp"
#include "session/speech_session.hpp"
#include "text/incremental_segmenter.hpp"
#include "wyoming/framing.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

namespace rtts::wyoming {

class wyoming_session final : public session::speech_session {
public:
  wyoming_session(synth::synthesizer& synth, boost::asio::thread_pool& compute, const server_config& config,
                  boost::asio::ip::tcp::socket socket);

  // Reads events until the connection ends.
  boost::asio::awaitable<void> reader();
  // Over the connection limit: says why in the protocol's own terms, then hangs up.
  void refuse(const error& e);

private:
  boost::asio::awaitable<bool> write(const session::outgoing& m) override;
  boost::asio::awaitable<void> close_gracefully() override;
  void close_now() override;
  void describe(const session::utterance& u, api::request_record& record) override;
  void say_refused(const session::utterance&, const error& e) override { send_error(e); }
  void say_began(const session::utterance& u, const synth::encoded_stream& speech, std::string header) override;
  void say_timing(const session::utterance&, const synth::timing_event&) override {}
  void say_audio(const session::utterance& u, std::string bytes) override;
  void say_ended(const session::utterance& u) override;
  void say_failed(const session::utterance&, const error& e) override;
  void say_stream_end(const session::utterance& u) override;
  bool expects_more() const override { return streaming_; }
  void after_utterance() override;

  void handle(event e);
  void send_event(std::string type, boost::json::object data, std::string payload = {});
  void send_error(const error& e) { send_event("error", {{"text", e.message}, {"code", e.code}}); }
  session::utterance utterance_of(std::string text, const voice_options& voice, bool streamed) const;
  // Closes the connection when `limit` passes before the timer is armed again or cancelled.
  void arm_deadline(std::chrono::milliseconds limit);
  std::chrono::milliseconds idle_limit() const { return std::chrono::seconds(config_.ws_idle_timeout_s); }

  server_config config_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_; // a client that says nothing, or takes nothing, is dropped
  boost::json::object audio_format_;   // rate, width, channels of the speech being sent
  // The streaming request (synthesize-start ... synthesize-stop).
  bool streaming_ = false;
  bool stream_audio_started_ = false;
  voice_options stream_voice_;
  text::incremental_segmenter segmenter_;
  std::size_t stream_chars_ = 0; // text of the streaming request so far, against --max-text
};

} // namespace rtts::wyoming
