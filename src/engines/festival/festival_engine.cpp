#include "engines/festival/festival_engine.hpp"

#include <festival/festival.h>
#include <speech_tools/siod_est.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace rtts::engines {

namespace {

struct festival_voice_spec {
  const char* id;
  const char* scheme_name; // (voice_<scheme_name>)
  const char* name;
  const char* gender;
  int rate;
  bool hts; // HTS voices take speed and pitch as engine parameters; diphone voices as Scheme ones
};

// The voices of Debian main: festvox-kallpc16k and festvox-us-slt-hts.
constexpr festival_voice_spec voice_specs[] = {
    {"slt", "cmu_us_slt_arctic_hts", "CMU US SLT (female, HTS)", "female", 32000, true},
    {"kal", "kal_diphone", "CMU US KAL (male, diphone)", "male", 16000, false},
};

const festival_voice_spec* spec_of(std::string_view id) {
  for (const auto& s : voice_specs)
    if (id == s.id) return &s;
  return nullptr;
}

bool eval(const std::string& scheme) { return festival_eval_command(EST_String(scheme.c_str())) != 0; }

struct word_start {
  std::size_t sample;
  std::size_t begin, length; // bytes of the text
};

// Exact word starts from the utterance's segments. Words come from tokens ("2026" gives
// three); each token is announced once, at its first word with sound, and found in the text by
// its name (Festival strips the punctuation).
std::vector<word_start> word_starts(EST_Utterance& utt, std::string_view text, int rate) {
  std::vector<word_start> out;
  const EST_Item* last_token = nullptr;
  std::size_t cursor = 0;
  EST_Relation* words = utt.relation("Word", 0);
  for (EST_Item* w = words ? words->head() : nullptr; w; w = inext(w)) {
    if (ffeature(w, "R:SylStructure.daughtern.daughtern.R:Segment.end").Float() <= 0) continue; // no sound of its own
    EST_Item* token = parent(as(w, "Token"));
    if (!token || token == last_token) continue;
    last_token = token;
    std::string name = token->name().str();
    std::size_t found = name.empty() ? std::string_view::npos : text.find(name, cursor);
    if (found == std::string_view::npos) continue;
    float start = ffeature(w, "R:SylStructure.daughter1.daughter1.R:Segment.p.end").Float();
    out.push_back({static_cast<std::size_t>(std::max(0L, std::lround(start * rate))), found, name.size()});
    cursor = found + name.size();
  }
  return out;
}

} // namespace

result<std::unique_ptr<engine>> festival_engine::create() {
  // The Scheme heap, in cells: 210,000 (the API's example) runs out on non-ASCII or
  // punctuation-heavy text ("SIOD ERROR: ran out of storage"); Festival's own default
  // (10,000,000) costs ~300 MB per worker. One million handled every fragment tried here
  // (600-byte sentences, 590-letter words, emoji) at ~56 MB.
  festival_initialize(1, 1000000);
  std::unique_ptr<festival_engine> e(new festival_engine());
  for (const auto& spec : voice_specs)
    if (e->select(spec.id)) e->voices_.push_back(voice_info{spec.id, spec.name, "en-us", spec.gender, spec.rate, {}, {}});
  if (e->voices_.empty())
    return make_error(error_kind::engine_failure, "Festival has no voice (install festvox-kallpc16k or festvox-us-slt-hts)");
  return std::unique_ptr<engine>(std::move(e));
}

std::string festival_engine::default_voice() const {
  // The HTS voice when installed: much clearer than the diphone one.
  return voices_.front().id;
}

bool festival_engine::select(const std::string& voice) {
  if (voice == selected_) return true;
  const auto* spec = spec_of(voice);
  if (!spec || !eval(std::string("(voice_") + spec->scheme_name + ")")) return false;
  selected_ = voice;
  return true;
}

void festival_engine::prepare(const std::string& voice) { select(voice); }

result<void> festival_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& words) {
  const auto* spec = spec_of(params.voice);
  bool offered = std::any_of(voices_.begin(), voices_.end(), [&](const voice_info& v) { return v.id == params.voice; });
  if (!spec || !offered) return make_error(error_kind::not_found, "Festival has no voice '" + params.voice + "'", "unknown_voice", "voice");
  if (!select(params.voice)) return make_error(error_kind::engine_failure, "Festival could not load voice '" + params.voice + "'");

  // Speed and pitch for this one job (the job process owns its interpreter state).
  char scheme[512];
  if (spec->hts) {
    double halftones = 12.0 * std::log2(params.pitch);
    std::snprintf(scheme, sizeof scheme, "(set! hts_engine_params (append %s::hts_engine_params (list (list \"-r\" %.4f) (list \"-fm\" %.4f))))",
                  spec->scheme_name, params.speed, halftones);
  } else {
    std::snprintf(scheme, sizeof scheme,
                  "(begin (Parameter.set 'Duration_Stretch %.4f) (set! int_lr_params (list (list 'target_f0_mean %.2f) "
                  "(list 'target_f0_std 14) (list 'model_f0_mean 170) (list 'model_f0_std 34))))",
                  1.0 / params.speed, 105.0 * params.pitch);
  }
  if (!eval(scheme)) return make_error(error_kind::engine_failure, "Festival rejected the speed or pitch settings");

  // The text goes in as the value of a Scheme variable, never spliced into a command.
  std::string z(text);
  setvar(rintern("rtts_text"), strcons(static_cast<long>(z.size()), z.c_str()), NIL);
  if (!eval("(set! rtts_utt (utt.synth (eval (list 'Utterance 'Text rtts_text))))") || !eval("(set! rtts_wave (utt.wave rtts_utt))"))
    return make_error(error_kind::engine_failure, "Festival could not synthesize the text");
  EST_Wave& wave = *::wave(siod_get_lval("rtts_wave", nullptr));
  if (wave.num_samples() == 0) return {};
  if (wave.sample_rate() != spec->rate || wave.num_channels() != 1)
    return make_error(error_kind::engine_failure, "Festival voice '" + params.voice + "' produced audio in an unexpected format");
  // Festival hands over whole sentences; pass them on in 50 ms pieces so a cancel stops early.
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(wave.num_samples()));
  for (int i = 0; i < wave.num_samples(); ++i) pcm[static_cast<std::size_t>(i)] = wave.a_no_check(i);
  std::vector<word_start> starts;
  if (words) starts = word_starts(*utterance(siod_get_lval("rtts_utt", nullptr)), text, spec->rate);
  std::size_t step = static_cast<std::size_t>(spec->rate / 20), next_word = 0;
  for (std::size_t at = 0; at < pcm.size();) {
    std::size_t end = std::min(pcm.size(), at + step);
    // Cut at the next word start in this piece and announce the word there.
    if (next_word < starts.size() && starts[next_word].sample < end) {
      end = std::max(at, starts[next_word].sample);
      if (end == at) {
        words(starts[next_word].begin, starts[next_word].length);
        ++next_word;
        continue;
      }
    }
    if (!sink(std::span<const std::int16_t>(pcm).subspan(at, end - at))) break;
    at = end;
  }
  return {};
}

} // namespace rtts::engines
