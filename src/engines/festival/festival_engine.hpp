#pragma once
// The Festival Speech Synthesis System 2.5 through its C++ API. Festival keeps one Scheme
// interpreter per process, usable only from the thread that initialised it, and calls exit() on
// some errors: it is linked only into the `rtts-festival` worker program, never into the
// server, and each job runs in a process forked from the warm worker, so an exit costs that one
// fragment (reported as an engine failure) and the worker goes on.
#include "engines/engine.hpp"

#include <memory>

namespace rtts::engines {

class festival_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create();

  std::string name() const override { return "festival"; }
  int sample_rate() const override { return 16000; }
  std::vector<voice_info> voices() const override { return voices_; }
  std::string default_voice() const override;
  // One interpreter, one thread; errors exit and some text crashes it (tested); a sentence at a time.
  engine_capabilities capabilities() const override { return {false, true, true, false, false, "exact", true}; }
  void prepare(const std::string& voice) override;
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  festival_engine() = default;
  bool select(const std::string& voice);
  std::vector<voice_info> voices_;
  std::string selected_; // the voice Festival has loaded
};

} // namespace rtts::engines
