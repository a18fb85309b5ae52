#include "engines/neural/voice_catalogue.hpp"

#include "core/ascii.hpp"

#include "engines/neural/piper_voice.hpp"
#include "engines/neural/voice_files.hpp"
#include "text/utf8.hpp"


#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

const char* family_name(family f) {
  switch (f) {
  case family::piper: return "piper";
  case family::kokoro: return "kokoro";
  case family::matcha: return "matcha";
  case family::kitten: return "kitten";
  }
  return "piper";
}

bool family_from_name(const std::string& name, family& out) {
  for (auto f : {family::piper, family::kokoro, family::matcha, family::kitten})
    if (name == family_name(f)) {
      out = f;
      return true;
    }
  return false;
}

std::string system_espeak_data() {
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/lib/aarch64-linux-gnu/espeak-ng-data", "/usr/share/espeak-ng-data",
                          "/usr/local/share/espeak-ng-data"}) {
    std::error_code ec;
    if (fs::exists(fs::path(dir) / "phontab", ec)) return dir;
  }
  return {};
}

namespace {

bool has_all(const onnx_metadata& m, std::initializer_list<const char*> keys, std::string& missing) {
  for (const char* k : keys)
    if (!m.contains(k)) {
      missing += (missing.empty() ? "" : ", ") + std::string(k);
    }
  return missing.empty();
}

int to_int(const onnx_metadata& m, const char* key, int fallback = 0) {
  auto it = m.find(key);
  if (it == m.end()) return fallback;
  try {
    return std::stoi(it->second);
  } catch (...) {
    return fallback;
  }
}

// Speaker names from a comma-separated metadata entry, if it names exactly n speakers.
std::vector<std::string> speakers_from(const onnx_metadata& m, const char* key, int n) {
  auto it = m.find(key);
  if (it != m.end()) {
    auto names = split_list(it->second, ',');
    std::set<std::string> unique(names.begin(), names.end());
    if (static_cast<int>(names.size()) == n && unique.size() == names.size() && !unique.contains("")) return names;
  }
  return numbered_speakers(n);
}

// Why a Kokoro or Kitten voices.bin does not fit its model, or "": it must hold n_speakers style
// vectors of style_dim, whose `shape` is "L,1,D" (Kokoro) or "1,D" (Kitten); sherpa-onnx ends
// the process on a mismatch.
std::string style_file_fault(const neural_voice& v, const onnx_metadata& m, const std::string& shape) {
  auto dims = split_list(m.at("style_dim"), ',');
  auto expected = split_list(shape, ',');
  std::uint64_t floats = static_cast<std::uint64_t>(std::max(0, to_int(m, "n_speakers")));
  try {
    if (dims.size() != expected.size()) floats = 0;
    for (std::size_t i = 0; i < dims.size() && floats > 0; ++i) {
      auto n = std::stoull(dims[i]);
      if (expected[i] == "1" && n != 1) floats = 0;
      floats *= n;
    }
  } catch (...) {
    floats = 0;
  }
  if (floats == 0) return "the model's style_dim metadata is not '" + shape + "'";
  if (v.voices.empty() || size_of(v.voices) != floats * 4)
    return "voices.bin does not hold n_speakers x style_dim floats (" + std::to_string(floats * 4) + " bytes)";
  return "";
}

// The static checks of one voice; the first fault found becomes `broken`.
void check_voice(neural_voice& v, const onnx_metadata& m) {
  std::string missing;
  switch (v.kind) {
  case family::piper:
    if (!has_all(m, {"sample_rate", "n_speakers", "language", "comment"}, missing)) {
      v.broken = "the model lacks metadata sherpa-onnx requires (" + missing + ")";
      return;
    }
    if (auto t = check_tokens_file(v.tokens, "_^$"); !t) v.broken = t.error().message;
    break;
  case family::kokoro: {
    if (!has_all(m, {"sample_rate", "n_speakers", "has_espeak", "style_dim"}, missing)) {
      v.broken = "the model lacks metadata sherpa-onnx requires (" + missing + ")";
      return;
    }
    if (v.broken = style_file_fault(v, m, "L,1,D"); !v.broken.empty()) return;
    if (auto t = check_tokens_file(v.tokens, ""); !t) v.broken = t.error().message;
    break;
  }
  case family::kitten: {
    if (!has_all(m, {"model_type", "sample_rate", "n_speakers", "has_espeak", "style_dim"}, missing)) {
      v.broken = "the model lacks metadata sherpa-onnx requires (" + missing + ")";
      return;
    }
    if (m.at("model_type") != "kitten-tts" || to_int(m, "has_espeak") != 1) {
      v.broken = "a Kitten model needs model_type 'kitten-tts' and has_espeak 1 in its metadata";
      return;
    }
    if (v.broken = style_file_fault(v, m, "1,D"); !v.broken.empty()) return;
    if (auto t = check_tokens_file(v.tokens, ""); !t) v.broken = t.error().message;
    break;
  }
  case family::matcha:
    if (!has_all(m, {"sample_rate", "n_speakers", "use_eos_bos", "pad_id"}, missing)) {
      v.broken = "the model lacks metadata sherpa-onnx requires (" + missing + ")";
      return;
    }
    // Whether it needs a vocoder shows when it loads (a model whose output is audio needs none):
    // without one, the throwaway load says so.
    if (auto t = check_tokens_file(v.tokens, "^$"); !t) v.broken = t.error().message;
    break;
  }
  if (v.data_dir.empty() && v.broken.empty()) v.broken = "no espeak-ng-data: neither in the voice's folder nor on this system";
}

family family_of(const onnx_metadata& m, bool has_voices_bin, bool has_vocoder) {
  auto type = ascii_lower(m.contains("model_type") ? m.at("model_type") : "");
  if (type.find("kokoro") != std::string::npos) return family::kokoro;
  if (type.find("kitten") != std::string::npos) return family::kitten;
  if (type.find("matcha") != std::string::npos) return family::matcha;
  if (has_voices_bin) return m.contains("style_dim") ? family::kokoro : family::kitten;
  if (has_vocoder) return family::matcha;
  return family::piper;
}

// A voice from a folder of sherpa-onnx's layout; nothing if the folder holds no model.
std::optional<neural_voice> voice_from_folder(const fs::path& dir, const std::string& data_dir) {
  std::vector<fs::path> onnx;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file(ec) && entry.path().extension() == ".onnx") onnx.push_back(entry.path());
  std::sort(onnx.begin(), onnx.end());
  if (onnx.empty()) return std::nullopt;
  // Models carry a sample rate; a vocoder (Matcha) does not. Prefer model.onnx, then full
  // precision over int8 (int8 is slower than fp32 on x86: ../shared/NOTES.md).
  std::vector<std::pair<fs::path, onnx_metadata>> models;
  fs::path vocoder;
  for (const auto& p : onnx) {
    auto m = read_onnx_metadata(p.string());
    if (m && m->contains("sample_rate")) models.emplace_back(p, *m);
    else if (vocoder.empty()) vocoder = p;
  }
  neural_voice v;
  v.id = dir.filename().string();
  v.source = dir.string();
  onnx_metadata m;
  if (models.empty()) {
    // No model says its rate: judged as a Piper voice, broken for the missing metadata.
    v.model = onnx.front().string();
    vocoder.clear();
    if (auto read = read_onnx_metadata(v.model)) m = *read;
  } else {
    auto best = std::min_element(models.begin(), models.end(), [](const auto& a, const auto& b) {
      auto rank = [](const fs::path& p) { return p.filename() == "model.onnx" ? 0 : p.filename().string().find("int8") == std::string::npos ? 1 : 2; };
      return rank(a.first) < rank(b.first);
    });
    v.model = best->first.string();
    m = best->second;
  }
  auto voices_bin = dir / "voices.bin";
  bool has_voices_bin = fs::exists(voices_bin, ec);
  v.kind = family_of(m, has_voices_bin, !vocoder.empty());
  if (has_voices_bin) v.voices = voices_bin.string();
  if (v.kind == family::matcha && !vocoder.empty()) v.vocoder = vocoder.string();
  v.tokens = (dir / "tokens.txt").string();
  if (fs::exists(dir / "espeak-ng-data" / "phontab", ec)) v.data_dir = (dir / "espeak-ng-data").string();
  else v.data_dir = data_dir;
  // Multi-language Kokoro packages bring lexicons for the languages espeak-ng does not cover.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("lexicon") && entry.path().extension() == ".txt") v.lexicon += (v.lexicon.empty() ? "" : ",") + entry.path().string();
  }
  v.sample_rate = to_int(m, "sample_rate");
  int n = std::max(1, to_int(m, "n_speakers", 1));
  v.speakers = speakers_from(m, "speaker_names", n);
  v.espeak_voice = m.contains("voice") ? m.at("voice") : "en-us";
  v.language = language_tag(m);
  v.bytes = size_of(v.model) + (v.voices.empty() ? 0 : size_of(v.voices)) + (v.vocoder.empty() ? 0 : size_of(v.vocoder));
  if (!fs::exists(v.tokens, ec)) v.broken = "tokens.txt is missing";
  else check_voice(v, m);
  return v;
}

