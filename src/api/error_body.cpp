#include "api/error_body.hpp"

#include <boost/json.hpp>

namespace rtts::api {

unsigned http_status(error_kind kind) {
  switch (kind) {
  case error_kind::invalid_request: return 400;
  case error_kind::unauthorized: return 401;
  case error_kind::forbidden: return 403;
  case error_kind::not_found: return 404;
  case error_kind::method_not_allowed: return 405;
  case error_kind::conflict: return 409;
  case error_kind::payload_too_large: return 413;
  case error_kind::uri_too_long: return 414;
  case error_kind::unsupported_media_type: return 415;
  case error_kind::headers_too_large: return 431;
  case error_kind::overloaded: return 429;
  case error_kind::unavailable: return 503;
  case error_kind::engine_failure: return 500;
  case error_kind::internal: return 500;
  }
  return 500;
}

std::string error_type(error_kind kind) {
  switch (kind) {
  case error_kind::invalid_request:
  case error_kind::payload_too_large:
  case error_kind::uri_too_long:
  case error_kind::unsupported_media_type:
  case error_kind::headers_too_large:
  case error_kind::method_not_allowed:
  case error_kind::conflict: return "invalid_request_error";
  case error_kind::not_found: return "not_found_error";
  case error_kind::unauthorized: return "authentication_error";
  case error_kind::forbidden: return "permission_error";
  case error_kind::overloaded: return "rate_limit_error";
  case error_kind::unavailable: return "service_unavailable_error";
  case error_kind::engine_failure: return "engine_error";
  case error_kind::internal: return "server_error";
  }
  return "server_error";
}

namespace {
std::string default_code(error_kind kind) {
  switch (kind) {
  case error_kind::invalid_request: return "invalid_request";
  case error_kind::unauthorized: return "invalid_api_key";
  case error_kind::forbidden: return "forbidden";
  case error_kind::not_found: return "not_found";
  case error_kind::method_not_allowed: return "method_not_allowed";
  case error_kind::conflict: return "conflict";
  case error_kind::payload_too_large: return "payload_too_large";
  case error_kind::uri_too_long: return "uri_too_long";
  case error_kind::unsupported_media_type: return "unsupported_media_type";
  case error_kind::headers_too_large: return "headers_too_large";
  case error_kind::overloaded: return "overloaded";
  case error_kind::unavailable: return "unavailable";
  case error_kind::engine_failure: return "engine_failure";
  case error_kind::internal: return "internal_error";
  }
  return "internal_error";
}
} // namespace

std::string error_json(const error& e) {
  boost::json::object inner{{"message", e.message},
                            {"type", error_type(e.kind)},
                            {"param", e.param.empty() ? boost::json::value(nullptr) : boost::json::value(e.param)},
                            {"code", e.code.empty() ? default_code(e.kind) : e.code}};
  if (e.retry_after_s > 0) inner["retry_after"] = e.retry_after_s;
  return boost::json::serialize(boost::json::object{{"error", std::move(inner)}});
}

} // namespace rtts::api
