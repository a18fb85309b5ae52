// Server URLs for the clients (rtts say/bench, the openai engine): Boost.URL parses them, so
// IPv6 literals, ports and paths come out right.
#include "client/http_client.hpp"

#include <gtest/gtest.h>

using namespace rtts;

TEST(BaseUrl, HostPortAndPath) {
  auto u = client::parse_url("http://127.0.0.1:8000/v1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->server.host, "127.0.0.1");
  EXPECT_EQ(u->server.port, 8000u);
  EXPECT_FALSE(u->server.tls);
  EXPECT_EQ(u->path, "/v1");
}

TEST(BaseUrl, Ipv6LiteralWithPort) {
  // The hand parser this replaced took "[::1]" as the host and broke on it.
  auto u = client::parse_url("http://[::1]:8000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->server.host, "::1");
  EXPECT_EQ(u->server.port, 8000u);
  EXPECT_EQ(client::host_header(u->server), "[::1]:8000");
}

TEST(BaseUrl, DefaultPortsBySchemeAndNoPortInHostHeader) {
  auto https = client::parse_url("https://api.example.com/v1/");
  ASSERT_TRUE(https);
  EXPECT_TRUE(https->server.tls);
  EXPECT_EQ(https->server.port, 443u);
  EXPECT_EQ(client::host_header(https->server), "api.example.com");
  auto plain = client::parse_base_url("ws://localhost");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 80u);
  EXPECT_EQ(client::host_header({"localhost", 9000, false}), "localhost:9000");
}

TEST(BaseUrl, RefusesWhatItCannotConnectTo) {
  for (const char* bad : {"127.0.0.1:8000", "ftp://host/", "http://", "http://host:0", "http://host:70000", "http://host:12ab"}) {
    auto u = client::parse_url(bad);
    ASSERT_FALSE(u) << bad;
    EXPECT_NE(u.error().message.find("bad URL"), std::string::npos) << bad;
  }
}
