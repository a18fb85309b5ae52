#include "engines/flite/flite_engine.hpp"
#include "engines/dynamic_library.hpp"

#include <flite/flite.h>


#include <algorithm>
#include <cmath>
#include <string>
#include <vector>
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
  // For word timing: the utterance's Word relation and its features.
  decltype(&::utt_relation) relation = nullptr;
  decltype(&::relation_head) head = nullptr;
  decltype(&::item_next) next = nullptr;
  decltype(&::ffeature_float) path_float = nullptr;
  decltype(&::ffeature_string) path_string = nullptr;
  decltype(&::item_as) as = nullptr;
  decltype(&::item_parent) parent = nullptr;

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
      !bind_symbol(core, "feat_present", api->present) || !bind_symbol(core, "utt_relation", api->relation) ||
      !bind_symbol(core, "relation_head", api->head) || !bind_symbol(core, "item_next", api->next) ||
      !bind_symbol(core, "ffeature_float", api->path_float) || !bind_symbol(core, "ffeature_string", api->path_string) ||
      !bind_symbol(core, "item_as", api->as) || !bind_symbol(core, "item_parent", api->parent))
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
    if (api_->voices.contains(spec.id)) out.push_back(voice_info{spec.id, spec.name, "en-us", spec.gender, spec.rate, {}, {}});
  return out;
}

namespace {

struct word_start {
  long sample;
  std::size_t begin, length; // bytes of the text
};

struct stream_state {
  const audio_sink* sink = nullptr;
  int expected_rate = 0;
  const flite_api* api = nullptr;
  std::string_view text;
  const word_sink* words = nullptr; // null: no timing wanted
  const cst_utterance* timed = nullptr; // the utterance `starts` was read from
  std::vector<word_start> starts;
  std::size_t next_start = 0;
  bool stopped = false;
  bool wrong_rate = false;
};

// Flite knows every word's segments, and so its exact start, as soon as an utterance's first
// audio arrives. Words come from tokens ("2026" gives three); each token is announced once, at
// its first word with sound, and found in the text by its name (Flite strips punctuation).
void read_word_starts(stream_state& state, const cst_utterance* utt, int rate) {
  state.timed = utt;
  state.starts.clear();
  state.next_start = 0;
  const auto& api = *state.api;
  std::size_t cursor = 0;
  const cst_item* last_token = nullptr;
  for (cst_item* word = api.head(api.relation(utt, "Word")); word; word = api.next(word)) {
    float end = api.path_float(word, "R:SylStructure.daughtern.daughtern.R:Segment.end");
    if (end <= 0) continue; // no sound of its own
    const cst_item* in_token = api.as(word, "Token");
    const cst_item* token = in_token ? api.parent(in_token) : nullptr;
    if (!token || token == last_token) continue; // a further word of the same token
    last_token = token;
    std::string name = api.path_string(word, "R:Token.parent.name");
    std::size_t found = name.empty() ? std::string_view::npos : state.text.find(name, cursor);
    if (found == std::string_view::npos) continue;
    float start = api.path_float(word, "R:SylStructure.daughter1.daughter1.R:Segment.p.end");
    state.starts.push_back({std::lround(start * rate), found, name.size()});
    cursor = found + name.size();
  }
}

bool deliver(stream_state& state, const std::int16_t* samples, long count) {
  if (count <= 0) return true;
  if ((*state.sink)(std::span<const std::int16_t>(samples, static_cast<std::size_t>(count)))) return true;
  state.stopped = true;
  return false;
}

int on_audio(const cst_wave* w, int start, int size, int /*last*/, cst_audio_streaming_info* asi) {
  auto* state = static_cast<stream_state*>(asi->userdata);
  if (w->sample_rate != state->expected_rate) {
    state->wrong_rate = true;
    return CST_AUDIO_STREAM_STOP;
  }
  if (size <= 0) return CST_AUDIO_STREAM_CONT;
  long cursor = start, end = start + size;
  if (state->words && asi->utt) {
    if (asi->utt != state->timed) read_word_starts(*state, asi->utt, w->sample_rate);
    // Cut the chunk at each word start in it and announce the word there.
    for (; state->next_start < state->starts.size() && state->starts[state->next_start].sample < end; ++state->next_start) {
      const auto& word = state->starts[state->next_start];
      long at = std::max(cursor, word.sample);
      if (!deliver(*state, w->samples + cursor, at - cursor)) return CST_AUDIO_STREAM_STOP;
      cursor = at;
      (*state->words)(word.begin, word.length);
    }
  }
  if (!deliver(*state, w->samples + cursor, end - cursor)) return CST_AUDIO_STREAM_STOP;
  return CST_AUDIO_STREAM_CONT;
}

} // namespace

result<void> flite_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& words) {
  auto found = api_->voices.find(params.voice);
  if (found == api_->voices.end())
    return make_error(error_kind::not_found, "Flite has no voice '" + params.voice + "'", "unknown_voice", "voice");
  const auto& v = found->second;
  stream_state state;
  state.sink = &sink;
  state.expected_rate = v.spec->rate;
  state.api = api_.get();
  state.text = text;
  if (words) state.words = &words;
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
