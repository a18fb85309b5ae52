#include "api/catalogue_json.hpp"

#include <boost/json.hpp>

namespace rtts::api {
namespace json = boost::json;

std::string engines_json(const std::vector<std::string>& engines) {
  json::array a;
  for (const auto& e : engines) a.emplace_back(e);
  return json::serialize(a);
}

std::string voices_json(const worker::worker_hello& engine, bool detail) {
  json::array a;
  for (const auto& v : engine.voices) {
    if (!detail) {
      a.emplace_back(v.id);
      continue;
    }
    a.push_back(json::object{{"id", v.id},
                             {"name", v.name},
                             {"language", v.language},
                             {"gender", v.gender.empty() ? json::value(nullptr) : json::value(v.gender)},
                             {"engine", engine.engine},
                             {"sample_rate", engine.sample_rate}});
  }
  return json::serialize(a);
}

std::string message_json(const std::string& message) { return json::serialize(json::object{{"message", message}}); }

} // namespace rtts::api
