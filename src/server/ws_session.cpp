// WebSocket sessions. Three coroutines per session, all on the network thread:
//  - the reader (run_websocket itself) parses client messages and queues utterances;
//  - the speaker synthesizes queued utterances in order and queues outgoing messages;
//  - the writer is the only one that writes to the socket (Beast allows one write at a time).
// The outbox between speaker and writer is bounded: the speaker waits while it is full, so a
// slow reader slows its own synthesis, and one that takes nothing for ws_stalled_ms is dropped.
#include "server/ws_session.hpp"

#include "api/api_keys.hpp"
#include "api/cross_site.hpp"
#include "api/error_body.hpp"
#include "api/openai_speech.hpp"
#include "api/request_log.hpp"
#include "api/timing_json.hpp"
#include "api/tts_query.hpp"
#include "api/ws_messages.hpp"
#include "audio/format.hpp"
#include "synth/encoded_stream.hpp"
#include "text/incremental_segmenter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cmath>
#include <deque>

namespace rtts::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

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

// Wakes a coroutine waiting in wait(); safe to call when nobody waits.
void wake(asio::steady_timer& t) { t.cancel(); }

asio::awaitable<void> wait(asio::steady_timer& t, clock_type::duration limit = clock_type::duration::max()) {
  boost::system::error_code ignored;
  if (limit == clock_type::duration::max()) t.expires_at(asio::steady_timer::time_point::max());
  else t.expires_after(limit);
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

class ws_session {
public:
  ws_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, protocol p)
      : ctx_(std::move(ctx)), ws_(std::move(stream)), protocol_(p), outbox_signal_(ws_.get_executor()),
        space_signal_(ws_.get_executor()), todo_signal_(ws_.get_executor()), done_signal_(ws_.get_executor()) {
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
  asio::steady_timer outbox_signal_; // writer: something to send
  asio::steady_timer space_signal_;  // speaker: the outbox drained
  std::deque<utterance> todo_;
  asio::steady_timer todo_signal_;   // speaker: something to say
  asio::steady_timer done_signal_;   // reader: writer has finished
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

void ws_session::send(std::string data, bool binary, std::uint64_t samples) {
  if (closed_) return;
  outbox_bytes_ += data.size();
  samples_queued_ += samples;
  outbox_.push_back({std::move(data), binary, generation_, samples});
  wake(outbox_signal_);
}

void ws_session::start_closing() {
  closing_ = true;
  // Cancel, never destroy: the speaker may be suspended inside current_->next(); it drops the
  // stream itself once next() returns.
  if (current_) current_->cancel();
  todo_.clear();
  wake(todo_signal_);
  wake(outbox_signal_);
  wake(space_signal_);
}

void ws_session::fail() {
  closed_ = true;
  start_closing();
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  wake(done_signal_);
}

void ws_session::barge_in() {
  ++generation_;
  if (current_) current_->cancel(); // the speaker notices the new generation and drops it
  todo_.clear();
  segmenter_.clear();
  // Nothing of the cancelled speech may follow the `cancelled` event: drop its queued audio.
  std::erase_if(outbox_, [&](const outgoing& o) {
    if (o.samples == 0) return false;
    outbox_bytes_ -= o.data.size();
    return true;
  });
  std::string last_word;
  for (const auto& w : words_)
    if (w.end_sample <= samples_sent_) last_word = w.json;
  words_.clear();
  send(api::stream_cancelled(samples_sent_, last_word));
  samples_sent_ = 0;
  samples_queued_ = 0;
  wake(todo_signal_);
  wake(space_signal_);
}

asio::awaitable<void> ws_session::writer() {
  for (;;) {
    while (outbox_.empty() && !closing_ && !closed_) co_await wait(outbox_signal_);
    if (closed_) break;
    if (outbox_.empty()) { // closing, and everything before the close has gone out
      boost::system::error_code ec;
      co_await ws_.async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
      break;
    }
    outgoing msg = std::move(outbox_.front());
    outbox_.pop_front();
    outbox_bytes_ -= msg.data.size();
    wake(space_signal_);
    if (msg.samples > 0 && msg.generation != generation_) continue;
    ws_.binary(msg.binary);
    boost::system::error_code ec;
    co_await ws_.async_write(asio::buffer(msg.data), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      fail();
      break;
    }
    if (msg.generation == generation_) samples_sent_ += msg.samples;
    log.bytes += msg.data.size();
  }
  writer_done_ = true;
  wake(done_signal_);
}

asio::awaitable<bool> ws_session::wait_for_space() {
  auto deadline = clock_type::now() + std::chrono::milliseconds(ctx_->config.ws_stalled_ms);
  while (outbox_bytes_ > ctx_->config.ws_max_outbox_bytes && !closed_ && !closing_) {
    if (clock_type::now() >= deadline) {
      fail(); // the client stopped reading: drop it rather than buffer without bound
      co_return false;
    }
    co_await wait(space_signal_, deadline - clock_type::now());
  }
  co_return !closed_ && !closing_;
}

asio::awaitable<void> ws_session::speaker() {
  while (!closed_ && !closing_) {
    if (todo_.empty()) {
      if (protocol_ == protocol::speech_stream && ended_) {
        send(api::stream_done(samples_queued_)); // the close follows only once all of it is written
        start_closing();
        break;
      }
      co_await wait(todo_signal_);
      continue;
    }
    utterance u = std::move(todo_.front());
    todo_.pop_front();
    co_await speak(std::move(u));
  }
}

asio::awaitable<void> ws_session::speak(utterance u) {
  const std::uint64_t generation = generation_;
  const bool realtimetts = protocol_ == protocol::realtimetts;
  api::logged_request entry;
  api::request_record& rec = entry.record;
  rec.id = log.id + "-" + std::to_string(++utterances_);
  rec.method = "WS";
  rec.route = log.route;
  rec.started = u.ready_at;
  api::record_speech(rec, {config.voice.engine, config.voice.voice, audio::format_name(config.format), u.text});
  synth::speech_input input{u.text, u.ssml, config.timing, u.origin};
  auto started = synth::encoded_stream::start(ctx_->synth, ctx_->compute, input, config.voice,
                                              {config.format, config.sample_rate, realtimetts ? 0 : api::openai_default_rate});
  if (!started) {
    rec.status = api::http_status(started.error().kind);
    send_error(started.error());
    co_return;
  }
  current_ = std::move(*started);
  rec.engine = current_->voice().engine;
  rec.voice = current_->voice().voice;
  rec.status = 200;
  const int rate = current_->output_rate();
  std::string header = current_->header();
  if (realtimetts) {
    send(api::ws_audio_output(header, rate, true));
  } else {
    if (!audio_started_) {
      audio_started_ = true;
      send(api::stream_audio_start(rate, config.format));
      if (!header.empty()) send(config.binary ? header : api::stream_audio_json(header), config.binary);
    }
    if (config.timing.level == timestamp_level::none) send(api::stream_sentence(u.text)); // else timing events say it
  }
  // Event times count the session's audio since the last cancel (each /ws utterance has its own WAV).
  const double time_offset = realtimetts ? 0.0 : static_cast<double>(samples_queued_) / rate;

  for (;;) {
    synth::encoded_piece piece = co_await current_->next();
    // The speech may have been cancelled (barge-in, stop, disconnect) while we waited.
    if (generation != generation_ || closed_ || closing_) break;
    if (piece.type == synth::encoded_piece::kind::failed) {
      rec.status = api::http_status(piece.failure.kind);
      send_error(piece.failure);
      break;
    }
    if (piece.type == synth::encoded_piece::kind::timing) {
      std::string event = api::timing_json(piece.timing, "", time_offset);
      if (piece.timing.type == synth::timing_event::kind::word) {
        words_.push_back({static_cast<std::uint64_t>(std::llround((piece.timing.end + time_offset) * rate)), event});
        // Only the last word sent in full and those still in flight can matter to a cancel.
        while (words_.size() > 1 && words_[1].end_sample <= samples_sent_) words_.pop_front();
      }
      send(std::move(event));
      continue;
    }
    if (!piece.bytes.empty()) {
      std::uint64_t samples = piece.bytes.size() / 2;
      rec.bytes += piece.bytes.size();
      if (rec.first_audio_ms < 0) rec.first_audio_ms = std::chrono::duration<double, std::milli>(clock_type::now() - u.ready_at).count();
      if (realtimetts) send(api::ws_audio_output(piece.bytes, rate, false), false, samples);
      else {
        if (!first_audio_sent_) {
          first_audio_sent_ = true;
          send(api::stream_first_audio(std::chrono::duration<double, std::milli>(clock_type::now() - u.ready_at).count()));
        }
        send(config.binary ? std::move(piece.bytes) : api::stream_audio_json(piece.bytes), config.binary, samples);
      }
    }
    if (piece.type == synth::encoded_piece::kind::end) {
      if (realtimetts) send(api::ws_final_output());
      break;
    }
    if (!co_await wait_for_space()) break;
  }
  if (generation != generation_ || closed_) rec.status = 499; // cancelled by the client (barge-in, stop, gone)
  current_.reset();
}

bool ws_session::queue_utterance(utterance u) {
  if (todo_.size() >= ctx_->config.ws_max_queued) {
    send_error(make_error(error_kind::overloaded, "too much text queued; wait for speech to catch up", "queue_full"));
    return false;
  }
  todo_.push_back(std::move(u));
  wake(todo_signal_);
  return true;
}

void ws_session::queue_sentences(std::vector<text::released_piece> sentences) {
  auto now = clock_type::now();
  // The raw text, not the collapsed sentence: offsets of its words point at what was sent.
  for (auto& s : sentences)
    if (!queue_utterance({std::move(s.raw), now, s.origin, false})) return;
}

void ws_session::on_text(std::string message) {
  if (protocol_ == protocol::realtimetts) {
    // The example server's protocol: "stop" (or nothing) ends the session.
    if (message.empty() || message == "stop") return start_closing();
    if (auto ok = ctx_->synth.check_text(message); !ok) return send_error(ok.error());
    bool ssml = config.ssml || api::looks_like_ssml(message);
    queue_utterance({std::move(message), clock_type::now(), {}, ssml});
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
    if (!voice) return send_error(voice.error());
    config = *c;
    config.voice = *voice;
    configured = true;
    return send(api::stream_ready(config, voice->engine, voice->voice));
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
      queue_utterance({std::move(t->text), clock_type::now(), {}, true});
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
    return wake(todo_signal_);
  }
  barge_in(); // stream_cancel
}

asio::awaitable<void> ws_session::reader() {
  beast::flat_buffer buffer;
  while (!closed_) {
    boost::system::error_code ec;
    buffer.clear();
    co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break; // closed by the client, a protocol error (Beast answers 1007/1009), or gone
    if (closing_) continue; // after stop: read until the close handshake completes
    if (ws_.got_binary()) {
      send_error(make_error(error_kind::invalid_request, "binary messages are not accepted here; send text", "binary_message"));
      continue;
    }
    on_text(beast::buffers_to_string(buffer.data()));
  }
  // The connection is over: stop speaking at once and let the writer finish.
  closed_ = true;
  start_closing();
  while (!writer_done_) co_await wait(done_signal_);
}

// Reads engine, voice, speed, pitch and sample_rate from the upgrade's query string.
result<api::stream_config> config_from_query(const api::parsed_target& target, synth::synthesizer& synth) {
  api::stream_config c;
  c.format = target.path == "/ws" ? audio_format::wav : audio_format::pcm;
  c.voice.engine = target.get("engine").value_or("");
  c.voice.voice = target.get("voice").value_or("");
  for (auto [key, out] : {std::pair{"speed", &c.voice.speed}, std::pair{"pitch", &c.voice.pitch}}) {
    if (auto v = target.get(key)) {
      auto d = api::parse_number(*v, key);
      if (!d) return d.error();
      *out = *d;
    }
  }
  if (auto v = target.get("normalize")) {
    auto flag = api::parse_flag(*v, "normalize");
    if (!flag) return flag.error();
    c.voice.normalize = *flag;
  }
  if (auto v = target.get("ssml")) {
    auto flag = api::parse_flag(*v, "ssml");
    if (!flag) return flag.error();
    c.ssml = *flag;
  }
  auto level = api::parse_timestamp_level(target.get("timestamps").value_or(""));
  if (!level) return level.error();
  auto unit = api::parse_offset_unit(target.get("offset_units").value_or(""));
  if (!unit) return unit.error();
  c.timing = {*level, *unit};
  if (auto v = target.get("sample_rate")) {
    auto d = api::parse_number(*v, "sample_rate");
    if (!d) return d.error();
    if (*d != std::floor(*d) || *d < min_sample_rate || *d > max_sample_rate)
      return make_error(error_kind::invalid_request, "sample_rate must be an integer from 8000 to 48000", "invalid_sample_rate", "sample_rate");
    c.sample_rate = static_cast<int>(*d);
  }
  auto voice = synth.resolve(c.voice);
  if (!voice) return voice.error();
  c.voice = *voice;
  return c;
}

http::response<http::string_body> upgrade_error(const error& e, unsigned version) {
  http::response<http::string_body> res{static_cast<http::status>(api::http_status(e.kind)), version};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(false);
  res.body() = api::error_json(e);
  res.prepare_payload();
  return res;
}

} // namespace

asio::awaitable<void> run_websocket(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, http::request<http::string_body> req) {
  api::request_record rec;
  rec.id = api::request_id_from(req["X-Request-ID"]);
  rec.method = std::string(req.method_string());
  rec.route = std::string(req.target().substr(0, req.target().find('?')));
  std::optional<error> refusal;
  auto target = api::parse_target(req.target());
  std::optional<api::stream_config> config;
  if (!api::host_allowed(req[http::field::host], ctx->config.allowed_hosts)) refusal = api::host_refusal(req[http::field::host]);
  else if (!api::origin_allowed(req[http::field::origin], req[http::field::host], ctx->config.cors_origins))
    refusal = api::origin_refusal(req[http::field::origin]); // a WebSocket is not bound by CORS: any page may open one
  else if (!target) refusal = target.error();
  else if (target->path != "/ws" && target->path != "/v1/audio/speech-stream")
    refusal = make_error(error_kind::not_found, "no WebSocket route " + target->path, "unknown_route");
  else if (auto key = api::check_api_key(req[http::field::authorization], ctx->config.api_keys); !key) {
    // Browsers cannot set headers on a WebSocket: the key may come as a subprotocol
    // "bearer.KEY", or as ?api_key= (which proxies log with the URL).
    auto offered = api::key_from_subprotocols(req[http::field::sec_websocket_protocol]);
    if (!api::check_api_key("Bearer " + (offered.empty() ? target->get("api_key").value_or("") : offered), ctx->config.api_keys))
      refusal = key.error();
  }
  if (!refusal && ctx->websockets >= ctx->config.ws_max_connections)
    refusal = make_error(error_kind::unavailable, "too many WebSocket sessions; try again later", "too_many_connections");
  if (!refusal && ctx->stopping) refusal = make_error(error_kind::unavailable, "the server is shutting down", "shutting_down");
  if (!refusal) {
    auto c = config_from_query(*target, ctx->synth);
    if (!c) refusal = c.error();
    else config = *c;
  }
  if (refusal) {
    boost::system::error_code ec;
    stream.expires_after(10s);
    co_await http::async_write(stream, upgrade_error(*refusal, req.version()), asio::redirect_error(asio::use_awaitable, ec));
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    rec.status = api::http_status(refusal->kind);
    api::log_request(rec);
    co_return;
  }

  auto kind = target->path == "/ws" ? protocol::realtimetts : protocol::speech_stream;
  auto session = std::make_shared<ws_session>(ctx, std::move(stream), kind);
  session->config = *config;
  session->log = std::move(rec);
  session->log.status = 101;
  auto& ws = session->ws();
  beast::get_lowest_layer(ws).expires_never(); // the websocket stream keeps its own timeouts
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds(ctx->config.ws_idle_timeout_s); // pings at half of it
  ws.set_option(timeouts);
  // A client that offers subprotocols must get one back (browsers fail the handshake otherwise):
  // "rtts" when offered, never the key.
  std::string chosen = api::subprotocol_answer(req[http::field::sec_websocket_protocol]);
  ws.set_option(websocket::stream_base::decorator([chosen](websocket::response_type& res) {
    res.set(http::field::server, "rtts");
    if (!chosen.empty()) res.set(http::field::sec_websocket_protocol, chosen);
  }));
  // A message carries at most one text of --max-text characters (4 bytes each, plus JSON).
  ws.read_message_max(ctx->config.max_text_chars * 4 + 4096);
  boost::system::error_code ec;
  co_await ws.async_accept(req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;

  asio::co_spawn(ws.get_executor(), ws_session::run_writer(session), asio::detached);
  asio::co_spawn(ws.get_executor(), ws_session::run_speaker(session), asio::detached);
  co_await session->reader();
  api::log_request(session->log); // the session as a whole: its length and bytes sent
}

} // namespace rtts::server
