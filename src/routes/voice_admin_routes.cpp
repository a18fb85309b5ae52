// The voice administration routes (see voice_admin_routes.hpp).
#include "routes/voice_admin_routes.hpp"

#include "engines/neural/neural_engine.hpp"
#include "engines/neural/voice_install.hpp"
#include "engines/registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace rtts::routes {
namespace asio = boost::asio;
namespace neural = engines::neural;

namespace {

constexpr std::string_view voices_prefix = "/v1/audio/voices/";

// File work belongs on the compute pool (named coroutines: g++ 12 and capturing lambdas).
asio::awaitable<result<neural::neural_voice>> remove_on_compute(std::string id) {
  co_return neural::remove_voice(id, neural::neural_settings::from_environment().voice_folders);
}
asio::awaitable<engines::neural_inventory> inventory_on_compute() { co_return engines::take_neural_inventory(); }

} // namespace

asio::awaitable<bool> delete_voice(server::exchange& ex) {
  std::string id = ex.target.path.substr(voices_prefix.size());
  auto removed = co_await asio::co_spawn(ex.server->compute, remove_on_compute(id), asio::use_awaitable);
  if (!removed) co_return co_await ex.reply(removed.error());
  // The engines learn it now rather than at the folder watch's next look.
  auto inventory = co_await asio::co_spawn(ex.server->compute, inventory_on_compute(), asio::use_awaitable);
  co_await ex.server->synth.refresh_voices(std::move(inventory));
  std::string engine = neural::family_name(removed->kind);
  std::string body = boost::json::serialize(boost::json::object{
      {"id", engine + ":" + removed->id}, {"object", "voice"}, {"deleted", true}, {"engine", engine}, {"voice", removed->id}});
  co_return co_await ex.reply(std::move(body));
}

} // namespace rtts::routes
