#include "api/error_body.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts;
using namespace rtts::api;

TEST(ErrorBody, StatusPerKind) {
  EXPECT_EQ(http_status(error_kind::invalid_request), 400u);
  EXPECT_EQ(http_status(error_kind::not_found), 404u);
  EXPECT_EQ(http_status(error_kind::method_not_allowed), 405u);
  EXPECT_EQ(http_status(error_kind::payload_too_large), 413u);
  EXPECT_EQ(http_status(error_kind::uri_too_long), 414u);
  EXPECT_EQ(http_status(error_kind::unsupported_media_type), 415u);
  EXPECT_EQ(http_status(error_kind::overloaded), 429u);
  EXPECT_EQ(http_status(error_kind::headers_too_large), 431u);
  EXPECT_EQ(http_status(error_kind::engine_failure), 500u);
  EXPECT_EQ(http_status(error_kind::unavailable), 503u);
}

TEST(ErrorBody, EnvelopeShape) {
  auto v = boost::json::parse(error_json(make_error(error_kind::not_found, "no voice \"x\"", "unknown_voice", "voice")));
  const auto& e = v.at("error");
  EXPECT_EQ(e.at("message").as_string(), "no voice \"x\"");
  EXPECT_EQ(e.at("type").as_string(), "not_found_error");
  EXPECT_EQ(e.at("code").as_string(), "unknown_voice");
  EXPECT_EQ(e.at("param").as_string(), "voice");
}

TEST(ErrorBody, DefaultsCodeAndNullParam) {
  auto v = boost::json::parse(error_json(make_error(error_kind::payload_too_large, "too long")));
  EXPECT_EQ(v.at("error").at("code").as_string(), "payload_too_large");
  EXPECT_TRUE(v.at("error").at("param").is_null());
}
