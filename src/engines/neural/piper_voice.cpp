#include "engines/neural/piper_voice.hpp"

#include "engines/neural/voice_files.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <unistd.h>

namespace rtts::engines::neural {

namespace fs = std::filesystem;
namespace json = boost::json;

result<piper_conversion> convert_piper_json(const std::string& json_text) {
  auto bad = [](const std::string& why) { return make_error(error_kind::invalid_request, "the voice's .onnx.json " + why); };
  boost::system::error_code ec;
  auto doc = json::parse(json_text, ec);
  if (ec || !doc.is_object()) return bad("is not JSON");
  const auto& o = doc.as_object();
  auto at = [&](std::initializer_list<const char*> path) -> const json::value* {
    const json::value* v = &doc;
    for (const char* key : path) {
      if (!v->is_object()) return nullptr;
      v = v->as_object().if_contains(key);
      if (!v) return nullptr;
    }
    return v;
  };
  piper_conversion out;
  const auto* rate = at({"audio", "sample_rate"});
  if (!rate || !rate->is_int64() || rate->as_int64() < 8000 || rate->as_int64() > 192000) return bad("has no audio.sample_rate");
  if (const auto* type = o.if_contains("phoneme_type"); type && (!type->is_string() || type->as_string() != "espeak"))
    return bad("uses phoneme_type '" + (type->is_string() ? std::string(type->as_string()) : std::string("?")) +
               "'; rtts runs espeak-phonemized Piper voices");
  const auto* espeak = at({"espeak", "voice"});
  std::string voice = espeak && espeak->is_string() ? std::string(espeak->as_string()) : "";
  if (voice.empty()) return bad("has no espeak.voice");
  const auto* map = o.if_contains("phoneme_id_map");
  if (!map || !map->is_object() || map->as_object().empty()) return bad("has no phoneme_id_map");
  int speakers = 1;
  if (const auto* n = o.if_contains("num_speakers"); n && n->is_int64()) speakers = static_cast<int>(std::clamp<std::int64_t>(n->as_int64(), 1, 100000));
  std::map<std::int64_t, std::string> by_id;
  std::set<std::string> symbols;
  for (const auto& [symbol, ids] : map->as_object()) {
    std::string s(symbol);
    if (!one_character(s)) return bad("maps '" + s + "', which is not one character");
    if (!symbols.insert(s).second) return bad("maps '" + s + "' twice");
    if (!ids.is_array() || ids.as_array().empty() || !ids.as_array()[0].is_int64()) return bad("maps '" + s + "' to no id");
    // Piper maps a symbol to a list of ids; every released voice has one id per symbol.
    by_id.emplace(ids.as_array()[0].as_int64(), s);
    out.tokens += (s == " " ? std::string() : s) + " " + std::to_string(ids.as_array()[0].as_int64()) + "\n";
  }
  for (const char* needed : {"_", "^", "$"})
    if (!symbols.contains(needed)) return bad(std::string("maps no '") + needed + "'");
  out.speakers = numbered_speakers(speakers);
  if (const auto* ids = o.if_contains("speaker_id_map"); ids && ids->is_object() && speakers > 1) {
    std::vector<std::string> names(static_cast<std::size_t>(speakers));
    for (const auto& [name, id] : ids->as_object())
      if (id.is_int64() && id.as_int64() >= 0 && id.as_int64() < speakers && !name.empty()) names[static_cast<std::size_t>(id.as_int64())] = name;
    if (std::none_of(names.begin(), names.end(), [](const std::string& s) { return s.empty(); }) &&
        std::set<std::string>(names.begin(), names.end()).size() == names.size())
      out.speakers = names;
  }
  const auto* language = at({"language", "name_english"});
  out.metadata = {{"model_type", "vits"},
                  {"comment", "piper"},
                  {"language", language && language->is_string() ? std::string(language->as_string()) : "English"},
                  {"voice", voice},
                  {"has_espeak", "1"},
                  {"n_speakers", std::to_string(speakers)},
                  {"sample_rate", std::to_string(rate->as_int64())}};
  return out;
}

result<void> materialize_piper_voice(neural_voice& voice, const std::string& cache_dir) {
  if (voice.piper_json.empty()) return {};
  std::error_code ec;
  auto source = fs::path(voice.model);
  auto stamp = fs::last_write_time(source, ec).time_since_epoch().count();
  // The copy is named by the source's path, size and time: a changed voice is converted again.
  auto key = std::to_string(std::hash<std::string>{}(fs::absolute(source, ec).string() + "|" + std::to_string(size_of(source)) + "|" +
                                                      std::to_string(stamp) + "|" + read_text(voice.piper_json)));
  auto dir = fs::path(cache_dir) / "piper" / (voice.id + "-" + key);
  auto model = dir / "model.onnx";
  auto tokens = dir / "tokens.txt";
  if (!fs::exists(model, ec) || !fs::exists(tokens, ec)) {
    auto converted = convert_piper_json(read_text(voice.piper_json));
    if (!converted) return converted.error();
    fs::create_directories(dir, ec);
    if (ec) return make_error(error_kind::engine_failure, "cannot create the voice cache " + dir.string() + ": " + ec.message());
    auto suffix = ".tmp" + std::to_string(::getpid());
    {
      std::ofstream t(tokens.string() + suffix, std::ios::binary);
      t << converted->tokens;
      if (!t) return make_error(error_kind::engine_failure, "cannot write " + tokens.string());
    }
    fs::copy_file(source, model.string() + suffix, fs::copy_options::overwrite_existing, ec);
    if (ec) return make_error(error_kind::engine_failure, "cannot copy " + source.string() + " into the voice cache: " + ec.message());
    {
      std::ofstream m(model.string() + suffix, std::ios::binary | std::ios::app);
      m << encode_onnx_metadata(converted->metadata);
      if (!m) return make_error(error_kind::engine_failure, "cannot write " + model.string());
    }
    fs::rename(tokens.string() + suffix, tokens, ec);
    if (!ec) fs::rename(model.string() + suffix, model, ec);
    if (ec) return make_error(error_kind::engine_failure, "cannot write the voice cache " + dir.string() + ": " + ec.message());
  }
  voice.model = model.string();
  voice.tokens = tokens.string();
  voice.piper_json.clear();
  return {};
}

} // namespace rtts::engines::neural
