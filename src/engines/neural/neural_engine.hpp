#pragma once
// Neural voices through sherpa-onnx, one engine per model family as users know them: piper
// (VITS/Piper voices), kokoro, matcha and kitten. Runs only in its own worker processes, which
// alone map the runtime (dlopen). Voices come from the voices folders (voice_catalogue.hpp) and
// are loaded into the worker within a memory budget (voice_residency.hpp); a voice is first
// loaded in a throwaway process, so a model that would end its process marks itself broken
// instead of taking the worker down. Jobs fork from the warm worker as for every engine.
#include "engines/engine.hpp"
#include "engines/neural/sherpa_onnx_api.hpp"
#include "engines/neural/voice_catalogue.hpp"
#include "engines/neural/voice_residency.hpp"

#include <map>
#include <memory>

namespace rtts::engines::neural {

// What the server passes its neural workers, through their environment (src/app/main.cpp).
struct neural_settings {
  std::vector<std::string> voice_folders;        // RTTS_VOICES_DIRS, ':'-separated
  std::string runtime;                           // RTTS_NEURAL_RUNTIME: the C API library; "" = next to rtts
  std::uint64_t memory_budget = 1024ull << 20;   // RTTS_NEURAL_MEMORY (MiB): models one worker holds
  std::string cache_dir;                         // RTTS_CACHE_DIR: converted Piper voices
  static neural_settings from_environment();
};

// The default voices folders: $XDG_DATA_HOME/rtts/voices (~/.local/share/rtts/voices).
std::string default_voices_folder();
// The default cache: $XDG_CACHE_HOME/rtts (~/.cache/rtts).
std::string default_cache_folder();

class neural_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create(family kind, const neural_settings& settings);
  ~neural_engine() override;

  std::string name() const override { return family_name(kind_); }
  int sample_rate() const override;
  std::vector<voice_info> voices() const override;
  // The first usable English voice, else the first usable one (a voice found broken when the
  // worker loads it at start no longer counts).
  std::string default_voice() const override;
  // Every job forks from the worker: VITS samples noise (two calls in one process differ, a
  // child repeats the parent's RNG state), and bad models end the process (_Exit).
  engine_capabilities capabilities() const override { return {false, false, true, false, false, "estimated", false}; }
  // Loads `voice`; if it turns out broken, the next default, until one loads.
  void prepare(const std::string& voice) override;
  result<void> load(const std::string& voice) override;
  std::vector<std::string> resident_voices() const override;
  bool rescan() override;
  bool holds(const std::string& voice) const override;
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  neural_engine(family kind, const sherpa_onnx_api* api, neural_settings settings, std::vector<neural_voice> voices);
  result<std::pair<neural_voice*, int>> find(const std::string& id);
  // A blend of the model's speakers (voice_blend.hpp), made once: its mixed style vectors are
  // written into the cache as a voices file in which every speaker is the mix.
  result<std::pair<neural_voice*, int>> blend(const std::string& id);
  result<void> check_in_throwaway_process(neural_voice& voice);
  const sherpa_tts* create_tts(const neural_voice& voice) const;

  family kind_;
  const sherpa_onnx_api* api_;
  neural_settings settings_;
  std::vector<neural_voice> voices_;
  // Voices removed from the folders while loaded here: not offered, but still spoken by the
  // streams already using them until the residency lets them go.
  std::vector<neural_voice> retired_;
  std::map<std::string, neural_voice> blends_; // by the blend's name as asked for
  voice_residency residency_;
  std::map<std::string, const sherpa_tts*> loaded_; // by neural_voice::id
  std::map<std::string, bool> checked_;             // voices that passed the throwaway load
};

} // namespace rtts::engines::neural
