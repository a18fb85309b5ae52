// The WebSocket session's reader, speaker and writer (see ws_session.hpp).
#include "server/ws_session.hpp"

#include "api/error_body.hpp"
#include "api/openai_speech.hpp"
#include "api/tts_query.hpp"
#include "api/timing_json.hpp"
#include "audio/format.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cmath>

namespace rtts::server {
using namespace std::chrono_literals;


void ws_session::send(std::string data, bool binary, std::uint64_t samples) {
  if (closed_) return;
  outbox_bytes_ += data.size();
  samples_queued_ += samples;
  outbox_.push_back({std::move(data), binary, generation_, samples});
  outbox_filled_.wake_all();
}

void ws_session::start_closing() {
  closing_ = true;
  // Cancel, never destroy: the speaker may be suspended inside current_->next(); it drops the
  // stream itself once next() returns.
  if (current_) current_->cancel();
  todo_.clear();
  outbox_filled_.wake_all();
  outbox_drained_.wake_all();
}

void ws_session::fail() {
  closed_ = true;
  start_closing();
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  writer_finished_.wake_all();
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
  todo_.wake();
  outbox_drained_.wake_all();
}

asio::awaitable<void> ws_session::writer() {
  for (;;) {
    while (outbox_.empty() && !closing_ && !closed_) co_await outbox_filled_.wait();
    if (closed_) break;
    if (outbox_.empty()) { // closing, and everything before the close has gone out
      boost::system::error_code ec;
      co_await ws_.async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
      break;
    }
    outgoing msg = std::move(outbox_.front());
    outbox_.pop_front();
    outbox_bytes_ -= msg.data.size();
    outbox_drained_.wake_all();
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
  writer_finished_.wake_all();
}

asio::awaitable<bool> ws_session::wait_for_space() {
  auto deadline = clock_type::now() + std::chrono::milliseconds(ctx_->config.ws_stalled_ms);
  while (outbox_bytes_ > ctx_->config.ws_max_outbox_bytes && !closed_ && !closing_) {
    if (clock_type::now() >= deadline) {
      fail(); // the client stopped reading: drop it rather than buffer without bound
      co_return false;
    }
    co_await outbox_drained_.wait(deadline);
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
      co_await todo_.wait();
      continue;
    }
    co_await speak(todo_.pop());
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
  auto started = co_await synth::encoded_stream::start(ctx_->synth, ctx_->compute, input, config.voice,
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
  auto queued = todo_.push(std::move(u));
  if (!queued) send_error(queued.error());
  return bool(queued);
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
    return todo_.wake();
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
  while (!writer_done_) co_await writer_finished_.wait();
}

} // namespace rtts::server
