#include "engines/pico/pico_engine.hpp"
#include "engines/dynamic_library.hpp"

#include <picoapi.h>


#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

namespace rtts::engines {

namespace {

constexpr const char* lingware_dir = "/usr/share/pico/lang/";

struct pico_voice_spec {
  const char* id;
  const char* language;  // file prefix, e.g. en-US
  const char* speaker;   // e.g. lh0
  const char* name;
};

constexpr pico_voice_spec voice_specs[] = {
    {"en-us", "en-US", "lh0", "SVOX Pico English (America)"}, {"en-gb", "en-GB", "kh0", "SVOX Pico English (Britain)"},
    {"de-de", "de-DE", "gl0", "SVOX Pico German"},            {"es-es", "es-ES", "zl0", "SVOX Pico Spanish"},
    {"fr-fr", "fr-FR", "nk0", "SVOX Pico French"},            {"it-it", "it-IT", "cm0", "SVOX Pico Italian"},
};

const pico_Char* pc(const char* s) { return reinterpret_cast<const pico_Char*>(s); }

} // namespace

struct pico_api {
  decltype(&::pico_initialize) initialize = nullptr;
  decltype(&::pico_loadResource) load_resource = nullptr;
  decltype(&::pico_getResourceName) resource_name = nullptr;
  decltype(&::pico_createVoiceDefinition) create_voice = nullptr;
  decltype(&::pico_addResourceToVoiceDefinition) add_resource = nullptr;
  decltype(&::pico_newEngine) new_engine = nullptr;
  decltype(&::pico_disposeEngine) dispose_engine = nullptr;
  decltype(&::pico_putTextUtf8) put_text = nullptr;
  decltype(&::pico_getData) get_data = nullptr;

  std::vector<char> memory; // Pico allocates everything inside this block
  pico_System system = nullptr;
  std::vector<const pico_voice_spec*> voices; // loaded
};

result<std::unique_ptr<engine>> pico_engine::create() {
  auto missing = [](const std::string& what) {
    return make_error(error_kind::engine_failure, "SVOX Pico is not usable: " + what + " (scripts/install-deps --non-free)");
  };
  void* library = ::dlopen("libttspico.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!library) return missing(::dlerror());
  auto api = std::make_unique<pico_api>();
  if (!bind_symbol(library, "pico_initialize", api->initialize) || !bind_symbol(library, "pico_loadResource", api->load_resource) ||
      !bind_symbol(library, "pico_getResourceName", api->resource_name) || !bind_symbol(library, "pico_createVoiceDefinition", api->create_voice) ||
      !bind_symbol(library, "pico_addResourceToVoiceDefinition", api->add_resource) || !bind_symbol(library, "pico_newEngine", api->new_engine) ||
      !bind_symbol(library, "pico_disposeEngine", api->dispose_engine) || !bind_symbol(library, "pico_putTextUtf8", api->put_text) ||
      !bind_symbol(library, "pico_getData", api->get_data))
    return missing("libttspico.so.0 lacks a function rtts needs");
  // All six languages' lingware (~6.5 MB of files) plus working room for the engines.
  api->memory.resize(16 << 20);
  if (api->initialize(api->memory.data(), static_cast<pico_Uint32>(api->memory.size()), &api->system) != PICO_OK)
    return missing("pico_initialize failed");
  for (const auto& spec : voice_specs) {
    std::string base = std::string(lingware_dir) + spec.language;
    std::string ta = base + "_ta.bin", sg = base + "_" + spec.speaker + "_sg.bin";
    if (!std::filesystem::exists(ta) || !std::filesystem::exists(sg)) continue;
    pico_Resource ta_resource = nullptr, sg_resource = nullptr;
    pico_Retstring ta_name{}, sg_name{};
    if (api->load_resource(api->system, pc(ta.c_str()), &ta_resource) != PICO_OK ||
        api->load_resource(api->system, pc(sg.c_str()), &sg_resource) != PICO_OK ||
        api->resource_name(api->system, ta_resource, ta_name) != PICO_OK || api->resource_name(api->system, sg_resource, sg_name) != PICO_OK ||
        api->create_voice(api->system, pc(spec.id)) != PICO_OK || api->add_resource(api->system, pc(spec.id), pc(ta_name)) != PICO_OK ||
        api->add_resource(api->system, pc(spec.id), pc(sg_name)) != PICO_OK)
      continue;
    api->voices.push_back(&spec);
  }
  if (api->voices.empty()) return missing("no lingware in " + std::string(lingware_dir));
  return std::unique_ptr<engine>(new pico_engine(std::move(api)));
}

pico_engine::pico_engine(std::unique_ptr<pico_api> api) : api_(std::move(api)) {}
pico_engine::~pico_engine() = default;

std::vector<voice_info> pico_engine::voices() const {
  std::vector<voice_info> out;
  for (const auto* spec : api_->voices) out.push_back(voice_info{spec->id, spec->name, spec->id, "female", 0, {}, {}});
  return out;
}

std::string pico_markup(std::string_view text, double speed, double pitch) {
  std::string clean(text);
  std::replace_if(clean.begin(), clean.end(), [](char c) { return c == '<' || c == '>'; }, ' ');
  // Pico's levels are percent: speed 20..500, pitch 50..200.
  int speed_level = std::clamp(static_cast<int>(std::lround(speed * 100)), 20, 500);
  int pitch_level = std::clamp(static_cast<int>(std::lround(pitch * 100)), 50, 200);
  return "<speed level=\"" + std::to_string(speed_level) + "\"><pitch level=\"" + std::to_string(pitch_level) + "\">" + clean +
         "</pitch></speed>";
}

result<void> pico_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& /*words*/) {
  auto voice = std::find_if(api_->voices.begin(), api_->voices.end(), [&](const pico_voice_spec* s) { return params.voice == s->id; });
  if (voice == api_->voices.end()) return make_error(error_kind::not_found, "SVOX Pico has no voice '" + params.voice + "'", "unknown_voice", "voice");
  pico_Engine engine = nullptr;
  if (api_->new_engine(api_->system, pc((*voice)->id), &engine) != PICO_OK)
    return make_error(error_kind::engine_failure, "SVOX Pico could not start an engine for '" + params.voice + "'");
  std::string input = pico_markup(text, params.speed, params.pitch);
  input.push_back('\0'); // ends the text: Pico synthesizes everything before it
  std::size_t at = 0;
  bool stopped = false;
  std::int16_t buffer[1024];
  while (!stopped) {
    if (at < input.size()) {
      pico_Int16 put = 0;
      auto chunk = static_cast<pico_Int16>(std::min<std::size_t>(input.size() - at, 4096));
      if (api_->put_text(engine, pc(input.data() + at), chunk, &put) != PICO_OK) break;
      at += static_cast<std::size_t>(put);
    }
    pico_Status status;
    do {
      pico_Int16 received = 0, type = 0;
      status = api_->get_data(engine, buffer, sizeof buffer, &received, &type);
      if (received > 0 && type == PICO_DATA_PCM_16BIT &&
          !sink(std::span<const std::int16_t>(buffer, static_cast<std::size_t>(received) / 2))) {
        stopped = true;
        break;
      }
    } while (status == PICO_STEP_BUSY);
    if (!stopped && status != PICO_STEP_IDLE) {
      api_->dispose_engine(api_->system, &engine);
      return make_error(error_kind::engine_failure, "SVOX Pico failed while synthesizing");
    }
    if (at >= input.size()) break;
  }
  api_->dispose_engine(api_->system, &engine);
  return {};
}

} // namespace rtts::engines
