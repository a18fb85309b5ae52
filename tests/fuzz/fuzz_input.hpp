#pragma once
// Helpers shared by the fuzz targets: carving a fuzzer's byte string into choices and pieces,
// and a crash-on-failure check (libFuzzer reports any abort as a finding, with its input).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtts::fuzz {

// Reads choices from the front of the input; the rest is the payload.
class input {
public:
  input(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  std::string_view rest() const { return rest_; }
  // Up to 7 chunk sizes for chunks(), read from the front.
  std::string chunk_sizes() {
    std::string sizes;
    for (int i = byte() % 8; i > 0; --i) sizes.push_back(static_cast<char>(byte()));
    return sizes;
  }

private:
  std::string_view rest_;
};

// Splits `bytes` into pieces whose sizes cycle through `sizes` (1..256 each): the same stream,
// chunked the way a network might deliver it.
inline std::vector<std::string_view> chunks(std::string_view bytes, std::string_view sizes) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (!bytes.empty()) {
    std::size_t n = sizes.empty() ? bytes.size() : 1 + static_cast<std::uint8_t>(sizes[i++ % sizes.size()]);
    n = std::min(n, bytes.size());
    out.push_back(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  return out;
}

// Feeds `pieces` to a fresh incremental decoder (feed + next, as the worker protocol's and
// Wyoming's are) and takes out every whole item; the bool says whether the stream failed.
template <class Decoder, class Item> std::pair<std::vector<Item>, bool> decode_all(const std::vector<std::string_view>& pieces) {
  Decoder decoder;
  std::vector<Item> items;
  for (auto piece : pieces) {
    decoder.feed(piece);
    for (;;) {
      auto next = decoder.next();
      if (!next) return {items, true};
      if (!*next) break;
      items.push_back(std::move(**next));
    }
  }
  return {items, false};
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

} // namespace rtts::fuzz
