// The voice administration routes (see voice_admin_routes.hpp).
#include "routes/voice_admin_routes.hpp"

#include "api/catalogue_json.hpp"
#include "core/on_pool.hpp"
#include "api/openai_voice_map.hpp"
#include "engines/neural/neural_engine.hpp"
#include "engines/neural/piper_catalogue.hpp"
#include "engines/neural/voice_install.hpp"
#include "engines/registry.hpp"
#include "synth/self_command.hpp"
#include "synth/voice_fetcher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>


namespace rtts::routes {
namespace asio = boost::asio;
namespace neural = engines::neural;

namespace {

constexpr std::string_view voices_prefix = "/v1/audio/voices/";

} // namespace

asio::awaitable<bool> delete_voice(server::exchange& ex) {
  std::string id = ex.target.path.substr(voices_prefix.size());
  // Named, not a temporary in the co_await expression (g++ 12 destroys those twice).
  auto remove = [id] { return neural::remove_voice(id, neural::neural_settings::from_environment().voice_folders); };
  auto removed = co_await on_pool(ex.server->compute, std::move(remove));
  if (!removed) co_return co_await ex.reply(removed.error());
  // The engines learn it now rather than at the folder watch's next look.
  auto inventory = co_await on_pool(ex.server->compute, engines::take_neural_inventory);
  co_await ex.server->synth.refresh_voices(std::move(inventory));
  std::string engine = neural::family_name(removed->kind);
  std::string body = boost::json::serialize(boost::json::object{
      {"id", engine + ":" + removed->id}, {"object", "voice"}, {"deleted", true}, {"engine", engine}, {"voice", removed->id}});
  co_return co_await ex.reply(std::move(body));
}

asio::awaitable<bool> pull_voice(server::exchange& ex) {
  boost::system::error_code ec;
  auto body = boost::json::parse(ex.req.body(), ec);
  const auto* id_field = !ec && body.is_object() ? body.as_object().if_contains("id") : nullptr;
  if (!id_field || !id_field->is_string())
    co_return co_await ex.reply(make_error(error_kind::invalid_request, "send {\"id\": \"<catalogue voice id>\"}", "missing_id", "id"));
  std::string id(id_field->as_string());
  if (!neural::is_catalogue_id(id))
    co_return co_await ex.reply(make_error(error_kind::invalid_request, "'" + id + "' is not a catalogue voice id", "invalid_id", "id"));
  // Into the first voices folder, as `rtts voices pull` installs.
  auto child = synth::self_command::start(ex.stream.get_executor(), synth::pull_command(ex.server->config, id));
  if (!child) co_return co_await ex.reply(make_error(error_kind::engine_failure, "the pull could not be started: " + child.error().message, "pull_failed"));

  server::stream_head head{boost::beast::http::status::ok, 11};
  head.set(boost::beast::http::field::server, "rtts");
  head.set(boost::beast::http::field::content_type, "text/event-stream");
  head.set(boost::beast::http::field::cache_control, "no-store");
  const bool chunked = ex.req.version() >= 11;
  const auto& server = *ex.server;
  bool client_here = co_await server::write_stream_head(server, ex.stream, ex.rec, head, chunked, ex.keep_alive);
  // Each line the pull prints is one event; the client leaving stops the pull (a partial
  // download stays for the next pull to continue).
  while (client_here) {
    auto line = co_await (*child)->next_line();
    if (!line) break;
    client_here = co_await server::write_stream_piece(server, ex.stream, ex.rec, "data: " + *line + "\n\n", chunked);
  }
  if (!client_here) (*child)->stop();
  int status = co_await (*child)->exit_status(ex.server->compute);
  if (!client_here) co_return false;
  std::string last;
  if (status == 0) {
    // The engines learn it now rather than at the folder watch's next look.
    auto inventory = co_await on_pool(ex.server->compute, engines::take_neural_inventory);
    co_await ex.server->synth.refresh_voices(std::move(inventory));
    last = boost::json::serialize(boost::json::object{{"event", "done"}, {"id", id}});
  } else {
    last = boost::json::serialize(boost::json::object{{"event", "failed"}, {"id", id}, {"exit", status}});
  }
  if (!co_await server::write_stream_piece(server, ex.stream, ex.rec, "data: " + last + "\n\n", chunked)) co_return false;
  co_return co_await server::write_stream_end(server, ex.stream, chunked, ex.keep_alive);
}

asio::awaitable<bool> available_voices(server::exchange& ex) {
  auto child = synth::self_command::start(ex.stream.get_executor(), synth::available_command(ex.server->config));
  if (!child) co_return co_await ex.reply(make_error(error_kind::engine_failure, "the catalogue could not be read: " + child.error().message, "catalog_unavailable"));
  auto listed = co_await (*child)->next_line(); // one line of JSON; nothing when the command failed
  int status = co_await (*child)->exit_status(ex.server->compute);
  boost::system::error_code ec;
  auto catalogue = boost::json::parse(listed.value_or(""), ec);
  if (status != 0 || ec || !catalogue.is_array())
    co_return co_await ex.reply(make_error(error_kind::unavailable, "the voice catalogue could not be fetched and none is cached (see the server's log)",
                                           "catalog_unavailable"));
  auto body = boost::json::parse(api::openai_voices_json(api::openai_voice_map(ex.server->config, ex.server->engine_info_views()), ex.server->engine_infos())).as_object();
  body["available"] = std::move(catalogue);
  co_return co_await ex.reply(boost::json::serialize(body));
}

} // namespace rtts::routes
