#pragma once
// The synthesis service the API talks to: one engine pool per engine, the server-wide defaults
// for requests that name no engine or voice, and request validation shared by every route.
#include "core/config.hpp"
#include "engines/registry.hpp"
#include "synth/engine_pool.hpp"
#include "synth/voice_fetcher.hpp"
#include "text/segmenter.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

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
  // A sentence of a streamed text: the job process it shares with the text's other sentences.
  std::shared_ptr<shared_job_process> shared_process;
};

class synthesizer {
public:
  synthesizer(boost::asio::any_io_executor ex, const server_config& config, std::string executable);

  // Starts every known engine; engines that fail to start are left out (and logged). Fails
  // only if the configured default engine or voice is unavailable.
  boost::asio::awaitable<result<void>> start();
  void stop();
  // Voices installed or removed in the voices folders (`inventory`, read off the network
  // thread): running neural engines read theirs again, and a family whose first voice arrived
  // starts (if --engines allows it). Streams in progress finish with the voice they have.
  boost::asio::awaitable<void> refresh_voices(engines::neural_inventory inventory);

  std::vector<std::string> engine_names() const;
  // The engines a request may name: the running ones, and those --auto-pull may install a first
  // voice of.
  std::vector<std::string> requestable_engines() const;
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
  // resolve(), and with --auto-pull a Piper, Kokoro or Kitten voice that is not installed but is
  // in the catalogues is installed first (synth/voice_fetcher.hpp); the engine starts if it was its first voice.
  boost::asio::awaitable<result<voice_options>> resolve_or_pull(voice_options requested, boost::asio::thread_pool& compute);
  // Whether resolve_or_pull would try to install `requested` (resolve() refused it): settings
  // checked before any text arrives (WebSocket configs) let such a voice through to it.
  bool may_pull(const voice_options& requested) const;
  // With --auto-pull: the catalogue voices that resolve_or_pull would install (engine allowed,
  // not installed), as last read; read_catalogues_ahead reads them at start-up.
  struct pullable_voice {
    std::string engine, id, language;
  };
  std::vector<pullable_voice> pullable_voices() const;
  boost::asio::awaitable<void> read_catalogues_ahead(boost::asio::thread_pool& compute);
  // Empty, blank, over-long or non-UTF-8 text is refused here, for every route alike.
  result<void> check_text(std::string_view text) const;
  // What an utterance will say, fragment by fragment (SSML, segments, normalization), without
  // saying it; `voice` as resolve() gives it. Refuses what open_stream would refuse for its text.
  // A large input is planned on `compute`: SSML parsing, segmentation and normalization of
  // --max-text characters take up to ~100 ms, which the network thread, serving every other
  // stream's I/O, must not lose. The result comes back on the caller's executor.
  boost::asio::awaitable<result<speech_plan>> plan(speech_input input, voice_options voice, boost::asio::thread_pool& compute) const;
  // The same on the calling thread (tests, small inputs).
  result<speech_plan> plan_here(const speech_input& input, const voice_options& voice) const;
  // The --lexicon files in use from now on (read with ssml::read_lexicons at start and, off the
  // network thread, on SIGHUP; a set that failed to read never gets here).
  void use_lexicons(std::shared_ptr<const ssml::lexicon_set> lexicons) { lexicons_ = std::move(lexicons); }
  // Validates, plans (see plan) and queues one utterance.
  boost::asio::awaitable<result<std::shared_ptr<speech_stream>>> open_stream(speech_input input, voice_options requested,
                                                                             boost::asio::thread_pool& compute);
  // Inputs of at least this many bytes are planned on the compute pool.
  static constexpr std::size_t plan_elsewhere_bytes = 4096;

private:
  boost::asio::any_io_executor ex_;
  server_config config_;
  std::string executable_;
  std::map<std::string, std::shared_ptr<engine_pool>> pools_; // only engines that started
  std::string default_engine_;
  std::map<std::string, std::string> default_voice_; // per engine
  text::segmenter_policy segmenter_;
  std::shared_ptr<const ssml::lexicon_set> lexicons_; // --lexicon files; replaced whole on reload
  std::vector<std::string> starting_; // engines refresh_voices is starting
  wake_list engine_started_;          // ... and one of them started (or failed to)
  std::unique_ptr<voice_fetcher> fetcher_; // --auto-pull
  bool stopped_ = false;

  unsigned workers_per_engine() const;
  bool engine_allowed(const std::string& name) const; // by --engines
  // Spawns an engine's workers (not yet waited for); null if its program is not installed.
  std::shared_ptr<engine_pool> launch_pool(const std::string& name) const;

  // Planning from what a plan needs (copies: a compute thread reads them while the network
  // thread may replace the lexicons or a worker's catalogue).
  result<speech_plan> plan_with(const speech_input& input, const voice_options& voice, const worker::worker_hello& info,
                                const ssml::lexicon_set* lexicons) const;
  friend boost::asio::awaitable<result<speech_plan>> plan_on_compute(const synthesizer* synth, speech_input input, voice_options voice,
                                                                    std::shared_ptr<const worker::worker_hello> info,
                                                                    std::shared_ptr<const ssml::lexicon_set> lexicons);
};

} // namespace rtts::synth