// An upstream Piper voice: X.onnx beside X.onnx.json.
neural_voice upstream_piper_voice(const fs::path& model, const std::string& id, const std::string& data_dir) {
  neural_voice v;
  v.id = id;
  v.kind = family::piper;
  v.source = model.string();
  v.model = model.string();
  v.piper_json = model.string() + ".json";
  v.data_dir = data_dir;
  v.bytes = size_of(model);
  v.speakers = {"0"};
  auto converted = convert_piper_json(read_text(v.piper_json));
  if (!converted) {
    v.broken = converted.error().message;
    return v;
  }
  v.sample_rate = to_int(converted->metadata, "sample_rate");
  v.speakers = converted->speakers;
  v.espeak_voice = converted->metadata.at("voice");
  v.language = language_tag(converted->metadata);
  if (v.data_dir.empty()) v.broken = "no espeak-ng-data on this system (Debian package espeak-ng-data)";
  return v;
}

} // namespace

std::string language_tag(const onnx_metadata& m) {
  if (auto it = m.find("voice"); it != m.end() && !it->second.empty()) {
    auto tag = ascii_lower(it->second);
    std::replace(tag.begin(), tag.end(), '_', '-');
    return tag;
  }
  static const std::map<std::string, std::string> names = {
      {"english", "en"}, {"german", "de"},  {"french", "fr"},     {"spanish", "es"},   {"italian", "it"},   {"dutch", "nl"},
      {"polish", "pl"},  {"russian", "ru"}, {"portuguese", "pt"}, {"chinese", "zh"},   {"japanese", "ja"},  {"ukrainian", "uk"},
      {"czech", "cs"},   {"swedish", "sv"}, {"finnish", "fi"},    {"norwegian", "no"}, {"danish", "da"},    {"turkish", "tr"}};
  if (auto it = m.find("language"); it != m.end()) {
    auto found = names.find(ascii_lower(it->second));
    if (found != names.end()) return found->second;
    return ascii_lower(it->second);
  }
  return "";
}

