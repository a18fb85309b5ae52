#pragma once
// Which web origins may call the API from a browser. Default: pages served by rtts itself
// (same origin needs no CORS) and pages on localhost/127.0.0.1, any port. `--cors-origin`
// adds exact origins ("https://app.example.com") or "*" (any origin; rtts sends no
// credentials-enabling headers, so "*" never grants cookies or auth to other sites).
#include <string>
#include <string_view>
#include <vector>

namespace rtts::api {

// The value for Access-Control-Allow-Origin, or "" if the origin is not allowed.
std::string cors_allow(std::string_view origin, const std::vector<std::string>& allowed);

} // namespace rtts::api
