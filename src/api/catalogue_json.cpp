#include "api/catalogue_json.hpp"

#include "api/intelligibility.hpp"

#include "api/openai_speech.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rtts::api {
namespace json = boost::json;

std::string engines_json(const std::vector<std::string>& engines) {
  json::array a;
  for (const auto& e : engines) a.emplace_back(e);
  return json::serialize(a);
}

std::string engines_detail_json(const std::vector<worker::worker_hello>& engines) {
  json::array a;
  for (const auto& e : engines) {
    json::array languages;
    for (const auto& v : e.voices)
      if (std::find(languages.begin(), languages.end(), json::value(v.language)) == languages.end()) languages.emplace_back(v.language);
    const auto& c = e.capabilities;
    a.push_back(json::object{{"name", e.engine},
                             {"sample_rate", e.sample_rate},
                             {"default_voice", e.default_voice},
                             {"voices", e.voices.size()},
                             {"languages", std::move(languages)},
                             {"capabilities", json::object{{"thread_safe", c.thread_safe},
                                                           {"repeatable_in_process", c.repeatable_in_process},
                                                           {"may_exit_process", c.may_exit_process},
                                                           {"streams_within_sentence", c.streams_within_sentence},
                                                           {"ssml", c.ssml},
                                                           {"word_timing", c.word_timing},
                                                           {"pitch", c.pitch ? "engine" : "shifted"},
                                                           {"phonemes", c.phonemes},
                                                           {"stream_process", c.stream_process}}}});
  }
  return json::serialize(a);
}

std::string voices_json(const worker::worker_hello& engine, bool detail, const std::vector<engines::voice_info>& broken) {
  json::array a;
  for (const auto& v : engine.voices) {
    if (!detail) {
      a.emplace_back(v.id);
      continue;
    }
    json::object o{{"id", v.id},
                   {"name", v.name},
                   {"language", v.language},
                   {"gender", v.gender.empty() ? json::value(nullptr) : json::value(v.gender)},
                   {"engine", engine.engine},
                   {"sample_rate", engine.rate_of(v.id)},
                   {"word_timing", engine.word_timing_of(v.id)},
                   {"status", "ok"}};
    if (const auto* measured = intelligibility_of(engine.engine, v.id)) o["intelligibility"] = *measured;
    a.push_back(std::move(o));
  }
  if (detail)
    for (const auto& v : broken)
      a.push_back(json::object{{"id", v.id},
                               {"name", v.name},
                               {"language", v.language},
                               {"gender", v.gender.empty() ? json::value(nullptr) : json::value(v.gender)},
                               {"engine", engine.engine},
                               {"sample_rate", v.sample_rate},
                               {"status", "broken"},
                               {"reason", v.broken}});
  return json::serialize(a);
}

std::string models_json(const std::vector<std::string>& engines) {
  json::array data;
  auto add = [&](const std::string& id, const std::string& description) {
    data.push_back(json::object{{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", "rtts"}, {"description", description}});
  };
  for (const auto& id : openai_model_ids()) add(id, "the server's default engine");
  for (const auto& e : engines) add(e, "the " + e + " engine");
  return json::serialize(json::object{{"object", "list"}, {"data", std::move(data)}});
}

std::string openai_voices_json(const std::map<std::string, std::string>& aliases, const std::vector<worker::worker_hello>& engines) {
  json::array data;
  auto find_voice = [&](const std::string& engine, const std::string& id) -> const engines::voice_info* {
    for (const auto& e : engines)
      if (e.engine == engine)
        for (const auto& v : e.voices)
          if (v.id == id) return &v;
    return nullptr;
  };
  for (const auto& [alias, target] : aliases) {
    auto colon = target.find(':');
    std::string engine = colon == std::string::npos ? "" : target.substr(0, colon);
    std::string id = colon == std::string::npos ? target : target.substr(colon + 1);
    const auto* v = find_voice(engine, id);
    if (!v) continue; // an alias onto an engine that is not running is not offered
    data.push_back(json::object{{"id", alias}, {"name", alias}, {"engine", engine}, {"voice", id}, {"language", v->language}});
  }
  for (const auto& e : engines)
    for (const auto& v : e.voices)
      data.push_back(json::object{{"id", e.engine + ":" + v.id}, {"name", v.name}, {"engine", e.engine}, {"voice", v.id}, {"language", v.language}});
  return json::serialize(json::object{{"object", "list"}, {"data", std::move(data)}});
}

std::string message_json(const std::string& message) { return json::serialize(json::object{{"message", message}}); }

} // namespace rtts::api
