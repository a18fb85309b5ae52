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

// Keys from "a,b" (RTTS_API_KEYS style) or a file with one key per line ('#' comments).
std::vector<std::string> split_keys(std::string_view list);
result<std::vector<std::string>> read_key_file(const std::string& path);

} // namespace rtts::api
