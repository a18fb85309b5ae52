#pragma once
// Standard base64 (RFC 4648, with padding), for audio inside JSON (SSE, WebSocket).
#include <string>
#include <string_view>

namespace rtts::api {

std::string base64_encode(std::string_view bytes);
// Decodes padded or unpadded base64; stops at the first character outside the alphabet.
std::string base64_decode(std::string_view text);

} // namespace rtts::api
