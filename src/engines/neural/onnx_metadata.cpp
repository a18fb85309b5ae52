#include "engines/neural/onnx_metadata.hpp"

#include <cstdint>
#include <fstream>
#include <optional>

namespace rtts::engines::neural {

namespace {

constexpr std::uint32_t metadata_props_field = 14;
constexpr int varint_type = 0, fixed64_type = 1, length_type = 2, fixed32_type = 5;

std::optional<std::uint64_t> read_varint(std::istream& in) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    int c = in.get();
    if (c == EOF) return std::nullopt;
    value |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return value;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_varint(std::string_view& in) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto c = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    value |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return value;
  }
  return std::nullopt;
}

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_string_field(std::string& out, std::uint32_t field, const std::string& s) {
  put_varint(out, (field << 3) | length_type);
  put_varint(out, s.size());
  out += s;
}

// One StringStringEntryProto: key = field 1, value = field 2.
bool parse_entry(std::string_view entry, onnx_metadata& out) {
  std::string key, value;
  while (!entry.empty()) {
    auto tag = read_varint(entry);
    if (!tag) return false;
    if ((*tag & 7) != length_type) return false;
    auto length = read_varint(entry);
    if (!length || *length > entry.size()) return false;
    std::string_view s = entry.substr(0, *length);
    entry.remove_prefix(*length);
    if ((*tag >> 3) == 1) key = s;
    else if ((*tag >> 3) == 2) value = s;
  }
  out[key] = value; // later entries win, as in ONNX Runtime
  return true;
}

} // namespace

result<onnx_metadata> read_onnx_metadata(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(error_kind::not_found, "cannot read " + path);
  auto malformed = [&] { return make_error(error_kind::invalid_request, path + " is not an ONNX model"); };
  onnx_metadata out;
  bool any = false;
  for (;;) {
    auto tag = read_varint(in);
    if (!tag) break; // end of the message
    any = true;
    std::uint64_t field = *tag >> 3;
    switch (static_cast<int>(*tag & 7)) {
    case varint_type:
      if (!read_varint(in)) return malformed();
      break;
    case fixed64_type: in.seekg(8, std::ios::cur); break;
    case fixed32_type: in.seekg(4, std::ios::cur); break;
    case length_type: {
      auto length = read_varint(in);
      if (!length || *length > (std::uint64_t{1} << 40)) return malformed();
      if (field == metadata_props_field) {
        if (*length > (1u << 20)) return malformed(); // a metadata entry of a megabyte is not one
        std::string entry(*length, '\0');
        if (!in.read(entry.data(), static_cast<std::streamsize>(entry.size())) || !parse_entry(entry, out)) return malformed();
      } else {
        in.seekg(static_cast<std::streamoff>(*length), std::ios::cur);
      }
      break;
    }
    default: return malformed();
    }
    if (!in) return malformed();
  }
  if (!any) return malformed();
  return out;
}

std::string encode_onnx_metadata(const onnx_metadata& entries) {
  std::string out;
  for (const auto& [key, value] : entries) {
    std::string entry;
    put_string_field(entry, 1, key);
    put_string_field(entry, 2, value);
    put_string_field(out, metadata_props_field, entry);
  }
  return out;
}

} // namespace rtts::engines::neural
