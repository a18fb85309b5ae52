// /normalize (see normalize_route.hpp): the request is validated and planned exactly as /tts
// would plan it (same parameters, same limits), then described instead of spoken.
#include "routes/normalize_route.hpp"

#include "api/plan_json.hpp"
#include "core/on_pool.hpp"

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
  synth::speech_input input{request->text, request->ssml, request->timing, {}, {}};
  bool large = input.text.size() >= synth::synthesizer::plan_elsewhere_bytes;
  auto plan = co_await synth.plan(std::move(input), *voice, ex.server->compute);
  if (!plan) co_return co_await ex.reply(plan.error());
  // Describing a large plan (a megabyte of JSON for 100,000 characters) is work for the compute
  // pool too.
  if (!large) co_return co_await ex.reply(api::plan_json(*plan, *voice, request->timing.units));
  // Named, not a temporary in the co_await expression (g++ 12 destroys those twice).
  auto describe = [plan = std::move(*plan), voice = *voice, units = request->timing.units] { return api::plan_json(plan, voice, units); };
  auto body = co_await on_pool(ex.server->compute, std::move(describe));
  co_return co_await ex.reply(std::move(body));
}

} // namespace rtts::routes
