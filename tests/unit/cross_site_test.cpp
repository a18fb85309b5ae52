// Which Host names and Origins rtts serves (api/cross_site.hpp).
#include "api/cross_site.hpp"

#include <gtest/gtest.h>

using namespace rtts::api;

TEST(CrossSite, HostsServedByDefault) {
  for (const char* host : {"", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000", "[::1]", "10.1.2.3:80", "localhost", "LocalHost:1",
                           "tts.localhost", "localhost.", "[2001:db8::1]:443"})
    EXPECT_TRUE(host_allowed(host, {})) << host;
  for (const char* host : {"attacker.example", "attacker.example:8000", "localhost.attacker.example", "127.0.0.1.nip.io", "[::1",
                           "evil-localhost", "tts.example.org"})
    EXPECT_FALSE(host_allowed(host, {})) << host;
}

TEST(CrossSite, AllowedHostNames) {
  EXPECT_TRUE(host_allowed("tts.example.org:443", {"tts.example.org"}));
  EXPECT_TRUE(host_allowed("TTS.Example.org.", {"tts.example.org"}));
  EXPECT_FALSE(host_allowed("api.tts.example.org", {"tts.example.org"}));
  EXPECT_TRUE(host_allowed("anything.example", {"*"}));
}

TEST(CrossSite, OriginsThatMayChangeTheServer) {
  EXPECT_TRUE(origin_allowed("", "127.0.0.1:8000", {})) << "not a browser";
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", {})) << "rtts's own page";
  EXPECT_TRUE(origin_allowed("https://tts.example.org", "tts.example.org", {})) << "rtts's own page behind TLS";
  EXPECT_TRUE(origin_allowed("http://localhost:5173", "127.0.0.1:8000", {})) << "a local development page (CORS)";
  EXPECT_TRUE(origin_allowed("https://app.example.com", "127.0.0.1:8000", {"https://app.example.com"}));
  EXPECT_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8000", {}));
  EXPECT_FALSE(origin_allowed("null", "127.0.0.1:8000", {}));
  EXPECT_FALSE(origin_allowed("https://app.example.com.evil", "127.0.0.1:8000", {"https://app.example.com"}));
}
