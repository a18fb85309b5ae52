#include "api/api_keys.hpp"

#include <cctype>
#include <fstream>

namespace rtts::api {
namespace {

bool equal_constant_time(std::string_view a, std::string_view b) {
  // Walks the whole candidate whatever the lengths, so timing says nothing about the key.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i) diff |= static_cast<unsigned char>(b[i] ^ (i < a.size() ? a[i] : 0));
  return diff == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

} // namespace

result<void> check_api_key(std::string_view authorization, const std::vector<std::string>& keys) {
  if (keys.empty()) return {};
  constexpr std::string_view scheme = "Bearer ";
  auto unauthorized = [](std::string message) { return make_error(error_kind::unauthorized, std::move(message), "invalid_api_key"); };
  // The scheme is case-insensitive (RFC 9110 11.1): "bearer KEY" is as good as "Bearer KEY".
  auto same_scheme = [&] {
    for (std::size_t i = 0; i < scheme.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(authorization[i])) != std::tolower(static_cast<unsigned char>(scheme[i]))) return false;
    return true;
  };
  if (authorization.size() <= scheme.size() || !same_scheme())
    return unauthorized("missing API key: send 'Authorization: Bearer <key>'");
  auto candidate = trim(authorization.substr(scheme.size()));
  bool match = false;
  for (const auto& key : keys) match |= equal_constant_time(key, candidate);
  if (!match) return unauthorized("invalid API key");
  return {};
}

std::string key_from_subprotocols(std::string_view offered) {
  constexpr std::string_view prefix = "bearer.";
  for (const auto& entry : split_keys(offered))
    if (entry.size() > prefix.size() && entry.starts_with(prefix)) return entry.substr(prefix.size());
  return {};
}

std::string subprotocol_answer(std::string_view offered) {
  std::string first;
  for (auto& entry : split_keys(offered)) {
    if (entry == "rtts") return entry;
    if (first.empty() && !entry.starts_with("bearer.")) first = entry;
  }
  return first;
}

std::vector<std::string> split_keys(std::string_view list) {
  std::vector<std::string> keys;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto key = trim(list.substr(0, comma));
    if (!key.empty()) keys.emplace_back(key);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return keys;
}

result<std::vector<std::string>> read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(error_kind::invalid_request, "cannot read API key file " + path);
  std::vector<std::string> keys;
  for (std::string line; std::getline(in, line);) {
    auto key = trim(line);
    if (!key.empty() && key.front() != '#') keys.emplace_back(key);
  }
  return keys;
}

} // namespace rtts::api
