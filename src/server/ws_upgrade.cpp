// WebSocket upgrades: the checks a session must pass before it opens (Host, Origin, route, API
// key, session limit, drain, the query's settings), answered as plain HTTP errors; then the
// handshake and the session's three coroutines.
#include "server/ws_upgrade.hpp"

#include "core/report_failure.hpp"

#include "server/http_reply.hpp"
#include "server/ws_session.hpp"

#include "api/api_keys.hpp"
#include "api/cross_site.hpp"
#include "api/error_body.hpp"
#include "api/timing_json.hpp"
#include "api/tts_query.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cmath>
#include <optional>

namespace rtts::server {
namespace http = beast::http;
using namespace std::chrono_literals;

namespace {

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
  if (voice) c.voice = *voice;
  else if (synth.may_pull(c.voice)) c.voice.engine = c.voice.engine.empty() ? synth.default_engine() : c.voice.engine; // installed when the first text arrives (--auto-pull)
  else return voice.error();
  return c;
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
    auto refused = error_response(*refusal, false);
    co_await http::async_write(stream, refused, asio::redirect_error(asio::use_awaitable, ec));
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    rec.status = api::http_status(refusal->kind);
    api::log_request(rec);
    co_return;
  }

  auto kind = target->path == "/ws" ? ws_protocol::realtimetts : ws_protocol::incremental;
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

  ctx->sessions.add(session);
  if (ctx->stopping) session->drain(); // the drain began during the handshake
  session->start(ws.get_executor());
  co_await session->reader();
  api::log_request(session->log); // the session as a whole: its length and bytes sent
}


} // namespace rtts::server
