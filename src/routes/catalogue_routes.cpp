// The catalogue routes (see catalogue_routes.hpp).
#include "routes/catalogue_routes.hpp"

#include "api/catalogue_json.hpp"
#include "api/openai_voice_map.hpp"
#include "routes/voice_admin_routes.hpp"

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

namespace {

// The RealtimeTTS routes that change a server-wide default: one required query parameter.
template <class Setter>
asio::awaitable<bool> set_default(server::exchange& ex, const std::string& param, Setter set, std::string (*message)(const std::string&)) {
  auto name = ex.target.get(param);
  if (!name || name->empty())
    co_return co_await ex.reply(make_error(error_kind::invalid_request, "the '" + param + "' query parameter is required", "missing_" + param, param));
  if (auto done = set(*name); !done) co_return co_await ex.reply(done.error());
  co_return co_await ex.reply(api::message_json(message(*name)));
}

} // namespace

asio::awaitable<bool> set_engine(server::exchange& ex) {
  auto& synth = ex.server->synth;
  co_return co_await set_default(ex, "engine_name", [&](const std::string& n) { return synth.set_default_engine(n); },
                                 [](const std::string& n) { return "Switched to " + n + " engine"; });
}

asio::awaitable<bool> set_voice(server::exchange& ex) {
  auto& synth = ex.server->synth;
  co_return co_await set_default(ex, "voice_name", [&](const std::string& n) { return synth.set_default_voice(n); },
                                 [](const std::string& n) { return "Voice set to " + n + " successfully"; });
}

asio::awaitable<bool> models(server::exchange& ex) { co_return co_await ex.reply(api::models_json(ex.server->synth.engine_names())); }

asio::awaitable<bool> openai_voices(server::exchange& ex) {
  auto available = ex.target.get("available").value_or("0");
  if (available == "1" || available == "true") co_return co_await available_voices(ex);
  co_return co_await ex.reply(api::openai_voices_json(api::openai_voice_map(ex.server->config, ex.server->engine_info_views()), ex.server->engine_infos()));
}

} // namespace rtts::routes
