// The Wyoming adapter: events in, speech framed as events out (see wyoming_session.hpp).
#include "wyoming/wyoming_session.hpp"

#include "api/tts_query.hpp"
#include "core/json_fields.hpp"
#include "text/utf8.hpp"
#include "wyoming/catalogue.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace rtts::wyoming {
namespace asio = boost::asio;
namespace json = boost::json;

wyoming_session::wyoming_session(synth::synthesizer& synth, asio::thread_pool& compute, const server_config& config, asio::ip::tcp::socket socket)
    : session::speech_session(synth, compute, {config.ws_max_queued, config.ws_max_outbox_bytes, std::chrono::milliseconds(config.ws_stalled_ms)}),
      config_(config), socket_(std::move(socket)), deadline_(socket_.get_executor()) {
  log.id = api::request_id_from(""); // each synthesis logs one line under "<connection id>-<n>"
}

void wyoming_session::send_event(std::string type, json::object data, std::string payload) {
  send(encode(event{std::move(type), std::move(data), std::move(payload)}));
}

void wyoming_session::arm_deadline(std::chrono::milliseconds limit) {
  deadline_.expires_after(limit);
  deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->fail();
  });
}

void wyoming_session::refuse(const error& e) {
  send_error(e);
  close_when_written();
  arm_deadline(std::chrono::milliseconds(config_.ws_stalled_ms)); // the refusal has that long to go out
}

asio::awaitable<bool> wyoming_session::write(const session::outgoing& m) {
  boost::system::error_code ec;
  co_await asio::async_write(socket_, asio::buffer(m.data), asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

asio::awaitable<void> wyoming_session::close_gracefully() {
  close_now();
  co_return;
}

void wyoming_session::close_now() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  deadline_.cancel();
}

void wyoming_session::describe(const session::utterance& u, api::request_record& record) {
  record.method = "WYOMING";
  record.route = u.streamed ? "synthesize-chunk" : "synthesize";
  api::record_speech(record, {u.voice.engine, u.voice.voice, "pcm", u.text});
}

void wyoming_session::say_began(const session::utterance& u, const synth::encoded_stream& speech, std::string) {
  audio_format_ = json::object{{"rate", speech.output_rate()}, {"width", 2}, {"channels", 1}};
  if (!u.streamed || !stream_audio_started_) send_event("audio-start", audio_format_);
  stream_audio_started_ = u.streamed;
}

void wyoming_session::say_audio(const session::utterance&, std::string bytes) {
  std::uint64_t samples = bytes.size() / 2;
  send(encode(event{"audio-chunk", audio_format_, std::move(bytes)}), false, samples);
}

void wyoming_session::say_ended(const session::utterance& u) {
  if (!u.streamed) send_event("audio-stop", {});
}

void wyoming_session::say_failed(const session::utterance&, const error& e) { send_event("error", {{"text", e.message}, {"code", "engine_failure"}}); }

void wyoming_session::say_stream_end(const session::utterance& u) {
  if (!stream_audio_started_) { // a stream with no text still gets its audio-start/stop pair
    auto info = synth_.engine_info(u.voice.engine);
    int rate = info ? (*info)->rate_of(u.voice.voice) : 22050;
    send_event("audio-start", {{"rate", rate}, {"width", 2}, {"channels", 1}});
  }
  stream_audio_started_ = false;
  send_event("audio-stop", {});
  send_event("synthesize-stopped", {});
}

void wyoming_session::after_utterance() {
  // Idle again: the idle timeout runs from here (the reader's pending read has none).
  if (idle()) arm_deadline(idle_limit());
}

session::utterance wyoming_session::utterance_of(std::string text, const voice_options& voice, bool streamed) const {
  session::utterance u;
  // A whole text that is an SSML document is read as one (streamed chunks are plain text).
  u.ssml = !streamed && api::looks_like_ssml(text);
  u.text = std::move(text);
  u.voice = voice;
  u.output = {audio_format::pcm, 0, 0};
  u.streamed = streamed;
  return u;
}

asio::awaitable<void> wyoming_session::reader() {
  decoder in;
  std::vector<char> buf(16384);
  while (!closed() && !closing()) {
    // A client that sends and never reads cannot fill the outbox without bound.
    if (!co_await wait_for_room()) break;
    // A connection that says nothing for --ws-idle-timeout while nothing is spoken for it is
    // closed (speech in progress keeps it open: the client is listening).
    if (idle()) arm_deadline(idle_limit());
    boost::system::error_code ec;
    std::size_t n = co_await socket_.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    deadline_.cancel();
    if (ec) {
      fail(); // the client went away: stop its synthesis at once
      break;
    }
    in.feed({buf.data(), n});
    for (;;) {
      auto e = in.next();
      if (!e) { // malformed or oversized: say so, then hang up
        send_event("error", {{"text", e.error().message}, {"code", "malformed"}});
        close_when_written();
        break;
      }
      if (!*e) break;
      handle(std::move(**e));
      if (closed() || closing()) break;
    }
  }
  // What is left to send has --ws-stalled-ms to go out.
  if (!closed()) arm_deadline(std::chrono::milliseconds(config_.ws_stalled_ms));
  co_await wait_until_written();
}

void wyoming_session::handle(event e) {
  if (e.type == "describe") {
    event info = info_event(synth_);
    return send(encode(info));
  }
  if (e.type == "ping") return send_event("pong", e.data.contains("text") ? json::object{{"text", e.data.at("text")}} : json::object{});
  if ((e.type == "synthesize" && !streaming_) || e.type == "synthesize-start") {
    // (Inside a stream, Home Assistant also sends the whole text as `synthesize` for older
    // servers: a copy to ignore.)
    if (draining()) return send_error(make_error(error_kind::unavailable, "the server is shutting down", "shutting_down"));
    if (e.type == "synthesize") {
      queue(utterance_of(json_text(e.data, "text"), pick_voice(synth_, e.data), false));
      return;
    }
    streaming_ = true;
    stream_audio_started_ = false;
    stream_voice_ = pick_voice(synth_, e.data);
    stream_chars_ = 0;
    segmenter_.clear();
    return;
  }
  if (e.type == "synthesize-chunk") {
    if (!streaming_) return;
    std::string chunk = json_text(e.data, "text");
    stream_chars_ += text::count_code_points(chunk);
    if (stream_chars_ > config_.max_text_chars) { // the text of one request, as on every route
      send_error(make_error(error_kind::payload_too_large,
                            "the streamed text is longer than " + std::to_string(config_.max_text_chars) + " characters", "text_too_long",
                            "text"));
      return close_when_written();
    }
    segmenter_.push(chunk);
    for (auto& sentence : segmenter_.take_ready())
      if (!queue(utterance_of(std::move(sentence), stream_voice_, true))) return;
    return;
  }
  if (e.type == "synthesize-stop") {
    if (!streaming_) return;
    for (auto& sentence : segmenter_.flush())
      if (!queue(utterance_of(std::move(sentence), stream_voice_, true))) break;
    // The stream's end is always queued (past the queue's bound if need be), so the client gets
    // its audio-stop and synthesize-stopped.
    session::utterance end = utterance_of({}, stream_voice_, true);
    end.end_of_stream = true;
    queue_anyway(std::move(end));
    streaming_ = false;
  }
  // Anything else is not for a TTS service: ignored, the connection stays open.
}

} // namespace rtts::wyoming
