#include "api/cors.hpp"

#include <algorithm>

namespace rtts::api {
namespace {

bool is_localhost(std::string_view origin) {
  for (std::string_view prefix : {"http://localhost", "http://127.0.0.1", "https://localhost", "https://127.0.0.1", "http://[::1]"}) {
    if (!origin.starts_with(prefix)) continue;
    auto rest = origin.substr(prefix.size());
    return rest.empty() || (rest.front() == ':' && rest.size() > 1 &&
                            std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; }));
  }
  return false;
}

} // namespace

std::string cors_allow(std::string_view origin, const std::vector<std::string>& allowed) {
  if (origin.empty() || origin == "null") return {};
  if (is_localhost(origin)) return std::string(origin);
  for (const auto& a : allowed) {
    if (a == "*") return "*";
    if (a == origin) return std::string(origin);
  }
  return {};
}

} // namespace rtts::api
