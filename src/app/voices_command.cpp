#include "app/voices_command.hpp"

#include "engines/neural/neural_engine.hpp"
#include "engines/neural/voice_install.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace rtts::app {

namespace neural = engines::neural;

std::vector<std::string> voice_folders(const std::vector<std::string>& given) {
  return given.empty() ? neural::neural_settings::from_environment().voice_folders : given;
}

std::string megabytes(std::uint64_t bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return out;
}

namespace {

// What users pass as `voice`: one id per speaker of a multi-speaker model.
std::vector<std::string> voice_ids(const neural::neural_voice& v) {
  if (v.speakers.size() <= 1) return {v.id};
  std::vector<std::string> out;
  for (const auto& s : v.speakers) out.push_back(v.id + "/" + s);
  return out;
}

} // namespace

int voices_list(const voice_folder_options& o) {
  auto folders = voice_folders(o.folders);
  auto voices = neural::scan_voice_folders(folders, neural::system_espeak_data());
  if (o.json) {
    boost::json::array out;
    for (const auto& v : voices) {
      boost::json::array ids;
      for (const auto& id : voice_ids(v)) ids.emplace_back(id);
      out.push_back({{"id", v.id}, {"engine", neural::family_name(v.kind)}, {"voices", ids}, {"language", v.language},
                     {"sample_rate", v.sample_rate}, {"bytes", v.bytes}, {"source", v.source},
                     {"status", v.broken.empty() ? "ok" : "broken"}, {"broken", v.broken}});
    }
    std::printf("%s\n", boost::json::serialize(out).c_str());
    return 0;
  }
  std::string where;
  for (const auto& f : folders) where += (where.empty() ? "" : ", ") + f;
  if (voices.empty()) {
    std::printf("no neural voices in %s\n", where.c_str());
    return 0;
  }
  std::printf("%-8s %-40s %-8s %7s %10s  %s\n", "ENGINE", "VOICE", "LANGUAGE", "RATE", "SIZE", "STATUS");
  for (const auto& v : voices)
    for (const auto& id : voice_ids(v))
      std::printf("%-8s %-40s %-8s %7d %10s  %s\n", neural::family_name(v.kind), id.c_str(), v.language.c_str(), v.sample_rate,
                  megabytes(v.bytes).c_str(), v.broken.empty() ? "ok" : ("broken: " + v.broken).c_str());
  return 0;
}

int voices_import(const voice_folder_options& o, const std::vector<std::string>& paths) {
  auto folders = voice_folders(o.folders);
  if (folders.empty()) {
    std::fprintf(stderr, "rtts: no voices folder (--voices-dir)\n");
    return 2;
  }
  int failed = 0;
  for (const auto& path : paths) {
    auto installed = neural::import_voice(path, folders.front());
    if (!installed) {
      std::fprintf(stderr, "rtts: %s\n", installed.error().message.c_str());
      ++failed;
      continue;
    }
    std::string ids;
    for (const auto& id : voice_ids(*installed)) ids += (ids.empty() ? "" : ", ") + id;
    std::printf("installed %s voice %s (%s, %d Hz, %s) in %s\n", neural::family_name(installed->kind), ids.c_str(),
                installed->language.c_str(), installed->sample_rate, megabytes(installed->bytes).c_str(), folders.front().c_str());
  }
  return failed ? 1 : 0;
}

int voices_remove(const voice_folder_options& o, const std::vector<std::string>& ids) {
  int failed = 0;
  for (const auto& id : ids) {
    auto removed = neural::remove_voice(id, voice_folders(o.folders));
    if (!removed) {
      std::fprintf(stderr, "rtts: %s\n", removed.error().message.c_str());
      ++failed;
      continue;
    }
    std::printf("removed %s voice %s (%s)\n", neural::family_name(removed->kind), removed->id.c_str(), removed->source.c_str());
  }
  return failed ? 1 : 0;
}

} // namespace rtts::app
