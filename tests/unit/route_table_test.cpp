// The route tables are data: these check what the data promises (docs/api.md), since dispatch
// trusts it for keys, methods and the cross-site check.
#include "marytts/routes.hpp"
#include "routes/route_table.hpp"
#include "server/web_assets.hpp"

#include <boost/beast/http/verb.hpp>
#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace rtts;
using boost::beast::http::verb;

namespace {

const server::route* find(std::span<const server::route> table, std::string_view path) {
  for (const auto& r : table)
    if (r.path == path) return &r;
  return nullptr;
}

} // namespace

TEST(RouteTable, EveryPathOnceWithAHandler) {
  for (auto table : {routes::rtts_routes(), marytts::marytts_routes()}) {
    std::set<std::string_view> seen;
    for (const auto& r : table) {
      EXPECT_TRUE(seen.insert(r.path).second) << "twice: " << r.path;
      EXPECT_NE(r.handler, nullptr) << r.path;
    }
  }
}

TEST(RouteTable, OnlyHealthReadyAndThePageAreOpen) {
  for (const auto& r : routes::rtts_routes()) {
    bool page = r.path == "/" || server::find_web_asset(r.path) != nullptr;
    bool expected_open = page || r.path == "/health" || r.path == "/ready";
    EXPECT_EQ(r.needs == server::access::open, expected_open) << r.path;
  }
}

TEST(RouteTable, TheRoutesOfRealtimeTtsAndOpenAi) {
  auto table = routes::rtts_routes();
  for (auto [path, method] : {std::pair{"/tts", verb::get}, std::pair{"/engines", verb::get}, std::pair{"/voices", verb::get},
                              std::pair{"/set_engine", verb::get}, std::pair{"/setvoice", verb::get}, std::pair{"/v1/audio/speech", verb::post},
                              std::pair{"/v1/models", verb::get}, std::pair{"/v1/audio/voices", verb::get}, std::pair{"/ws", verb::get},
                              std::pair{"/v1/audio/speech-stream", verb::get}, std::pair{"/metrics", verb::get}}) {
    const auto* r = find(table, path);
    ASSERT_NE(r, nullptr) << path;
    EXPECT_EQ(r->method, method) << path;
  }
  for (const auto* path : {"/", "/index.html", "/app.js", "/player.js", "/transcript.js", "/chart.js", "/style.css"})
    EXPECT_NE(find(table, path), nullptr) << path;
}

TEST(RouteTable, OnlyTheRoutesThatChangeWhatEveryClientGetsAreSameSiteOnly) {
  // The defaults, and (admin routes) the installed voices.
  for (const auto& r : routes::rtts_routes())
    EXPECT_EQ(r.same_site_only, r.path == "/set_engine" || r.path == "/setvoice" || r.needs == server::access::admin) << r.path;
}

TEST(RouteTable, OnlyTheVoiceChangingRoutesTakeTheAdminKey) {
  std::set<std::string_view> admin;
  for (const auto& r : routes::rtts_routes())
    if (r.needs == server::access::admin) admin.insert(r.path);
  EXPECT_EQ(admin, (std::set<std::string_view>{"/v1/audio/voices/", "/v1/audio/voices/pull"}));
  EXPECT_EQ(find(routes::rtts_routes(), "/v1/audio/voices/")->method, verb::delete_);
  EXPECT_TRUE(find(routes::rtts_routes(), "/v1/audio/voices/")->prefix);
  EXPECT_EQ(find(routes::rtts_routes(), "/v1/audio/voices/pull")->method, verb::post);
}

TEST(RouteTable, MaryTtsIsOpenAndProcessTakesGetAndPost) {
  for (const auto& r : marytts::marytts_routes()) {
    EXPECT_EQ(r.needs, server::access::open) << r.path;
    EXPECT_FALSE(r.preflight) << r.path;
  }
  const auto* process = find(marytts::marytts_routes(), "/process");
  ASSERT_NE(process, nullptr);
  EXPECT_EQ(process->method, verb::get);
  EXPECT_EQ(process->also, verb::post);
}
