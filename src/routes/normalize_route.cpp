// /normalize (see normalize_route.hpp): the request is validated and planned exactly as /tts
// would plan it (same parameters, same limits), then described instead of spoken.
#include "routes/normalize_route.hpp"

#include "api/plan_json.hpp"

#include <boost/beast/http.hpp>

namespace rtts::routes {
namespace asio = boost::asio;
namespace http = boost::beast::http;

asio::awaitable<bool> normalize(server::exchange& ex) {
  auto params = ex.req.method() == http::verb::post ? api::params_from_json(ex.req.body()) : result<api::parsed_target>(ex.target);
  if (!params) co_return co_await ex.reply(params.error());
  auto request = api::parse_tts_request(*params);
  if (!request) co_return co_await ex.reply(request.error());
  auto& synth = ex.server->synth;
  auto voice = synth.resolve(request->voice);
  if (!voice) co_return co_await ex.reply(voice.error());
  synth::speech_input input{request->text, request->ssml, request->timing, {}};
  auto plan = synth.plan(input, *voice);
  if (!plan) co_return co_await ex.reply(plan.error());
  co_return co_await ex.reply(api::plan_json(*plan, *voice, request->timing.units));
}

} // namespace rtts::routes
