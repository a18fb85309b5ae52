#include "engines/flite/flite_engine.hpp"
#include "engines/dynamic_library.hpp"

#include <flite/flite.h>


#include <algorithm>
#include <map>

namespace rtts::engines {

namespace {

struct flite_voice_spec {
  const char* id;
  const char* library;  // libflite_cmu_us_<x>.so.1
  const char* register_function;
  const char* name;
  const char* gender;
  int rate; // checked against every wave Flite hands over
};

// The English voices of Debian's flite1-dev. kal is an 8 kHz diphone voice (fast, robotic);
// kal16 the same at 16 kHz; awb, rms and slt are 16 kHz unit-selection/clustergen voices.
constexpr flite_voice_spec voice_specs[] = {
    {"slt", "libflite_cmu_us_slt.so.1", "register_cmu_us_slt", "CMU US SLT (female)", "female", 16000},
    {"rms", "libflite_cmu_us_rms.so.1", "register_cmu_us_rms", "CMU US RMS (male)", "male", 16000},
    {"awb", "libflite_cmu_us_awb.so.1", "register_cmu_us_awb", "CMU US AWB (male, Scottish English)", "male", 16000},
    {"kal16", "libflite_cmu_us_kal16.so.1", "register_cmu_us_kal16", "CMU US KAL (male, diphone, 16 kHz)", "male", 16000},
    {"kal", "libflite_cmu_us_kal.so.1", "register_cmu_us_kal", "CMU US KAL (male, diphone, 8 kHz)", "male", 8000},
};

} // namespace

// The few Flite functions rtts calls, resolved at run time.
struct flite_api {
  decltype(&::flite_init) init = nullptr;
  decltype(&::flite_text_to_speech) text_to_speech = nullptr;
  decltype(&::new_audio_streaming_info) new_streaming_info = nullptr;
  decltype(&::audio_streaming_info_val) streaming_info_val = nullptr;
  decltype(&::feat_set) set = nullptr;
  decltype(&::feat_set_float) set_float = nullptr;
  decltype(&::feat_float) get_float = nullptr;
  decltype(&::feat_present) present = nullptr;

  struct loaded_voice {
    const flite_voice_spec* spec;
    cst_voice* voice;
    float base_f0; // a diphone voice's mean pitch, scaled by synthesis_params::pitch; 0 for
                   // clustergen voices, which take a pitch factor (f0_shift) instead
  };
  std::map<std::string, loaded_voice, std::less<>> voices;
};

result<std::unique_ptr<engine>> flite_engine::create() {
  auto missing = [](const std::string& what) {
    return make_error(error_kind::engine_failure, "Flite is not usable: " + what + " (install flite1-dev)");
  };
  void* core = ::dlopen("libflite.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!core) return missing(::dlerror());
  auto api = std::make_unique<flite_api>();
  if (!bind_symbol(core, "flite_init", api->init) || !bind_symbol(core, "flite_text_to_speech", api->text_to_speech) ||
      !bind_symbol(core, "new_audio_streaming_info", api->new_streaming_info) ||
      !bind_symbol(core, "audio_streaming_info_val", api->streaming_info_val) || !bind_symbol(core, "feat_set", api->set) ||
      !bind_symbol(core, "feat_set_float", api->set_float) || !bind_symbol(core, "feat_float", api->get_float) ||
      !bind_symbol(core, "feat_present", api->present))
    return missing("libflite.so.1 lacks a function rtts needs");
  api->init();
  for (const auto& spec : voice_specs) {
    void* library = ::dlopen(spec.library, RTLD_NOW | RTLD_GLOBAL);
    cst_voice* (*register_voice)(const char*) = nullptr;
    if (!library || !bind_symbol(library, spec.register_function, register_voice)) continue; // that voice is not installed
    cst_voice* voice = register_voice(nullptr);
    if (!voice) continue;
    // feat_float on an absent feature exits the process: ask first.
    float f0 = api->present(voice->features, "int_f0_target_mean") ? api->get_float(voice->features, "int_f0_target_mean") : 0;
    api->voices.emplace(spec.id, flite_api::loaded_voice{&spec, voice, f0});
  }
  if (!api->voices.contains("slt")) return missing("the slt voice did not load");
  return std::unique_ptr<engine>(new flite_engine(std::move(api)));
}

flite_engine::flite_engine(std::unique_ptr<flite_api> api) : api_(std::move(api)) {}
flite_engine::~flite_engine() = default;

std::vector<voice_info> flite_engine::voices() const {
  std::vector<voice_info> out;
  for (const auto& spec : voice_specs)
    if (api_->voices.contains(spec.id)) out.push_back(voice_info{spec.id, spec.name, "en-us", spec.gender, spec.rate});
  return out;
}

namespace {

struct stream_state {
  const audio_sink* sink;
  int expected_rate;
  bool stopped = false;
  bool wrong_rate = false;
};

int on_audio(const cst_wave* w, int start, int size, int /*last*/, cst_audio_streaming_info* asi) {
  auto* state = static_cast<stream_state*>(asi->userdata);
  if (w->sample_rate != state->expected_rate) {
    state->wrong_rate = true;
    return CST_AUDIO_STREAM_STOP;
  }
  if (size <= 0) return CST_AUDIO_STREAM_CONT;
  if (!(*state->sink)(std::span<const std::int16_t>(w->samples + start, static_cast<std::size_t>(size)))) {
    state->stopped = true;
    return CST_AUDIO_STREAM_STOP;
  }
  return CST_AUDIO_STREAM_CONT;
}

} // namespace

result<void> flite_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& /*words*/) {
  auto found = api_->voices.find(params.voice);
  if (found == api_->voices.end())
    return make_error(error_kind::not_found, "Flite has no voice '" + params.voice + "'", "unknown_voice", "voice");
  const auto& v = found->second;
  stream_state state{&sink, v.spec->rate};
  // Set on the voice for this one utterance: the job process owns its copy of the voice.
  cst_audio_streaming_info* streaming = api_->new_streaming_info();
  streaming->asc = on_audio;
  streaming->userdata = &state;
  api_->set(v.voice->features, "streaming_info", api_->streaming_info_val(streaming));
  api_->set_float(v.voice->features, "duration_stretch", static_cast<float>(1.0 / std::clamp(params.speed, 0.25, 4.0)));
  if (v.base_f0 > 0) api_->set_float(v.voice->features, "int_f0_target_mean", static_cast<float>(v.base_f0 * params.pitch));
  else api_->set_float(v.voice->features, "f0_shift", static_cast<float>(params.pitch));
  std::string z(text);
  api_->text_to_speech(z.c_str(), v.voice, "none");
  if (state.wrong_rate)
    return make_error(error_kind::engine_failure, "Flite voice '" + params.voice + "' produced audio at an unexpected sample rate");
  return {};
}

} // namespace rtts::engines