result<void> check_tokens_file(const std::string& path, const std::string& required) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(error_kind::not_found, "cannot read " + path);
  std::set<std::string> seen;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string symbol, id, extra;
    fields >> symbol >> id >> extra;
    if (symbol.empty()) continue;
    if (id.empty()) { // a line holding only an id stands for the space
      id = symbol;
      symbol = " ";
    }
    if (!extra.empty() || id.find_first_not_of("0123456789") != std::string::npos)
      return make_error(error_kind::invalid_request, "tokens.txt line " + std::to_string(number) + " is not 'SYMBOL ID'");
    if (symbol == "<BLNK>") continue; // coqui's blank: sherpa-onnx skips it
    if (!one_character(symbol))
      return make_error(error_kind::invalid_request, "tokens.txt line " + std::to_string(number) + ": a symbol must be one character");
    if (!seen.insert(symbol).second)
      return make_error(error_kind::invalid_request, "tokens.txt names '" + symbol + "' twice (line " + std::to_string(number) + ")");
  }
  for (char c : required)
    if (!seen.contains(std::string(1, c)))
      return make_error(error_kind::invalid_request, std::string("tokens.txt lacks the symbol '") + c + "'");
  return {};
}

std::vector<neural_voice> scan_voice_folders(const std::vector<std::string>& folders, const std::string& data_dir) {
  std::vector<neural_voice> out;
  std::set<std::string> ids;
  auto add = [&](neural_voice v) {
    // The first folder named wins a clash, as with PATH.
    if (ids.insert(std::string(family_name(v.kind)) + "/" + v.id).second) out.push_back(std::move(v));
  };
  for (const auto& folder : folders) {
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(folder, ec)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
      auto name = p.filename().string();
      if (name.starts_with(".")) continue; // hidden, and where downloads are assembled
      if (fs::is_directory(p, ec)) {
        // An upstream Piper voice in a folder of its own, or a sherpa-onnx package.
        std::optional<fs::path> upstream;
        for (const auto& inner : fs::directory_iterator(p, ec))
          if (inner.path().extension() == ".onnx" && fs::exists(inner.path().string() + ".json", ec)) upstream = inner.path();
        if (upstream) add(upstream_piper_voice(*upstream, name, data_dir));
        else if (auto v = voice_from_folder(p, data_dir)) add(std::move(*v));
      } else if (p.extension() == ".onnx" && fs::exists(p.string() + ".json", ec)) {
        add(upstream_piper_voice(p, p.stem().string(), data_dir));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const neural_voice& a, const neural_voice& b) { return a.id < b.id; });
  return out;
}

std::string voice_folders_state(const std::vector<std::string>& folders) {
  std::vector<std::string> lines;
  for (const auto& folder : folders) {
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      // Two levels, as scan_voice_folders reads them: a voice folder's own subfolders
      // (espeak-ng-data) are its data, and hidden entries are where installs are assembled.
      if (it.depth() >= 1) it.disable_recursion_pending();
      if (it->path().filename().string().starts_with(".")) {
        it.disable_recursion_pending();
        continue;
      }
      std::error_code stat_ec;
      auto status = it->symlink_status(stat_ec);
      std::string line = it->path().string();
      if (fs::is_regular_file(status)) {
        auto when = fs::last_write_time(it->path(), stat_ec).time_since_epoch().count();
        line += " " + std::to_string(fs::file_size(it->path(), stat_ec)) + " " + std::to_string(when);
      }
      lines.push_back(std::move(line));
    }
  }
  std::sort(lines.begin(), lines.end());
  std::string state;
  for (const auto& l : lines) state += l + "\n";
  return state;
}

} // namespace rtts::engines::neural
