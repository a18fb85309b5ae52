#pragma once
// The synthesis service the API talks to: one engine pool per engine, the server-wide defaults
// for requests that name no engine or voice, and request validation shared by every route.
#include "core/config.hpp"
#include "synth/engine_pool.hpp"
#include "text/segmenter.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rtts::synth {

// The text of one utterance and how to read it.
struct speech_input {
  std::string_view text;
  bool ssml = false;          // `text` is an SSML document (src/ssml)
  timing_options timing;      // word/sentence/mark events wanted
  text::text_position origin; // where `text` starts in all the client has sent (WebSocket sessions)
};

class synthesizer {
public:
  synthesizer(boost::asio::any_io_executor ex, const server_config& config, std::string executable);

  // Starts every known engine; engines that fail to start are left out (and logged). Fails
  // only if the configured default engine or voice is unavailable.
  boost::asio::awaitable<result<void>> start();
  void stop();

  std::vector<std::string> engine_names() const;
  // Catalogue of an engine ("" = the default engine).
  result<const worker::worker_hello*> engine_info(const std::string& engine) const;
  // Its installed voices that cannot be used, with the reason ("" = the default engine).
  std::vector<engines::voice_info> broken_voices(const std::string& engine) const;
  std::vector<pid_t> worker_pids() const;
  std::map<std::string, engine_pool::stats> pool_stats() const;

  // Defaults: only for requests that name no engine / voice. Never affect a running stream.
  std::string default_engine() const { return default_engine_; }
  std::string default_voice(const std::string& engine) const;
  result<void> set_default_engine(const std::string& engine);
  result<void> set_default_voice(const std::string& voice);

  // Fills in defaults and checks that engine, voice, speed and pitch are valid.
  result<voice_options> resolve(voice_options requested) const;
  // Empty, blank, over-long or non-UTF-8 text is refused here, for every route alike.
  result<void> check_text(std::string_view text) const;
  // What an utterance will say, fragment by fragment (SSML, segments, normalization), without
  // saying it; `voice` as resolve() gives it. Refuses what start_stream would refuse for its text.
  result<speech_plan> plan(const speech_input& input, const voice_options& voice) const;
  // The --lexicon files in use from now on (read with ssml::read_lexicons at start and, off the
  // network thread, on SIGHUP; a set that failed to read never gets here).
  void use_lexicons(std::shared_ptr<const ssml::lexicon_set> lexicons) { lexicons_ = std::move(lexicons); }
  // Validates, plans and queues one utterance.
  result<std::shared_ptr<speech_stream>> start_stream(const speech_input& input, const voice_options& requested);

private:
  boost::asio::any_io_executor ex_;
  server_config config_;
  std::string executable_;
  std::map<std::string, std::shared_ptr<engine_pool>> pools_; // only engines that started
  std::string default_engine_;
  std::map<std::string, std::string> default_voice_; // per engine
  text::segmenter_policy segmenter_;
  std::shared_ptr<const ssml::lexicon_set> lexicons_; // --lexicon files; replaced whole on reload
};

} // namespace rtts::synth
