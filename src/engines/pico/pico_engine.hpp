#pragma once
// SVOX Pico (non-free, opt-in: scripts/install-deps --non-free) through its C API, loaded with
// dlopen in the Pico worker only. Six voices, one per language, 16 kHz. Pico takes its own
// markup, never SSML: client text is stripped of '<' and '>' before rtts wraps it in Pico's
// speed and pitch tags, so a client cannot inject markup.
#include "engines/engine.hpp"

#include <memory>

namespace rtts::engines {

struct pico_api;

class pico_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create();
  ~pico_engine() override;

  std::string name() const override { return "pico"; }
  int sample_rate() const override { return 16000; }
  std::vector<voice_info> voices() const override;
  std::string default_voice() const override { return "en-us"; }
  // Pico itself allows one system and engine per thread, but this engine keeps one of each, so
  // syntheses at once fail ("could not start an engine"; measured in
  // tests/unit/capabilities_test.cpp). Output repeats; no word events.
  engine_capabilities capabilities() const override { return {false, true, false, true, false, "estimated", true}; }
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  explicit pico_engine(std::unique_ptr<pico_api> api);
  std::unique_ptr<pico_api> api_;
};

// Pico's markup around plain text: '<' and '>' from the client become spaces.
std::string pico_markup(std::string_view text, double speed, double pitch);

} // namespace rtts::engines
