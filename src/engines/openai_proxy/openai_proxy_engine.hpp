#pragma once
// The `openai` engine: forwards each fragment to any server implementing POST
// /v1/audio/speech (OpenAI, Kokoro-FastAPI, another rtts), asks for raw 24 kHz PCM and streams it
// into rtts's own pipeline as it arrives, so every rtts format, protocol and limit works on top.
// Configured by environment (set by `rtts serve` from --proxy-url, --proxy-key, --proxy-model,
// --proxy-voices), which the worker processes inherit.
#include "client/http_client.hpp"
#include "engines/engine.hpp"

#include <memory>

namespace rtts::engines {

class openai_proxy_engine final : public engine {
public:
  // Unconfigured (no RTTS_PROXY_URL) or a malformed URL is an error naming the setting.
  static result<std::unique_ptr<engine>> create();
  // Whether the environment asks for this engine at all.
  static bool configured();

  std::string name() const override { return "openai"; }
  int sample_rate() const override { return 24000; } // OpenAI's `pcm`: s16le mono at 24 kHz
  std::vector<voice_info> voices() const override { return voices_; }
  std::string default_voice() const override { return voices_.front().id; }
  engine_capabilities capabilities() const override { return {true, false, false, true, false, "estimated", false}; }
  result<void> synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink,
                          const word_sink& words = {}) override;

private:
  openai_proxy_engine() = default;
  client::endpoint upstream_;
  std::string path_; // e.g. "/v1/audio/speech"
  std::string key_, model_;
  std::vector<voice_info> voices_;
};

} // namespace rtts::engines
