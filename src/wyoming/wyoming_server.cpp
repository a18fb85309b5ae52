#include "wyoming/wyoming_server.hpp"

#include "core/json_fields.hpp"
#include "core/report_failure.hpp"

#include "api/error_body.hpp"
#include "api/request_log.hpp"
#include "api/tts_query.hpp"
#include "net/listen.hpp"
#include "synth/encoded_stream.hpp"
#include "synth/utterance_queue.hpp"
#include "text/incremental_segmenter.hpp"
#include "text/utf8.hpp"
#include "wyoming/catalogue.hpp"
#include "wyoming/framing.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include <deque>

namespace rtts::wyoming {
namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

// One queued piece of speech. `end_of_stream` closes a streaming request.
struct job {
  std::string text;
  voice_options voice;
  bool streaming = false;
  bool end_of_stream = false;
};

// Events are built by a function, never as braced temporaries inside co_await expressions:
// g++ 12 miscompiles those in coroutines.
event make_event(std::string type, json::object data, std::string payload) { return event{std::move(type), std::move(data), std::move(payload)}; }

} // namespace

struct wyoming_server::impl : std::enable_shared_from_this<impl> {
  struct session;
  asio::io_context& io;
  asio::thread_pool& compute;
  server_config config;
  synth::synthesizer& synth;
  tcp::acceptor acceptor;
  std::size_t connections = 0;
  bool stopping = false;
  std::vector<std::weak_ptr<session>> sessions; // for drain and close_all

