#include "text/utf8.hpp"

#include <cstdint>

namespace rtts::text {

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) { ++p; continue; }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (static_cast<std::size_t>(end - p) < len) return false;
    for (std::size_t i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

char32_t next_code_point(std::string_view s, std::size_t& at) noexcept {
  auto c = static_cast<unsigned char>(s[at++]);
  std::size_t more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  char32_t cp = more == 3 ? c & 0x07 : more == 2 ? c & 0x0F : more == 1 ? c & 0x1F : c;
  for (; more > 0 && at < s.size(); --more) cp = (cp << 6) | (static_cast<unsigned char>(s[at++]) & 0x3F);
  return cp;
}

bool is_blank(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) { ++i; continue; }
    // U+0085, U+00A0 (C2 85, C2 A0); U+1680 (E1 9A 80); U+2000..U+200A, U+2028, U+2029, U+202F,
    // U+205F (E2 80/81 xx); U+3000 (E3 80 80); U+FEFF, the BOM (EF BB BF).
    auto rest = s.substr(i);
    if (rest.starts_with("\xC2\x85") || rest.starts_with("\xC2\xA0")) { i += 2; continue; }
    if (rest.starts_with("\xE1\x9A\x80") || rest.starts_with("\xE3\x80\x80") || rest.starts_with("\xEF\xBB\xBF")) { i += 3; continue; }
    if (rest.size() >= 3 && rest[0] == '\xE2') {
      auto b1 = static_cast<unsigned char>(rest[1]), b2 = static_cast<unsigned char>(rest[2]);
      bool space = (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)) || (b1 == 0x81 && b2 == 0x9F);
      if (space) { i += 3; continue; }
    }
    return false;
  }
  return true;
}

} // namespace rtts::text
