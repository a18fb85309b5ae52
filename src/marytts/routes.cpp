// The MaryTTS routes (see routes.hpp). MaryTTS clients expect a whole WAV file with exact sizes,
// so /process collects the audio up to a bound that covers every usual answer (minutes of
// speech); a longer one streams on from there with a streaming header instead, so no answer
// holds more than the bound in memory.
#include "marytts/routes.hpp"

#include "audio/wav.hpp"
#include "marytts/protocol.hpp"
#include "synth/encoded_stream.hpp"

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

// An answer too long to hold: what came so far, then the rest as it is made (chunked, or for
// HTTP/1.0 a body the closing connection ends).
asio::awaitable<bool> stream_rest(server::exchange& ex, std::unique_ptr<synth::encoded_stream> speech, std::string pcm) {
  const bool http10 = ex.req.version() < 11;
  const bool keep_alive = !http10 && ex.keep_alive;
  auto header = audio::make_wav_header(static_cast<std::uint32_t>(speech->output_rate()));
  pcm.insert(0, reinterpret_cast<const char*>(header.data()), header.size());
  server::stream_head head{http::status::ok, 11};
  head.set(http::field::server, "rtts");
  head.set(http::field::content_type, "audio/x-wav");
  head.set("X-Request-ID", ex.rec.id);
  const auto& server = *ex.server;
  if (!co_await server::write_stream_head(server, ex.stream, ex.rec, head, !http10, keep_alive)) co_return false;
  std::string wire = std::move(pcm);
  for (bool ended = false;;) {
    if (!co_await server::write_stream_piece(server, ex.stream, ex.rec, wire, !http10)) co_return false;
    if (ended) co_return co_await server::write_stream_end(server, ex.stream, !http10, keep_alive);
    auto piece = co_await speech->next();
    if (piece.type == synth::encoded_piece::kind::failed) co_return false; // cut short: the client sees a truncated body
    wire = std::move(piece.bytes);
    ended = piece.type == synth::encoded_piece::kind::end;
  }
}

asio::awaitable<bool> process(server::exchange& ex) {
  // A POST carries a form body, with or without a Content-Type saying so.
  auto params = ex.req.method() == verb::post ? api::parse_target("/process?" + ex.req.body()) : result<api::parsed_target>(ex.target);
  if (!params) co_return co_await ex.reply(params.error());
  auto parsed = parse_process_request(*params, ex.server->engine_infos(), ex.server->synth.default_engine());
  if (!parsed) co_return co_await ex.reply(parsed.error());
  synth::speech_input input{parsed->text, parsed->ssml, {}, {}};
  auto started = co_await synth::encoded_stream::start(ex.server->synth, ex.server->compute, input, parsed->voice, {audio_format::pcm, 0, 0});
  if (!started) co_return co_await ex.reply(started.error());
  std::unique_ptr<synth::encoded_stream> speech = std::move(*started);
  std::string pcm;
  for (;;) {
    auto piece = co_await speech->next();
    if (piece.type == synth::encoded_piece::kind::failed) co_return co_await ex.reply(piece.failure);
    pcm += piece.bytes;
    if (piece.type == synth::encoded_piece::kind::end) break;
    if (pcm.size() > whole_file_bytes) co_return co_await stream_rest(ex, std::move(speech), std::move(pcm));
  }
  auto header = audio::make_wav_header(static_cast<std::uint32_t>(speech->output_rate()), 1, static_cast<std::uint32_t>(pcm.size()));
  server::http_response res{http::status::ok, 11};
  res.set(http::field::server, "rtts");
  res.set(http::field::content_type, "audio/x-wav");
  res.keep_alive(ex.keep_alive);
  res.body().assign(reinterpret_cast<const char*>(header.data()), header.size());
  res.body() += pcm;
  res.prepare_payload();
  co_return co_await ex.send(std::move(res));
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
