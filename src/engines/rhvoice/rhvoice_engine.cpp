#include "engines/rhvoice/rhvoice_engine.hpp"

#include "core/ascii.hpp"
#include "engines/dynamic_library.hpp"

#include <RHVoice.h>


#include <algorithm>

namespace rtts::engines {

namespace {

// What one synthesis reports back through RHVoice's callbacks (user_data of the message).
struct job_state {
  const audio_sink* sink = nullptr;
  int rate = 0;
  bool stopped = false;
  // Word timing, when asked for: RHVoice reports a word's start between two audio chunks (so
  // on its ~100 ms chunk grid: "quantized"), as a byte range of the text.
  const word_sink* words = nullptr;
};

int on_word_start(unsigned int position, unsigned int length, void* user_data) {
  auto* job = static_cast<job_state*>(user_data);
  if (job && job->words) (*job->words)(position, length);
  return 1;
}

int on_sample_rate(int rate, void* user_data) {
  if (auto* job = static_cast<job_state*>(user_data)) job->rate = rate;
  return 1;
}

int on_speech(const short* samples, unsigned int count, void* user_data) {
  auto* job = static_cast<job_state*>(user_data);
  if (!job) return 1; // not a message of ours
  if (job->rate != 24000 || !(*job->sink)(std::span<const std::int16_t>(samples, count))) {
    job->stopped = true;
    return 0;
  }
  return 1;
}

} // namespace

struct rhvoice_api {
  decltype(&::RHVoice_new_tts_engine) new_engine = nullptr;
  decltype(&::RHVoice_get_number_of_voices) voice_count = nullptr;
  decltype(&::RHVoice_get_voices) get_voices = nullptr;
  decltype(&::RHVoice_new_message) new_message = nullptr;
  decltype(&::RHVoice_delete_message) delete_message = nullptr;
  decltype(&::RHVoice_speak) speak = nullptr;
  RHVoice_tts_engine engine = nullptr;
  std::vector<std::string> profiles; // RHVoice's voice names, by our voice index
};

result<std::unique_ptr<engine>> rhvoice_engine::create() {
  auto missing = [](const std::string& what) {
    return make_error(error_kind::engine_failure, "RHVoice is not usable: " + what + " (scripts/install-deps --non-free)");
  };
  void* library = ::dlopen("libRHVoice.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!library) return missing(::dlerror());
  auto api = std::make_unique<rhvoice_api>();
  if (!bind_symbol(library, "RHVoice_new_tts_engine", api->new_engine) || !bind_symbol(library, "RHVoice_get_number_of_voices", api->voice_count) ||
      !bind_symbol(library, "RHVoice_get_voices", api->get_voices) || !bind_symbol(library, "RHVoice_new_message", api->new_message) ||
      !bind_symbol(library, "RHVoice_delete_message", api->delete_message) || !bind_symbol(library, "RHVoice_speak", api->speak))
    return missing("libRHVoice.so.5 lacks a function rtts needs (RHVoice 1.14 is required)");
  RHVoice_init_params init{};
  init.data_path = "/usr/share/RHVoice";
  init.config_path = "/etc/RHVoice";
  init.callbacks.set_sample_rate = on_sample_rate;
  init.callbacks.play_speech = on_speech;
  init.callbacks.word_starts = on_word_start;
  init.options = RHVoice_preload_voices;
  api->engine = api->new_engine(&init);
  if (!api->engine) return missing("no engine (is rhvoice-english installed?)");
  std::unique_ptr<rhvoice_engine> e(new rhvoice_engine(std::move(api)));
  const RHVoice_voice_info* infos = e->api_->get_voices(e->api_->engine);
  for (unsigned i = 0, n = e->api_->voice_count(e->api_->engine); i < n; ++i) {
    std::string name = infos[i].name ? infos[i].name : "";
    if (name.empty()) continue;
    std::string language = ascii_lower(infos[i].language ? infos[i].language : "");
    if (infos[i].country && *infos[i].country) language += "-" + ascii_lower(infos[i].country);
    const char* gender = infos[i].gender == RHVoice_voice_gender_male ? "male" : infos[i].gender == RHVoice_voice_gender_female ? "female" : "";
    e->voices_.push_back(voice_info{ascii_lower(name), "RHVoice " + name, language, gender, 0, {}, {}});
    e->api_->profiles.push_back(name);
  }
  if (e->voices_.empty()) return missing("no voices installed (rhvoice-english)");
  return std::unique_ptr<engine>(std::move(e));
}

rhvoice_engine::rhvoice_engine(std::unique_ptr<rhvoice_api> api) : api_(std::move(api)) {}
rhvoice_engine::~rhvoice_engine() = default;

void rhvoice_engine::prepare(const std::string& voice) {
  (void)synthesize("Ready.", {voice, 1.0, 1.0, {}}, [](std::span<const std::int16_t>) { return true; });
}

result<void> rhvoice_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& words) {
  auto found = std::find_if(voices_.begin(), voices_.end(), [&](const voice_info& v) { return v.id == params.voice; });
  if (found == voices_.end()) return make_error(error_kind::not_found, "RHVoice has no voice '" + params.voice + "'", "unknown_voice", "voice");
  const std::string& profile = api_->profiles[static_cast<std::size_t>(found - voices_.begin())];
  RHVoice_synth_params p{};
  p.voice_profile = profile.c_str();
  p.relative_rate = params.speed;
  p.relative_pitch = params.pitch;
  p.relative_volume = 1.0;
  p.punctuation_mode = RHVoice_punctuation_default;
  p.capitals_mode = RHVoice_capitals_default;
  job_state job{&sink, 24000, false, words ? &words : nullptr};
  std::string z(text);
  RHVoice_message message = api_->new_message(api_->engine, z.c_str(), static_cast<unsigned>(z.size()), RHVoice_message_text, &p, &job);
  if (!message) return make_error(error_kind::engine_failure, "RHVoice refused the text");
  api_->speak(message);
  api_->delete_message(message);
  if (job.rate != 24000) return make_error(error_kind::engine_failure, "RHVoice produced audio at " + std::to_string(job.rate) + " Hz, not 24000");
  return {};
}

} // namespace rtts::engines
