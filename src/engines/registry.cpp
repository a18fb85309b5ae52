#include "engines/registry.hpp"

#include "engines/espeak/espeak_engine.hpp"
#include "engines/flite/flite_engine.hpp"
#include "engines/neural/neural_engine.hpp"
#include "engines/openai_proxy/openai_proxy_engine.hpp"
#ifdef RTTS_HAVE_PICO
#include "engines/pico/pico_engine.hpp"
#endif
#ifdef RTTS_HAVE_RHVOICE
#include "engines/rhvoice/rhvoice_engine.hpp"
#endif

#include <algorithm>
#include <map>

namespace rtts::engines {

std::vector<std::string> known_engines() {
  std::vector<std::string> names{"espeak", "flite", "festival"};
#ifdef RTTS_HAVE_PICO
  names.push_back("pico");
#endif
#ifdef RTTS_HAVE_RHVOICE
  names.push_back("rhvoice");
#endif
  if (openai_proxy_engine::configured()) names.push_back("openai"); // only with --proxy-url
  for (auto f : {neural::family::piper, neural::family::kokoro, neural::family::matcha, neural::family::kitten}) names.push_back(neural::family_name(f));
  return names;
}

bool neural_inventory::worth_starting(const std::string& name) const {
  neural::family f;
  return !neural::family_from_name(name, f) || std::find(families.begin(), families.end(), name) != families.end();
}

bool is_neural_engine(const std::string& name) {
  neural::family f;
  return neural::family_from_name(name, f);
}

neural_inventory take_neural_inventory() {
  auto settings = neural::neural_settings::from_environment();
  std::string folders, found;
  for (const auto& f : settings.voice_folders) folders += (folders.empty() ? "" : ", ") + f;
  std::map<std::string, int> per_family;
  for (const auto& v : neural::scan_voice_folders(settings.voice_folders, neural::system_espeak_data())) ++per_family[neural::family_name(v.kind)];
  neural_inventory out;
  for (const auto& [family, n] : per_family) {
    out.families.push_back(family);
    found += (found.empty() ? "" : ", ") + family + " " + std::to_string(n);
  }
  out.summary = found.empty() ? "no neural voices in " + (folders.empty() ? std::string("(no --voices-dir)") : folders)
                              : "neural voices in " + folders + ": " + found;
  return out;
}

std::string worker_program(const std::string& name, const std::string& server_executable) {
  if (name != "festival") return server_executable;
  auto slash = server_executable.rfind('/');
  return (slash == std::string::npos ? std::string() : server_executable.substr(0, slash + 1)) + "rtts-festival";
}

result<std::unique_ptr<engine>> create_engine(const std::string& name) {
  if (name == "espeak") return espeak_engine::create();
  if (name == "flite") return flite_engine::create();
  if (name == "openai") return openai_proxy_engine::create();
  if (neural::family f; neural::family_from_name(name, f)) return neural::neural_engine::create(f, neural::neural_settings::from_environment());
#ifdef RTTS_HAVE_PICO
  if (name == "pico") return pico_engine::create();
#endif
#ifdef RTTS_HAVE_RHVOICE
  if (name == "rhvoice") return rhvoice_engine::create();
#endif
  if (name == "festival")
    return make_error(error_kind::engine_failure, "Festival runs in its own worker program, rtts-festival", "unknown_engine", "engine");
  return make_error(error_kind::not_found, "unknown engine '" + name + "'", "unknown_engine", "engine");
}

} // namespace rtts::engines
