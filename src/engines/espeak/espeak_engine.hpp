#pragma once
// eSpeak NG through its C API. eSpeak keeps global state and is not thread-safe: one instance
// per process, one synthesis at a time (the worker process guarantees both).
#include "engines/engine.hpp"
#include "engines/espeak/espeak_phonemes.hpp"

#include <map>
#include <memory>

namespace rtts::engines {

class espeak_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create();
  ~espeak_engine() override;

  std::string name() const override { return "espeak"; }
  int sample_rate() const override { return sample_rate_; }
  std::vector<voice_info> voices() const override { return voices_; }
  std::string default_voice() const override { return "en-us"; }
  // Global state: 2 threads crashed 3 of 3 times; wave generator state carries over utterances.
  engine_capabilities capabilities() const override { return {false, false, false, true, true, "exact", true, true, true}; }
  void prepare(const std::string& voice) override;
  void prepare_phonemes(const std::string& voice) override;
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  espeak_engine() = default;
  int sample_rate_ = 0;
  std::vector<voice_info> voices_;
  std::map<std::string, std::string, std::less<>> identifier_by_id_; // our id -> eSpeak voice file
  std::string loaded_voice_; // the voice loaded in this process (by prepare(), or by the last synthesis)
  std::string data_dir_;
  // IPA -> eSpeak phoneme names of one voice, probed when a fragment first has phonemes.
  espeak_phoneme_map phoneme_map_;
  std::string phoneme_map_voice_;
};

} // namespace rtts::engines
