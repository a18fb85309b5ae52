#pragma once
// Optional API keys: when any are configured, requests must carry `Authorization: Bearer KEY`.
#include "core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::api {

// Checks an Authorization header value against the keys, in time independent of where a
// guess goes wrong. No keys = open server. 401 error otherwise.
result<void> check_api_key(std::string_view authorization, const std::vector<std::string>& keys);

// A browser cannot set headers on a WebSocket, and a key in the URL (?api_key=) ends up in
// proxies' access logs: it may offer the subprotocols "rtts, bearer.KEY" instead. Returns KEY
// ("" if none is offered).
std::string key_from_subprotocols(std::string_view offered);
// The subprotocol to answer (a client that offers some must get one back, or browsers fail the
// handshake): "rtts" if offered, else the first offered that is not a key, "" if none.
std::string subprotocol_answer(std::string_view offered);

// Keys from "a,b" (RTTS_API_KEYS style; also any comma-separated list of tokens) or a file with one key per line ('#' comments).
std::vector<std::string> split_keys(std::string_view list);
result<std::vector<std::string>> read_key_file(const std::string& path);

} // namespace rtts::api
