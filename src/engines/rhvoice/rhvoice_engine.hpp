#pragma once
// RHVoice (non-free voices, opt-in: scripts/install-deps --non-free installs 1.14 from
// bookworm-backports; the bookworm 1.8 build corrupts ~5 % of concurrent outputs) through its C
// API, loaded with dlopen in the RHVoice worker only. Plain text messages only, never SSML.
#include "engines/engine.hpp"

#include <memory>

namespace rtts::engines {

struct rhvoice_api;

class rhvoice_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create();
  ~rhvoice_engine() override;

  std::string name() const override { return "rhvoice"; }
  int sample_rate() const override { return 24000; }
  std::vector<voice_info> voices() const override { return voices_; }
  std::string default_voice() const override { return voices_.front().id; }
  // 1.14: thread-safe; reports word starts (rtts does not use them yet).
  engine_capabilities capabilities() const override { return {true, true, false, true, true, "quantized", true}; }
  // Speaks a word into nothing, so the forked job processes find the voice's data loaded.
  void prepare(const std::string& voice) override;
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  explicit rhvoice_engine(std::unique_ptr<rhvoice_api> api);
  std::unique_ptr<rhvoice_api> api_;
  std::vector<voice_info> voices_;
};

} // namespace rtts::engines