  impl(asio::io_context& io_, asio::thread_pool& compute_, const server_config& config_, synth::synthesizer& synth_)
      : io(io_), compute(compute_), config(config_), synth(synth_), acceptor(io_) {}

  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    while (!self->stopping) {
      boost::system::error_code ec;
      tcp::socket socket = co_await self->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto s = std::make_shared<session>(self, std::move(socket));
      if (self->connections > self->config.max_connections) {
        // Over the limit: say why in the protocol's own terms, then hang up.
        asio::co_spawn(self->io, session::run_refusal(s), report_failure{"a Wyoming refusal"});
        continue;
      }
      std::erase_if(self->sessions, [](const std::weak_ptr<session>& w) { return w.expired(); });
      self->sessions.push_back(s);
      asio::co_spawn(self->io, session::run_speaker(s), report_failure{"a Wyoming session's speaker"});
      asio::co_spawn(self->io, session::run_reader(s), report_failure{"a Wyoming session's reader"});
    }
  }

  // One connection: the reader parses events and answers describe/ping at once; the speaker
  // synthesizes queued jobs in order. Writes take turns (one at a time on the socket).
  struct session : std::enable_shared_from_this<session> {
    std::shared_ptr<impl> server;
    tcp::socket socket;
    synth::wake_list write_done; // a write ended (the next may begin)
    asio::steady_timer write_deadline, read_deadline; // a client that takes or sends nothing is dropped
    bool writing = false, closed = false, speaking = false;
    synth::utterance_queue<job> todo;
    std::unique_ptr<synth::encoded_stream> current;
    // streaming request state
    bool streaming = false, stream_audio_started = false;
    voice_options stream_voice;
    text::incremental_segmenter segmenter;
    std::size_t stream_chars = 0; // text of the streaming request so far, against --max-text
    // Each synthesis logs one line under "<connection id>-<n>".
    std::string log_id = api::request_id_from("");
    std::size_t spoken = 0;

    session(std::shared_ptr<impl> s, tcp::socket sock)
        : server(std::move(s)), socket(std::move(sock)),           write_deadline(socket.get_executor()), read_deadline(socket.get_executor()), todo(server->config.ws_max_queued) {
      ++server->connections;
    }
    ~session() { --server->connections; }

    // What a drain waits for: speech in progress or asked for.
    bool busy() const { return !closed && (speaking || !todo.empty() || streaming); }
    // Nothing being spoken or waiting: the idle timeout runs (a streaming request that sends no
    // text counts as idle too).
    bool idle() const { return !speaking && todo.empty(); }

    // Closes the socket when `timer` fires before it is cancelled (the operation it guards ended).
    void arm(asio::steady_timer& timer, std::chrono::milliseconds limit) {
      timer.expires_after(limit);
      timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec) self->close();
      });
    }

    asio::awaitable<bool> send(event e) {
      while (writing && !closed) co_await write_done.wait();
      if (closed) co_return false;
      writing = true;
      std::string bytes = encode(e);
      boost::system::error_code ec;
      // Backpressure: the speaker waits here while the client is slow, and a client that takes
      // nothing for --ws-stalled-ms is dropped (its engine time goes to others).
      arm(write_deadline, std::chrono::milliseconds(server->config.ws_stalled_ms));
      co_await asio::async_write(socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
      write_deadline.cancel();
      writing = false;
      write_done.wake_all();
      if (ec) close();
      co_return !ec && !closed;
    }

    static asio::awaitable<void> run_refusal(std::shared_ptr<session> self) {
      {
        event ev = make_event("error",
                              json::object{{"text", "too many connections (limit " + std::to_string(self->server->config.max_connections) + ")"},
                                           {"code", "too_many_connections"}},
                              {});
        co_await self->send(std::move(ev));
      }
      self->close();
    }

    // An error event for one request; the connection stays open.
    asio::awaitable<void> send_error(error e) {
      event ev = make_event("error", json::object{{"text", e.message}, {"code", e.code}}, {});
      co_await send(std::move(ev));
    }

    void close() {
      closed = true;
      if (current) current->cancel(); // the speaker drops it once next() returns
      todo.clear();
      boost::system::error_code ignored;
      socket.close(ignored);
      write_done.wake_all();
      write_deadline.cancel();
      read_deadline.cancel();
    }

    // False (and the client told why) when the session's queue is full: a client may not pile
    // up more speech than --ws-max-queued utterances ahead of what it hears.
    asio::awaitable<bool> queue(job j) {
      auto queued = todo.push(std::move(j));
      if (!queued) co_await send_error(queued.error());
      co_return bool(queued);
    }

    static asio::awaitable<void> run_reader(std::shared_ptr<session> self) { co_await self->reader(); }
    static asio::awaitable<void> run_speaker(std::shared_ptr<session> self) { co_await self->speaker(); }

    asio::awaitable<void> reader() {
      decoder in;
      std::vector<char> buf(16384);
      while (!closed) {
        boost::system::error_code ec;
        // A connection that says nothing for --ws-idle-timeout while nothing is spoken for it is
        // closed (speech in progress keeps it open: the client is listening).
        if (idle()) arm(read_deadline, std::chrono::seconds(server->config.ws_idle_timeout_s));
        std::size_t n = co_await socket.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
        read_deadline.cancel();
        if (ec) break;
        in.feed({buf.data(), n});
        for (;;) {
          auto e = in.next();
          if (!e) { // malformed or oversized: say so, then hang up
            {
              event ev = make_event("error", json::object{{"text", e.error().message}, {"code", "malformed"}}, {});
              co_await send(std::move(ev));
            }
            close();
            co_return;
          }
          if (!*e) break;
          co_await handle(std::move(**e));
          if (closed) co_return;
        }
      }
      close(); // the client went away: stop its synthesis at once
    }

    asio::awaitable<void> handle(event e) {
      if (e.type == "describe") {
        event info = info_event(server->synth);
        co_await send(std::move(info));
      } else if (e.type == "ping") {
        {
          event ev = make_event("pong", e.data.contains("text") ? json::object{{"text", e.data.at("text")}} : json::object{}, {});
          co_await send(std::move(ev));
        }
      } else if ((e.type == "synthesize" && !streaming) || e.type == "synthesize-start") {
        // (Inside a stream, Home Assistant also sends the whole text as `synthesize` for older
        // servers: a copy to ignore.)
        if (server->stopping) {
          error refused = make_error(error_kind::unavailable, "the server is shutting down", "shutting_down");
          co_return co_await send_error(std::move(refused));
        }
        if (e.type == "synthesize") {
          // Named jobs, never braced temporaries, in co_await expressions (g++ 12 frees those twice).
          job whole{json_text(e.data, "text"), pick_voice(server->synth, e.data), false, false};
          co_await queue(std::move(whole));
          co_return;
        }
        streaming = true;
        stream_audio_started = false;
        stream_voice = pick_voice(server->synth, e.data);
        stream_chars = 0;
        segmenter.clear();
      } else if (e.type == "synthesize-chunk") {
        if (!streaming) co_return;
        std::string chunk = json_text(e.data, "text");
        stream_chars += text::count_code_points(chunk);
        if (stream_chars > server->config.max_text_chars) { // the text of one request, as on every route
          error too_long = make_error(error_kind::payload_too_large,
                                      "the streamed text is longer than " + std::to_string(server->config.max_text_chars) + " characters",
                                      "text_too_long", "text");
          co_await send_error(std::move(too_long));
          close();
          co_return;
        }
        segmenter.push(chunk);
        for (auto& sentence : segmenter.take_ready()) {
          job part{std::move(sentence), stream_voice, true, false};
          if (!co_await queue(std::move(part))) co_return;
        }
      } else if (e.type == "synthesize-stop") {
        if (!streaming) co_return;
        for (auto& sentence : segmenter.flush()) {
          job part{std::move(sentence), stream_voice, true, false};
          if (!co_await queue(std::move(part))) break;
        }
        // The stream's end is always queued (the queue may go one over its limit for it), so
        // the client gets its audio-stop and synthesize-stopped.
        todo.push_anyway({{}, stream_voice, true, true});
        streaming = false;
      }
      // Anything else is not for a TTS service: ignored, the connection stays open.
    }

    asio::awaitable<void> speaker() {
      while (!closed) {
        if (todo.empty()) {
          if (server->stopping && !streaming) break; // drained: nothing more will be asked
          co_await todo.wait();
          continue;
        }
        speaking = true;
        co_await speak(todo.pop());
        speaking = false;
        // Idle again: the idle timeout runs from here (the reader's pending read has none).
        if (idle()) arm(read_deadline, std::chrono::seconds(server->config.ws_idle_timeout_s));
      }
      close();
    }

    // Drain: wake the speaker so an idle session closes now and a busy one after its queue.
    void drain() { todo.wake(); }

    asio::awaitable<void> speak(job j) {
      if (j.end_of_stream) {
        if (!stream_audio_started) { // a stream with no text still gets its audio-start/stop pair
          auto info = server->synth.engine_info(j.voice.engine);
          int rate = info ? (*info)->rate_of(j.voice.voice) : 22050;
          {
            event ev = make_event("audio-start", json::object{{"rate", rate}, {"width", 2}, {"channels", 1}}, {});
            co_await send(std::move(ev));
          }
        }
        stream_audio_started = false;
        {
          event ev = make_event("audio-stop", {}, {});
          co_await send(std::move(ev));
        }
        {
          event ev = make_event("synthesize-stopped", {}, {});
          co_await send(std::move(ev));
        }
        co_return;
      }
      api::logged_request entry;
      api::request_record& rec = entry.record;
      rec.id = log_id + "-" + std::to_string(++spoken);
      rec.method = "WYOMING";
      rec.route = j.streaming ? "synthesize-chunk" : "synthesize";
      api::record_speech(rec, {j.voice.engine, j.voice.voice, "pcm", j.text});
      // A whole text that is an SSML document is read as one (streamed chunks are plain text).
      synth::speech_input input{j.text, !j.streaming && api::looks_like_ssml(j.text), {}, {}};
      auto started = co_await synth::encoded_stream::start(server->synth, server->compute, input, j.voice, {audio_format::pcm, 0, 0});
      if (!started) {
        rec.status = api::http_status(started.error().kind);
        {
          event ev = make_event("error", json::object{{"text", started.error().message}, {"code", started.error().code}}, {});
          co_await send(std::move(ev));
        }
        co_return;
      }
      current = std::move(*started);
      rec.engine = current->voice().engine;
      rec.voice = current->voice().voice;
      rec.status = 499; // until the end arrives: a client that leaves first cancelled it
      json::object format{{"rate", current->output_rate()}, {"width", 2}, {"channels", 1}};
      if (!j.streaming || !stream_audio_started) {
        event start = make_event("audio-start", format, {});
        if (!co_await send(std::move(start))) co_return;
        stream_audio_started = j.streaming;
      }
      for (;;) {
        synth::encoded_piece piece = co_await current->next();
        if (closed) break;
        if (piece.type == synth::encoded_piece::kind::failed) {
          rec.status = api::http_status(piece.failure.kind);
          {
            event ev = make_event("error", json::object{{"text", piece.failure.message}, {"code", "engine_failure"}}, {});
            co_await send(std::move(ev));
          }
          break;
        }
        if (!piece.bytes.empty()) {
          if (rec.first_audio_ms < 0)
            rec.first_audio_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - rec.started).count();
          rec.bytes += piece.bytes.size();
          event chunk = make_event("audio-chunk", format, std::move(piece.bytes));
          if (!co_await send(std::move(chunk))) break;
        }
        if (piece.type == synth::encoded_piece::kind::end) {
          rec.status = 200;
          if (!j.streaming) {
            event stop = make_event("audio-stop", {}, {});
            co_await send(std::move(stop));
          }
          break;
        }
      }
      current.reset();
    }
  };
};

wyoming_server::wyoming_server(asio::io_context& io, asio::thread_pool& compute, const server_config& config, synth::synthesizer& synth)
    : impl_(std::make_shared<impl>(io, compute, config, synth)) {}

wyoming_server::~wyoming_server() { stop(); }

result<unsigned> wyoming_server::listen(const std::string& host, unsigned port) { return net::listen_on(impl_->acceptor, host, port); }

void wyoming_server::start() { asio::co_spawn(impl_->io, impl::accept_loop(impl_), report_failure{"the Wyoming accept loop"}); }

void wyoming_server::stop() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& w : impl_->sessions)
    if (auto s = w.lock()) s->drain();
}

void wyoming_server::close_all() {
  for (auto& w : impl_->sessions)
    if (auto s = w.lock()) s->close();
}

std::size_t wyoming_server::active_connections() const { return impl_->connections; }

std::size_t wyoming_server::busy_sessions() const {
  std::size_t n = 0;
  for (const auto& w : impl_->sessions)
    if (auto s = w.lock(); s && s->busy()) ++n;
  return n;
}

} // namespace rtts::wyoming
