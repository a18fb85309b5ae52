// The WebSocket adapter: the reader, the protocols' framing, the WebSocket writes (see
// ws_session.hpp).
#include "server/ws_session.hpp"

#include "api/error_body.hpp"
#include "api/openai_speech.hpp"
#include "api/timing_json.hpp"
#include "api/tts_query.hpp"
#include "audio/format.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cmath>

namespace rtts::server {
using clock_type = std::chrono::steady_clock;

ws_session::ws_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, ws_protocol p)
    : session::speech_session(ctx->synth, ctx->compute,
                              {ctx->config.ws_max_queued, ctx->config.ws_max_outbox_bytes, std::chrono::milliseconds(ctx->config.ws_stalled_ms)}),
      ctx_(std::move(ctx)), ws_(std::move(stream)), protocol_(p) {
  ++ctx_->websockets;
}

asio::awaitable<bool> ws_session::write(const session::outgoing& m) {
  ws_.binary(m.binary);
  boost::system::error_code ec;
  co_await ws_.async_write(asio::buffer(m.data), asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<void> ws_session::close_gracefully() {
  boost::system::error_code ec;
  auto code = draining() ? websocket::close_code::going_away : websocket::close_code::normal;
  co_await ws_.async_close(code, asio::redirect_error(asio::use_awaitable, ec));
}

void ws_session::close_now() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void ws_session::describe(const session::utterance& u, api::request_record& record) {
  record.method = "WS";
  record.route = log.route;
  api::record_speech(record, {u.voice.engine, u.voice.voice, audio::format_name(u.output.format), u.text});
}

void ws_session::say_began(const session::utterance& u, const synth::encoded_stream& speech, std::string header) {
  rate_ = speech.output_rate();
  if (protocol_ == ws_protocol::realtimetts) {
    send(api::ws_audio_output(header, rate_, true));
    time_offset_ = 0; // each /ws utterance is a WAV of its own
    return;
  }
  if (!audio_started_) {
    audio_started_ = true;
    send(api::stream_audio_start(rate_, config.format));
    if (!header.empty()) send(config.binary ? header : api::stream_audio_json(header), config.binary);
  }
  if (config.timing.level == timestamp_level::none) send(api::stream_sentence(u.text)); // else timing events say it
  // Event times count the session's audio since the last cancel.
  time_offset_ = static_cast<double>(samples_queued()) / rate_;
}

void ws_session::say_timing(const session::utterance&, const synth::timing_event& t) {
  std::string event = api::timing_json(t, "", time_offset_);
  if (t.type == synth::timing_event::kind::word) {
    words_.push_back({static_cast<std::uint64_t>(std::llround((t.end + time_offset_) * rate_)), event});
    // Only the last word written in full and those still in flight can matter to a cancel.
    while (words_.size() > 1 && words_[1].end_sample <= samples_written()) words_.pop_front();
  }
  send(std::move(event));
}

void ws_session::say_audio(const session::utterance& u, std::string bytes) {
  std::uint64_t samples = bytes.size() / 2;
  if (protocol_ == ws_protocol::realtimetts) return send(api::ws_audio_output(bytes, rate_, false), false, samples);
  if (!first_audio_sent_) {
    first_audio_sent_ = true;
    send(api::stream_first_audio(std::chrono::duration<double, std::milli>(clock_type::now() - u.ready_at).count()));
  }
  send(config.binary ? std::move(bytes) : api::stream_audio_json(bytes), config.binary, samples);
}

void ws_session::say_ended(const session::utterance&) {
  if (protocol_ == ws_protocol::realtimetts) send(api::ws_final_output());
}

bool ws_session::all_spoken() {
  if (protocol_ != ws_protocol::incremental || !ended_) return false;
  send(api::stream_done(samples_queued())); // the close follows only once all of it is written
  return true;
}

void ws_session::after_cancel() {
  segmenter_.clear();
  std::string last_word;
  for (const auto& w : words_)
    if (w.end_sample <= samples_written()) last_word = w.json;
  words_.clear();
  send(api::stream_cancelled(samples_written(), last_word));
}

session::utterance ws_session::utterance_of(std::string text, text::text_position origin, bool ssml) const {
  session::utterance u;
  u.text = std::move(text);
  u.ssml = ssml;
  u.voice = config.voice;
  u.output = {config.format, config.sample_rate, protocol_ == ws_protocol::realtimetts ? 0 : api::openai_default_rate};
  u.timing = config.timing;
  u.origin = origin;
  u.streamed = protocol_ == ws_protocol::incremental && !ssml;
  return u;
}

void ws_session::queue_sentences(std::vector<text::released_piece> sentences) {
  // The raw text, not the collapsed sentence: offsets of its words point at what was sent.
  for (auto& s : sentences)
    if (!queue(utterance_of(std::move(s.raw), s.origin, false))) return;
}

void ws_session::on_text(std::string message) {
  if (protocol_ == ws_protocol::realtimetts) {
    // The example server's protocol: "stop" (or nothing) ends the session.
    if (message.empty() || message == "stop") return close_when_written();
    if (auto ok = ctx_->synth.check_text(message); !ok) return send_error(ok.error());
    bool ssml = config.ssml || api::looks_like_ssml(message);
    queue(utterance_of(std::move(message), {}, ssml));
    return;
  }
  auto parsed = api::parse_stream_message(message);
  if (!parsed) return send_error(parsed.error());
  on_stream_message(std::move(*parsed));
}

void ws_session::on_stream_message(api::stream_message message) {
  if (auto* c = std::get_if<api::stream_config>(&message)) {
    if (got_text_) return send_error(make_error(error_kind::invalid_request, "config must come before any text", "config_after_text"));
    auto voice = ctx_->synth.resolve(c->voice);
    config = *c;
    if (voice) config.voice = *voice;
    else if (ctx_->synth.may_pull(c->voice)) { // installed when the first text arrives (--auto-pull)
      if (config.voice.engine.empty()) config.voice.engine = ctx_->synth.default_engine();
    }
    else return send_error(voice.error());
    configured = true;
    return send(api::stream_ready(config, config.voice.engine, config.voice.voice));
  }
  if (auto* t = std::get_if<api::stream_text>(&message)) {
    if (ended_) return send_error(make_error(error_kind::invalid_request, "text after end", "text_after_end"));
    if (!configured) {
      configured = true;
      send(api::stream_ready(config, ctx_->synth.default_engine(), ctx_->synth.default_voice("")));
    }
    got_text_ = true;
    // With SSML each message is one whole document (markup cannot be cut at sentence ends).
    if (config.ssml) {
      queue(utterance_of(std::move(t->text), {}, true));
      return;
    }
    if (segmenter_.buffered_bytes() + t->text.size() > ctx_->config.max_text_chars * 4)
      return send_error(make_error(error_kind::payload_too_large, "too much text without a sentence end", "buffer_full"));
    segmenter_.push(t->text);
    return queue_sentences(segmenter_.take_ready_pieces());
  }
  if (std::holds_alternative<api::stream_flush>(message)) return queue_sentences(segmenter_.flush_pieces());
  if (std::holds_alternative<api::stream_end>(message)) {
    queue_sentences(segmenter_.flush_pieces());
    ended_ = true;
    return notify_speaker();
  }
  cancel_speech(); // stream_cancel
}

asio::awaitable<void> ws_session::reader() {
  beast::flat_buffer buffer;
  while (!closed()) {
    // A client that sends and never reads cannot fill the outbox without bound.
    if (!co_await wait_for_room()) break;
    boost::system::error_code ec;
    buffer.clear();
    co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break; // closed by the client, a protocol error (Beast answers 1007/1009), or gone
    if (closing()) continue; // after stop: read until the close handshake completes
    if (ws_.got_binary()) {
      send_error(make_error(error_kind::invalid_request, "binary messages are not accepted here; send text", "binary_message"));
      continue;
    }
    on_text(beast::buffers_to_string(buffer.data()));
  }
  // The connection is over: stop speaking at once and let the writer finish.
  fail();
  co_await wait_until_written();
}

} // namespace rtts::server
