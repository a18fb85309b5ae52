// The MaryTTS routes (see routes.hpp). MaryTTS clients expect a whole WAV file with exact sizes,
// so /process collects the audio up to a bound that covers every usual answer (minutes of
// speech); a longer one streams on from there with a streaming header instead, so no answer
// holds more than the bound in memory.
#include "marytts/routes.hpp"

#include "audio/wav.hpp"
#include "marytts/protocol.hpp"
#include "session/speak.hpp"

#include <boost/beast/http.hpp>

#include <vector>

namespace rtts::marytts {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::beast::http::verb;
using server::access;

namespace {

// Audio collected in memory for one answer, at most (16 MiB: over 6 minutes at 22 kHz).
constexpr std::size_t whole_file_bytes = 16u << 20;

server::http_response plain(const server::exchange& ex, std::string body) {
  return server::text_response("text/plain; charset=utf-8", std::move(body), ex.keep_alive);
}

asio::awaitable<bool> voices(server::exchange& ex) { co_return co_await ex.send(plain(ex, voices_text(ex.server->engine_infos()))); }
asio::awaitable<bool> locales(server::exchange& ex) { co_return co_await ex.send(plain(ex, locales_text(ex.server->engine_infos()))); }
asio::awaitable<bool> version(server::exchange& ex) { co_return co_await ex.send(plain(ex, version_text())); }
asio::awaitable<bool> audioformats(server::exchange& ex) { co_return co_await ex.send(plain(ex, audioformats_text())); }

// MaryTTS's framing of one utterance: a whole WAV file with exact sizes, or, past the bound,
// what came so far and then the rest as it is made (chunked, or for HTTP/1.0 a body the closing
// connection ends).
class mary_answer final : public session::speech_output {
public:
  explicit mary_answer(server::exchange& ex) : ex_(ex), chunked_(ex.req.version() >= 11) {}
  bool keep_alive() const { return keep_alive_; }

  asio::awaitable<bool> refused(const error& e) override {
    result<std::string> answer = e; // named: g++ 12 frees temporaries in co_await expressions twice
    keep_alive_ = co_await ex_.reply(std::move(answer));
    co_return keep_alive_;
  }
  asio::awaitable<bool> began(const synth::encoded_stream& speech, std::string) override {
    rate_ = static_cast<std::uint32_t>(speech.output_rate());
    co_return true;
  }
  asio::awaitable<bool> timing(const synth::timing_event&) override { co_return true; }
  asio::awaitable<bool> audio(std::string bytes) override {
    if (streaming_) co_return co_await server::write_stream_piece(*ex_.server, ex_.stream, ex_.rec, bytes, chunked_);
    pcm_ += bytes;
    if (pcm_.size() <= whole_file_bytes) co_return true;
    // Too long to hold: a streaming WAV header, what came so far, the rest as it comes.
    streaming_ = true;
    auto header = audio::make_wav_header(rate_);
    pcm_.insert(0, reinterpret_cast<const char*>(header.data()), header.size());
    server::stream_head head{http::status::ok, 11};
    head.set(http::field::server, "rtts");
    head.set(http::field::content_type, "audio/x-wav");
    head.set("X-Request-ID", ex_.rec.id);
    const bool keep_alive = chunked_ && ex_.keep_alive;
    if (!co_await server::write_stream_head(*ex_.server, ex_.stream, ex_.rec, head, chunked_, keep_alive)) co_return false;
    std::string so_far = std::move(pcm_);
    pcm_ = {};
    co_return co_await server::write_stream_piece(*ex_.server, ex_.stream, ex_.rec, so_far, chunked_);
  }
  asio::awaitable<bool> ended() override {
    if (streaming_) {
      keep_alive_ = co_await server::write_stream_end(*ex_.server, ex_.stream, chunked_, chunked_ && ex_.keep_alive);
      co_return keep_alive_;
    }
    auto header = audio::make_wav_header(rate_, 1, static_cast<std::uint32_t>(pcm_.size()));
    server::http_response res{http::status::ok, 11};
    res.set(http::field::server, "rtts");
    res.set(http::field::content_type, "audio/x-wav");
    res.keep_alive(ex_.keep_alive);
    res.body().assign(reinterpret_cast<const char*>(header.data()), header.size());
    res.body() += pcm_;
    res.prepare_payload();
    keep_alive_ = co_await ex_.send(std::move(res));
    co_return keep_alive_;
  }
  asio::awaitable<bool> failed(const error& e) override {
    result<std::string> answer = e;
    if (!streaming_) keep_alive_ = co_await ex_.reply(std::move(answer));
    co_return false; // streaming: cut short, the client sees a truncated body
  }

private:
  server::exchange& ex_;
  bool chunked_;
  bool keep_alive_ = false;
  bool streaming_ = false;
  std::uint32_t rate_ = 0;
  std::string pcm_;
};

asio::awaitable<bool> process(server::exchange& ex) {
  // A POST carries a form body, with or without a Content-Type saying so.
  auto params = ex.req.method() == verb::post ? api::parse_target("/process?" + ex.req.body()) : result<api::parsed_target>(ex.target);
  if (!params) co_return co_await ex.reply(params.error());
  auto parsed = parse_process_request(*params, ex.server->engine_infos(), ex.server->synth.default_engine());
  if (!parsed) co_return co_await ex.reply(parsed.error());
  session::utterance u;
  u.text = parsed->text;
  u.ssml = parsed->ssml;
  u.voice = parsed->voice;
  u.output = {audio_format::pcm, 0, 0};
  u.ready_at = ex.rec.started;
  mary_answer out(ex);
  co_await session::speak(ex.server->synth, ex.server->compute, u, out, ex.rec);
  co_return out.keep_alive();
}

} // namespace

std::span<const server::route> marytts_routes() {
  static const std::vector<server::route> table = {
      {"/process", verb::get, process, access::open, false, false, verb::post},
      {"/voices", verb::get, voices, access::open, false, false},
      {"/locales", verb::get, locales, access::open, false, false},
      {"/version", verb::get, version, access::open, false, false},
      {"/audioformats", verb::get, audioformats, access::open, false, false},
  };
  return table;
}

} // namespace rtts::marytts
