#include "core/config.hpp"

#include <gtest/gtest.h>

using namespace rtts;

TEST(Config, DefaultsAreValid) { EXPECT_TRUE(validate_config(server_config{})); }

TEST(Config, ListenerAddressesNeedHostAndPort) {
  server_config c;
  for (const char* good : {"127.0.0.1:10200", "0.0.0.0:59125", "[::1]:10200"}) {
    c.wyoming = good;
    EXPECT_TRUE(validate_config(c)) << good;
  }
  for (const char* bad : {"10200", ":10200", "127.0.0.1:", "127.0.0.1:port", "127.0.0.1:70000", "127.0.0.1:123456"}) {
    c.wyoming = bad;
    auto r = validate_config(c);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("--wyoming"), std::string::npos);
  }
  c.wyoming.clear();
  c.marytts = "59125";
  EXPECT_NE(validate_config(c).error().message.find("--marytts"), std::string::npos);
}

TEST(Config, RejectsNonsense) {
  server_config c;
  c.port = 70000;
  EXPECT_FALSE(validate_config(c));
  c = {};
  c.max_text_chars = 0;
  EXPECT_FALSE(validate_config(c));
  c = {};
  c.workers = 1000;
  EXPECT_FALSE(validate_config(c));
}

TEST(Config, TheAdminKeyIsNoApiKeyAndPollingIsBounded) {
  server_config c;
  c.api_keys = {"speak", "talk"};
  c.admin_key = "talk";
  auto r = validate_config(c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--admin-key"), std::string::npos);
  c.admin_key = "administer";
  EXPECT_TRUE(validate_config(c));
  c.voices_poll_ms = 10;
  EXPECT_FALSE(validate_config(c));
  c.voices_poll_ms = 0; // SIGHUP only
  EXPECT_TRUE(validate_config(c));
}

#include "api/cors.hpp"

TEST(Cors, LocalhostAndListedOriginsOnly) {
  using rtts::api::cors_allow;
  EXPECT_EQ(cors_allow("http://localhost:3000", {}), "http://localhost:3000");
  EXPECT_EQ(cors_allow("http://127.0.0.1", {}), "http://127.0.0.1");
  EXPECT_EQ(cors_allow("http://localhost.evil.com", {}), "") << "a prefix is not a host";
  EXPECT_EQ(cors_allow("http://localhost:3000x", {}), "");
  EXPECT_EQ(cors_allow("https://evil.example", {}), "");
  EXPECT_EQ(cors_allow("null", {"*"}), "");
  EXPECT_EQ(cors_allow("", {"*"}), "");
  EXPECT_EQ(cors_allow("https://app.example.com", {"https://app.example.com"}), "https://app.example.com");
  EXPECT_EQ(cors_allow("https://other.example.com", {"https://app.example.com"}), "");
  EXPECT_EQ(cors_allow("https://anything.example", {"*"}), "*");
}
