#pragma once
// Standard base64 (RFC 4648, with padding), for audio inside JSON (SSE, WebSocket).
#include <string>
#include <string_view>

namespace rtts::api {

std::string base64_encode(std::string_view bytes);

} // namespace rtts::api
