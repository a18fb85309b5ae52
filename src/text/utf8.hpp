#pragma once
// UTF-8 checks on client text. Engines and JSON encoders must only ever see valid UTF-8.
#include <cstddef>
#include <string_view>

namespace rtts::text {

// Strict RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s) noexcept;

// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view s) noexcept;

// True if s holds only Unicode white space (or nothing).
bool is_blank(std::string_view s) noexcept;

// The code point at byte `at` of valid UTF-8; moves `at` past it.
char32_t next_code_point(std::string_view s, std::size_t& at) noexcept;

} // namespace rtts::text
