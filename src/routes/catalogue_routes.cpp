// The catalogue routes (see catalogue_routes.hpp).
#include "routes/catalogue_routes.hpp"

#include "api/catalogue_json.hpp"

namespace rtts::routes {
namespace asio = boost::asio;

namespace {

bool detail_asked(const server::exchange& ex) {
  auto detail = ex.target.get("detail").value_or("0");
  return detail == "1" || detail == "true";
}

} // namespace

asio::awaitable<bool> engines(server::exchange& ex) {
  // A named local, not a conditional of temporaries inside co_await: g++ 12 double-frees those.
  std::string body = detail_asked(ex) ? api::engines_detail_json(ex.server->engine_infos()) : api::engines_json(ex.server->synth.engine_names());
  co_return co_await ex.reply(std::move(body));
}

asio::awaitable<bool> voices(server::exchange& ex) {
  const std::string engine = ex.target.get("engine").value_or("");
  auto info = ex.server->synth.engine_info(engine);
  if (!info) co_return co_await ex.reply(info.error());
  std::string body = api::voices_json(**info, detail_asked(ex), ex.server->synth.broken_voices(engine));
  co_return co_await ex.reply(std::move(body));
}

asio::awaitable<bool> set_engine(server::exchange& ex) {
  auto name = ex.target.get("engine_name");
  if (!name || name->empty())
    co_return co_await ex.reply(make_error(error_kind::invalid_request, "the 'engine_name' query parameter is required", "missing_engine_name", "engine_name"));
  if (auto set = ex.server->synth.set_default_engine(*name); !set) co_return co_await ex.reply(set.error());
  co_return co_await ex.reply(api::message_json("Switched to " + *name + " engine"));
}

asio::awaitable<bool> set_voice(server::exchange& ex) {
  auto name = ex.target.get("voice_name");
  if (!name || name->empty())
    co_return co_await ex.reply(make_error(error_kind::invalid_request, "the 'voice_name' query parameter is required", "missing_voice_name", "voice_name"));
  if (auto set = ex.server->synth.set_default_voice(*name); !set) co_return co_await ex.reply(set.error());
  co_return co_await ex.reply(api::message_json("Voice set to " + *name + " successfully"));
}

asio::awaitable<bool> models(server::exchange& ex) { co_return co_await ex.reply(api::models_json(ex.server->synth.engine_names())); }

asio::awaitable<bool> openai_voices(server::exchange& ex) {
  co_return co_await ex.reply(api::openai_voices_json(ex.server->config.openai_voices, ex.server->engine_infos()));
}

} // namespace rtts::routes
