#pragma once
// Reading optional fields of JSON objects that came from outside (worker hellos, Wyoming
// events, catalogues): a field that is missing or of another type reads as empty, and the
// caller decides whether empty is an error.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace rtts {

// The string at `key`, or "" when there is none.
inline std::string json_text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

} // namespace rtts
