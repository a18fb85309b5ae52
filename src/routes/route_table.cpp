// Every route of the main listener in one table: path, method, handler, and what it needs.
// docs/api.md documents each; the WebSocket routes are here for GETs without an Upgrade (the
// upgrade itself is taken by the connection loop before dispatch).
#include "routes/route_table.hpp"

#include "routes/catalogue_routes.hpp"
#include "routes/normalize_route.hpp"
#include "routes/page_routes.hpp"
#include "routes/speech_routes.hpp"
#include "routes/status_routes.hpp"
#include "routes/voice_admin_routes.hpp"
#include "server/web_assets.hpp"

#include <boost/beast/http/verb.hpp>

#include <vector>

namespace rtts::routes {
using boost::beast::http::verb;
using server::access;

std::span<const server::route> rtts_routes() {
  static const std::vector<server::route> table = [] {
    std::vector<server::route> t = {
        {"/tts", verb::get, tts},
        {"/v1/audio/speech", verb::post, openai_speech},
        {"/engines", verb::get, engines},
        {"/voices", verb::get, voices},
        {"/set_engine", verb::get, set_engine, access::api_key, true},
        {"/setvoice", verb::get, set_voice, access::api_key, true},
        {"/normalize", verb::get, normalize, access::api_key, false, true, verb::post},
        {"/v1/models", verb::get, models},
        {"/v1/audio/voices", verb::get, openai_voices},
        {"/v1/audio/voices/pull", verb::post, pull_voice, access::admin, true}, // before the prefix below
        {"/v1/audio/voices/", verb::delete_, delete_voice, access::admin, true, true, verb::unknown, true},
        {"/ws", verb::get, websocket_required},
        {"/v1/audio/speech-stream", verb::get, websocket_required},
        {"/health", verb::get, health, access::open},
        {"/ready", verb::get, ready, access::open},
        {"/metrics", verb::get, metrics},
        {"/", verb::get, page_file, access::open, false, false},
    };
    for (const auto& file : server::web_assets()) t.push_back({file.path, verb::get, page_file, access::open, false, false});
    return t;
  }();
  return table;
}

} // namespace rtts::routes
