#include "core/config.hpp"

namespace rtts {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "::ffff:127.0.0.1") return true;
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

result<void> validate_config(const server_config& c) {
  auto bad = [](std::string message) { return make_error(error_kind::invalid_request, std::move(message)); };
  if (c.host.empty()) return bad("--host must not be empty");
  if (c.port > 65535) return bad("--port must be 0..65535");
  // Open by default only where nobody else can reach it.
  if (!is_loopback_host(c.host) && c.api_keys.empty() && !c.allow_no_auth)
    return bad("--host " + c.host + " can be reached from other machines, and no API key is set: set --api-key, --api-key-file or "
               "RTTS_API_KEYS, or pass --allow-no-auth to serve it open on purpose");
  if (c.engine.empty()) return bad("--engine must not be empty");
  if (c.workers > 64) return bad("--workers must be 0..64");
  if (c.compute_threads > 64) return bad("--compute-threads must be 0..64");
  if (c.max_text_chars == 0) return bad("--max-text must be positive");
  if (!(c.max_pause_s >= 0 && c.max_pause_s <= 3600)) return bad("--max-pause must be 0..3600 seconds");
  if (c.max_streams == 0) return bad("--max-streams must be positive");
  if (!(c.admission_load >= 0 && c.admission_load <= 1)) return bad("--admission-load must be 0..1 (0 = off)");
  if (c.listener_buffer_ms > 60000) return bad("--listener-buffer-ms must be 0..60000");
  if (c.fragment_timeout_ms < 100) return bad("--fragment-timeout-ms must be at least 100");
  if (c.max_request_line < 1024) return bad("--max-request-line must be at least 1024 bytes");
  if (c.max_header_bytes < 1024) return bad("--max-header-bytes must be at least 1024 bytes");
  if (c.max_connections == 0) return bad("--max-connections must be positive");
  for (const auto& [flag, seconds] : {std::pair{"--header-timeout", c.header_timeout_s}, std::pair{"--request-timeout", c.request_timeout_s},
                                      std::pair{"--keepalive-timeout", c.keepalive_timeout_s}, std::pair{"--write-timeout", c.write_timeout_s}})
    if (seconds == 0 || seconds > 86400) return bad(std::string(flag) + " must be 1..86400 seconds");
  if (c.header_timeout_s > c.request_timeout_s) return bad("--header-timeout must not exceed --request-timeout");
  if (c.ws_stalled_ms < 100) return bad("--ws-stalled-ms must be at least 100");
  if (c.stream_buffer_bytes < 4096) return bad("stream buffer must be at least 4096 bytes");
  // The admin key opens what API keys must not: one key that is both makes every client an admin.
  if (!c.admin_key.empty())
    for (const auto& key : c.api_keys)
      if (key == c.admin_key) return bad("--admin-key must differ from every API key");
  // A look at the voices folders walks them: every 100 ms is the most that is sensible.
  if (c.voices_poll_ms != 0 && c.voices_poll_ms < 100) return bad("--voices-poll-ms must be 0 (only on SIGHUP) or at least 100");
  for (const auto& [flag, value] : {std::pair{"--wyoming", c.wyoming}, std::pair{"--marytts", c.marytts}}) {
    if (value.empty()) continue;
    auto colon = value.rfind(':');
    auto digits = colon == std::string::npos ? std::string() : value.substr(colon + 1);
    if (colon == 0 || digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos || std::stoul(digits) > 65535)
      return bad(std::string(flag) + " wants HOST:PORT, got '" + value + "'");
  }
  return {};
}

} // namespace rtts
