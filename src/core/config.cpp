#include "core/config.hpp"

namespace rtts {

result<void> validate_config(const server_config& c) {
  auto bad = [](std::string message) { return make_error(error_kind::invalid_request, std::move(message)); };
  if (c.host.empty()) return bad("--host must not be empty");
  if (c.port > 65535) return bad("--port must be 0..65535");
  if (c.engine.empty()) return bad("--engine must not be empty");
  if (c.workers > 64) return bad("--workers must be 0..64");
  if (c.compute_threads > 64) return bad("--compute-threads must be 0..64");
  if (c.max_text_chars == 0) return bad("--max-text must be positive");
  if (c.max_request_line < 1024) return bad("--max-request-line must be at least 1024 bytes");
  if (c.max_header_bytes < 1024) return bad("--max-header-bytes must be at least 1024 bytes");
  if (c.stream_buffer_bytes < 4096) return bad("stream buffer must be at least 4096 bytes");
  return {};
}

} // namespace rtts
