#include "wyoming/framing.hpp"

#include <boost/json.hpp>

namespace rtts::wyoming {
namespace json = boost::json;
namespace {

constexpr std::string_view protocol_version = "1.5.2";

error malformed(std::string message) { return make_error(error_kind::invalid_request, "malformed Wyoming event: " + std::move(message)); }

} // namespace

std::string encode(const event& e) {
  json::object header{{"type", e.type}, {"version", protocol_version}};
  std::string data = e.data.empty() ? std::string() : json::serialize(e.data);
  if (!data.empty()) header["data_length"] = data.size();
  if (!e.payload.empty()) header["payload_length"] = e.payload.size();
  std::string out = json::serialize(header);
  out.push_back('\n');
  out += data;
  out += e.payload;
  return out;
}

result<std::optional<event>> decoder::next() {
  auto eol = buffer_.find('\n');
  if (eol == std::string::npos) {
    if (buffer_.size() > max_header_bytes) return malformed("header line over 64 KiB");
    return std::optional<event>();
  }
  if (eol > max_header_bytes) return malformed("header line over 64 KiB");
  boost::system::error_code ec;
  json::value header = json::parse(std::string_view(buffer_).substr(0, eol), ec);
  if (ec || !header.is_object()) return malformed("the header line is not a JSON object");
  const auto& h = header.as_object();
  auto* type = h.if_contains("type");
  if (!type || !type->is_string() || type->as_string().empty()) return malformed("no \"type\"");
  auto length_of = [&](std::string_view key, std::size_t cap) -> result<std::size_t> {
    auto* v = h.if_contains(key);
    if (!v || v->is_null()) return std::size_t{0};
    if (!v->is_int64() && !v->is_uint64()) return malformed(std::string(key) + " is not a number");
    // Read in the type JSON gave: a uint64 above INT64_MAX made to_number<int64_t> throw.
    if (v->is_int64() ? v->get_int64() < 0 || static_cast<std::uint64_t>(v->get_int64()) > cap : v->get_uint64() > cap)
      return malformed(std::string(key) + " out of range");
    return static_cast<std::size_t>(v->is_int64() ? static_cast<std::uint64_t>(v->get_int64()) : v->get_uint64());
  };
  auto data_length = length_of("data_length", max_data_bytes);
  if (!data_length) return data_length.error();
  auto payload_length = length_of("payload_length", max_payload_bytes);
  if (!payload_length) return payload_length.error();
  std::size_t total = eol + 1 + *data_length + *payload_length;
  if (buffer_.size() < total) return std::optional<event>();

  event e;
  e.type = std::string(type->as_string());
  if (auto* inline_data = h.if_contains("data"); inline_data && inline_data->is_object()) e.data = inline_data->as_object();
  if (*data_length > 0) {
    json::value data = json::parse(std::string_view(buffer_).substr(eol + 1, *data_length), ec);
    if (ec || !data.is_object()) return malformed("the data segment is not a JSON object");
    for (auto& [key, value] : data.as_object()) e.data[key] = value; // the segment wins
  }
  e.payload = buffer_.substr(eol + 1 + *data_length, *payload_length);
  buffer_.erase(0, total);
  return std::optional<event>(std::move(e));
}

} // namespace rtts::wyoming
