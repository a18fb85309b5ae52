// The compiled-in intelligibility table (see intelligibility.hpp), parsed once.
#include "api/intelligibility.hpp"

#include <boost/json.hpp>

#include <map>
#include <string>
#include <utility>

namespace rtts::api {

std::string_view intelligibility_json(); // generated from data/intelligibility.json

namespace {

using table = std::map<std::pair<std::string, std::string>, boost::json::object, std::less<>>;

table read_table() {
  table t;
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(intelligibility_json(), ec);
  if (ec || !doc.is_object()) return t;
  const auto& root = doc.as_object();
  const auto* voices = root.if_contains("voices");
  const auto* measured = root.if_contains("measured");
  if (!voices || !voices->is_array()) return t;
  for (const auto& v : voices->as_array()) {
    if (!v.is_object()) continue;
    const auto& row = v.as_object();
    const auto* engine = row.if_contains("engine");
    const auto* voice = row.if_contains("voice");
    if (!engine || !voice || !engine->is_string() || !voice->is_string()) continue;
    boost::json::object shown;
    if (const auto* wer = row.if_contains("wer")) shown["wer"] = *wer;
    if (const auto* by_type = row.if_contains("by_type")) shown["by_type"] = *by_type;
    if (measured) shown["measured"] = *measured;
    t.emplace(std::pair{std::string(engine->as_string()), std::string(voice->as_string())}, std::move(shown));
  }
  return t;
}

} // namespace

const boost::json::object* intelligibility_of(std::string_view engine, std::string_view voice) {
  static const table t = read_table();
  auto it = t.find(std::pair{std::string(engine), std::string(voice)});
  return it == t.end() ? nullptr : &it->second;
}

} // namespace rtts::api
