#pragma once
// The one error envelope every route answers with:
//   {"error": {"message": "...", "type": "...", "param": ..., "code": "..."}}
// with a real HTTP status (never 200 with an error string).
#include "core/error.hpp"

#include <string>

namespace rtts::api {

unsigned http_status(error_kind kind);
// OpenAI-style `type`: "invalid_request_error", "not_found_error", "server_error", ...
std::string error_type(error_kind kind);
std::string error_json(const error& e);

} // namespace rtts::api
