#pragma once
// CMU Flite 2.2 through its C API, loaded with dlopen inside the Flite worker only: the server
// process never maps Flite's voice data, and a machine without flite1-dev's libraries simply
// does not list the engine. Flite's voices are shared singletons whose features carry the
// streaming callback and the rate: fine here, since each job runs in its own forked process.
#include "engines/engine.hpp"

#include <memory>

namespace rtts::engines {

struct flite_api;

class flite_engine final : public engine {
public:
  static result<std::unique_ptr<engine>> create();
  ~flite_engine() override;

  std::string name() const override { return "flite"; }
  int sample_rate() const override { return 16000; }
  std::vector<voice_info> voices() const override;
  std::string default_voice() const override { return "slt"; }
  // Not thread-safe as used here: a voice is one shared object and the streaming callback is a
  // feature of it, so two syntheses on one voice at once call each other's sink (measured in
  // tests/unit/capabilities_test.cpp: a use-after-free). Clustergen voices use rand(); a missing
  // feature read exits the process; its SSML mode hangs and crashes on some input.
  engine_capabilities capabilities() const override { return {false, false, true, true, true, "exact", true, false, true}; }
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  explicit flite_engine(std::unique_ptr<flite_api> api);
  std::unique_ptr<flite_api> api_;
};

} // namespace rtts::engines
