#include "core/config_file.hpp"

#include <boost/json/stream_parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rtts {
namespace json = boost::json;

namespace {

error bad(std::string message) { return make_error(error_kind::invalid_request, std::move(message)); }

// "line L, column C" of byte `offset` (1-based), for syntax errors a person can find.
std::string position_of(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  auto line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  auto column = line_start == std::string::npos || offset == 0 ? offset + 1 : offset - line_start;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

result<std::string> scalar_text(const std::string& key, const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
  if (v.is_int64() || v.is_uint64()) return json::serialize(v);
  if (v.is_double()) {
    // Every numeric knob but speed-like ones is an integer; let the flag's own parser judge.
    std::ostringstream out;
    out << v.get_double();
    return out.str();
  }
  return bad("config key '" + key + "': expected a string, number or boolean here");
}

} // namespace

result<std::vector<config_entry>> parse_config_text(const std::string& text) {
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  auto consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) return bad("config file: " + ec.message() + " at " + position_of(text, consumed));
  auto root = parser.release();
  if (!root.is_object()) return bad("config file: the top level must be a JSON object of flag names");

  std::vector<config_entry> entries;
  for (const auto& [name, value] : root.get_object()) {
    config_entry entry{std::string(name), {}};
    if (value.is_array()) {
      for (const auto& item : value.get_array()) {
        auto one = scalar_text(entry.key, item);
        if (!one) return one.error();
        entry.values.push_back(*one);
      }
    } else if (value.is_object()) {
      for (const auto& [inner, item] : value.get_object()) {
        auto one = scalar_text(entry.key + "." + std::string(inner), item);
        if (!one) return one.error();
        entry.values.push_back(std::string(inner) + "=" + *one);
      }
    } else if (value.is_null()) {
      return bad("config key '" + entry.key + "': null is not a value (leave the key out for the default)");
    } else {
      auto one = scalar_text(entry.key, value);
      if (!one) return one.error();
      entry.values.push_back(*one);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

result<std::vector<config_entry>> read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad("cannot read config file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  auto entries = parse_config_text(text.str());
  if (!entries) return bad(path + ": " + entries.error().message);
  return entries;
}

} // namespace rtts
