#include "synth/synthesizer.hpp"

#include "core/on_pool.hpp"
#include "engines/neural/piper_catalogue.hpp"
#include "engines/neural/voice_blend.hpp"
#include "engines/registry.hpp"
#include "metrics/registry.hpp"
#include "synth/ssml_plan.hpp"
#include "text/utf8.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

namespace rtts::synth {
namespace asio = boost::asio;

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

} // namespace

synthesizer::synthesizer(asio::any_io_executor ex, const server_config& config, std::string executable)
    : ex_(std::move(ex)), config_(config), executable_(std::move(executable)), default_engine_(config.engine) {
  if (config_.auto_pull) fetcher_ = std::make_unique<voice_fetcher>(config_);
}

asio::awaitable<result<void>> synthesizer::start() {
  auto lexicons = ssml::read_lexicons(config_.lexicons);
  if (!lexicons) co_return lexicons.error();
  use_lexicons(std::move(*lexicons));
  auto known = engines::known_engines();
  for (const auto& name : config_.engines)
    if (std::find(known.begin(), known.end(), name) == known.end())
      co_return make_error(error_kind::not_found, "--engines: unknown engine '" + name + "'; known: " + join(known));
  auto wanted = config_.engines.empty() ? known : config_.engines;
  auto inventory = engines::take_neural_inventory();
  std::fprintf(stderr, "rtts: %s\n", inventory.summary.c_str());
  // Neural families without voices are not started yet: refresh_voices starts one when its first
  // voice is installed (a named one is said so; the default engine must start now).
  std::erase_if(wanted, [&](const std::string& name) {
    if (name == config_.engine || inventory.worth_starting(name)) return false;
    if (!config_.engines.empty()) std::fprintf(stderr, "rtts: engine %s has no voices yet; it starts when one is installed\n", name.c_str());
    return true;
  });
  if (std::find(wanted.begin(), wanted.end(), config_.engine) == wanted.end())
    co_return make_error(error_kind::not_found, "unknown engine '" + config_.engine + "'; " + (config_.engines.empty() ? "known: " : "started: ") + join(wanted));
  // Every engine's workers start at once; then each is waited for (start-up = the slowest).
  std::vector<std::pair<std::string, std::shared_ptr<engine_pool>>> launched;
  for (const auto& name : wanted)
    if (auto pool = launch_pool(name)) launched.emplace_back(name, std::move(pool));
  for (auto& [name, pool] : launched) {
    auto started = co_await pool->wait_ready(std::chrono::seconds(10));
    if (!started && !config_.engines.empty()) {
      // Asked for by name (--engines): a requirement, not a nicety.
      pool->stop();
      for (auto& [other, other_pool] : launched)
        if (other_pool) other_pool->stop(); // those already kept stop with the synthesizer
      co_return make_error(error_kind::unavailable, "engine " + name + " did not start: " + started.error().message);
    }
    if (!started) {
      std::fprintf(stderr, "rtts: engine %s unavailable: %s\n", name.c_str(), started.error().message.c_str());
      pool->stop();
      continue;
    }
    default_voice_[name] = pool->info().default_voice;
    pools_.emplace(name, std::move(pool));
  }
  if (!pools_.contains(config_.engine)) co_return make_error(error_kind::unavailable, "default engine '" + config_.engine + "' did not start");
  if (!config_.voice.empty()) {
    if (auto set = set_default_voice(config_.voice); !set) co_return set.error();
  }
  co_return result<void>{};
}

unsigned synthesizer::workers_per_engine() const {
  return config_.workers ? config_.workers : std::max(1u, std::thread::hardware_concurrency());
}

std::shared_ptr<engine_pool> synthesizer::launch_pool(const std::string& name) const {
  auto program = engines::worker_program(name, executable_);
  if (::access(program.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "rtts: engine %s unavailable: %s is not installed\n", name.c_str(), program.c_str());
    return nullptr;
  }
  pool_settings settings{name, program, workers_per_engine(), std::chrono::milliseconds(config_.fragment_timeout_ms)};
  settings.listener_buffer = std::chrono::milliseconds(config_.listener_buffer_ms);
  settings.stream_processes = config_.max_streams;
  auto pool = std::make_shared<engine_pool>(ex_, settings);
  pool->launch();
  return pool;
}

bool synthesizer::engine_allowed(const std::string& name) const {
  return config_.engines.empty() || std::find(config_.engines.begin(), config_.engines.end(), name) != config_.engines.end();
}

asio::awaitable<void> synthesizer::refresh_voices(engines::neural_inventory inventory) {
  std::vector<std::shared_ptr<engine_pool>> rescanning;
  for (auto& [name, pool] : pools_)
    if (engines::is_neural_engine(name)) {
      pool->rescan();
      rescanning.push_back(pool);
    }
  // Done when the engines know: a voice just installed is usable once this returns.
  for (const auto& pool : rescanning) co_await pool->wait_rescanned(std::chrono::seconds(10));
  for (const auto& name : inventory.families) {
    // Another refresh is starting it: done when that is (a request waiting for its voice needs the engine).
    while (std::find(starting_.begin(), starting_.end(), name) != starting_.end()) co_await engine_started_.wait();
    if (!engine_allowed(name) || pools_.contains(name)) continue;
    auto pool = launch_pool(name);
    if (!pool) continue;
    starting_.push_back(name);
    auto started = co_await pool->wait_ready(std::chrono::seconds(10));
    std::erase(starting_, name);
    engine_started_.wake_all();
    if (stopped_ || !started) {
      if (!started) std::fprintf(stderr, "rtts: engine %s unavailable: %s\n", name.c_str(), started.error().message.c_str());
      pool->stop();
      continue;
    }
    std::fprintf(stderr, "rtts: engine %s started (its first voice was installed)\n", name.c_str());
    default_voice_[name] = pool->info().default_voice;
    pools_.emplace(name, std::move(pool));
  }
}

void synthesizer::stop() {
  stopped_ = true;
  for (auto& [name, pool] : pools_) pool->stop();
}

std::vector<std::string> synthesizer::engine_names() const {
  std::vector<std::string> names;
  for (const auto& [name, pool] : pools_) names.push_back(name);
  return names;
}

std::vector<std::string> synthesizer::requestable_engines() const {
  auto names = engine_names();
  for (const char* pulled : {"piper", "kokoro", "kitten"})
    if (fetcher_ && engine_allowed(pulled) && !pools_.contains(pulled)) names.push_back(pulled);
  return names;
}

result<const worker::worker_hello*> synthesizer::engine_info(const std::string& engine) const {
  const std::string& name = engine.empty() ? default_engine_ : engine;
  auto it = pools_.find(name);
  if (it == pools_.end())
    return make_error(error_kind::not_found, "unknown engine '" + name + "'; available engines: " + join(engine_names()),
                      "unknown_engine", "engine");
  return &it->second->info();
}

std::vector<engines::voice_info> synthesizer::broken_voices(const std::string& engine) const {
  auto it = pools_.find(engine.empty() ? default_engine_ : engine);
  return it == pools_.end() ? std::vector<engines::voice_info>{} : it->second->broken_voices();
}

std::vector<pid_t> synthesizer::worker_pids() const {
  std::vector<pid_t> pids;
  for (const auto& [name, pool] : pools_) {
    auto p = pool->worker_pids();
    pids.insert(pids.end(), p.begin(), p.end());
  }
  return pids;
}

std::map<std::string, engine_pool::stats> synthesizer::pool_stats() const {
  std::map<std::string, engine_pool::stats> out;
  for (const auto& [name, pool] : pools_) out.emplace(name, pool->current_stats());
  return out;
}

std::string synthesizer::default_voice(const std::string& engine) const {
  const std::string& name = engine.empty() ? default_engine_ : engine;
  auto it = default_voice_.find(name);
  if (it == default_voice_.end()) return {};
  // A default voice removed from the voices folders gives way to the engine's own default.
  auto pool = pools_.find(name);
  if (engines::is_neural_engine(name) && pool != pools_.end() && !pool->second->has_voice(it->second)) return pool->second->info().default_voice;
  return it->second;
}

result<void> synthesizer::set_default_engine(const std::string& engine) {
  auto info = engine_info(engine);
  if (!info) return info.error();
  default_engine_ = engine;
  return {};
}

result<void> synthesizer::set_default_voice(const std::string& voice) {
  auto pool = pools_.at(default_engine_);
  if (!pool->has_voice(voice))
    return make_error(error_kind::not_found,
                      "engine '" + default_engine_ + "' has no voice '" + voice + "'; GET /voices lists them", "unknown_voice", "voice_name");
  default_voice_[default_engine_] = voice;
  return {};
}

result<voice_options> synthesizer::resolve(voice_options v) const {
  if (v.engine.empty()) v.engine = default_engine_;
  auto pool = pools_.find(v.engine);
  if (pool == pools_.end())
    return make_error(error_kind::not_found, "unknown engine '" + v.engine + "'; available engines: " + join(engine_names()),
                      "unknown_engine", "engine");
  if (v.voice.empty()) v.voice = default_voice(v.engine);
  if (const auto* broken = pool->second->broken_voice(v.voice))
    return make_error(error_kind::unavailable, "voice '" + v.voice + "' of engine '" + v.engine + "' is broken: " + broken->broken, "voice_broken",
                      "voice");
  if (engines::neural::looks_like_blend(v.voice)) {
    // A mix of a Kokoro or Kitten model's speakers (engines/neural/voice_blend.hpp): its worker
    // makes it; here every part must be a voice of the engine.
    auto parts = engines::neural::parse_blend(v.voice);
    if (!parts) return parts.error();
    if (v.engine != "kokoro" && v.engine != "kitten")
      return make_error(error_kind::invalid_request,
                        "voice '" + v.voice + "': blending mixes the style vectors of Kokoro and Kitten voices; the " + v.engine + " engine has none",
                        "invalid_blend", "voice");
    for (const auto& part : *parts)
      if (!pool->second->has_voice(part.voice))
        return make_error(error_kind::not_found,
                          "voice '" + v.voice + "': engine '" + v.engine + "' has no voice '" + part.voice + "'; GET /voices?engine=" + v.engine + " lists them",
                          "unknown_voice", "voice");
  } else if (!pool->second->has_voice(v.voice)) {
    return make_error(error_kind::not_found,
                      "engine '" + v.engine + "' has no voice '" + v.voice + "'; GET /voices?engine=" + v.engine + " lists them",
                      "unknown_voice", "voice");
  }
  if (!(v.speed >= min_speed && v.speed <= max_speed))
    return make_error(error_kind::invalid_request, "speed must be between 0.25 and 4.0", "invalid_speed", "speed");
  if (!(v.pitch >= min_pitch && v.pitch <= max_pitch))
    return make_error(error_kind::invalid_request, "pitch must be between 0.5 and 2.0", "invalid_pitch", "pitch");
  return v;
}

bool synthesizer::may_pull(const voice_options& requested) const {
  const std::string& engine = requested.engine.empty() ? default_engine_ : requested.engine;
  bool pulled_engine = engine == "piper" || engine == "kokoro" || engine == "kitten"; // what the catalogues offer
  if (!fetcher_ || !pulled_engine || !engine_allowed(engine) || engines::neural::looks_like_blend(requested.voice)) return false;
  // A catalogue id ("en_US-amy-medium"), perhaps with a speaker ("en_US-duo-medium/bob").
  return engines::neural::is_catalogue_id(std::string_view(requested.voice).substr(0, requested.voice.find('/')));
}

std::vector<synthesizer::pullable_voice> synthesizer::pullable_voices() const {
  std::vector<pullable_voice> out;
  if (!fetcher_) return out;
  for (const auto& [id, offer] : fetcher_->offered()) {
    auto pool = pools_.find(offer.engine);
    // A model with several speakers is installed as "id/speaker" voices.
    bool installed = pool != pools_.end() && std::any_of(pool->second->info().voices.begin(), pool->second->info().voices.end(),
                                                         [&](const auto& v) { return v.id == id || v.id.starts_with(id + "/"); });
    if (engine_allowed(offer.engine) && !installed) out.push_back({offer.engine, id, offer.language});
  }
  return out;
}

asio::awaitable<void> synthesizer::read_catalogues_ahead(asio::thread_pool& compute) {
  if (fetcher_) co_await fetcher_->read_ahead(compute);
}

asio::awaitable<result<voice_options>> synthesizer::resolve_or_pull(voice_options requested, asio::thread_pool& compute) {
  auto resolved = resolve(requested);
  if (resolved || (resolved.error().code != "unknown_voice" && resolved.error().code != "unknown_engine") || !may_pull(requested))
    co_return resolved;
  auto fetched = co_await fetcher_->fetch(requested.engine.empty() ? default_engine_ : requested.engine, requested.voice.substr(0, requested.voice.find('/')), compute);
  if (!fetched) co_return fetched.error();
  auto inventory = co_await on_pool(compute, engines::take_neural_inventory);
  co_await refresh_voices(std::move(inventory));
  co_return resolve(std::move(requested));
}

result<void> synthesizer::check_text(std::string_view text) const {
  if (!text::is_valid_utf8(text)) return make_error(error_kind::invalid_request, "text is not valid UTF-8", "invalid_utf8", "text");
  if (text::is_blank(text)) return make_error(error_kind::invalid_request, "text is empty", "empty_text", "text");
  if (auto n = text::count_code_points(text); n > config_.max_text_chars)
    return make_error(error_kind::payload_too_large,
                      "text has " + std::to_string(n) + " characters; the limit is " + std::to_string(config_.max_text_chars),
                      "text_too_long", "text");
  return {};
}

result<speech_plan> synthesizer::plan_here(const speech_input& input, const voice_options& voice) const {
  return plan_with(input, voice, pools_.at(voice.engine)->info(), lexicons_.get());
}

namespace {

void observe_plan_time(const char* thread, std::chrono::steady_clock::time_point began) {
  metrics::global().plan_time.observe({thread}, std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
}

} // namespace

// A named coroutine with by-value parameters (g++ 12 mishandles capturing lambdas here).
asio::awaitable<result<speech_plan>> plan_on_compute(const synthesizer* synth, speech_input input, voice_options voice,
                                                     std::shared_ptr<const worker::worker_hello> info,
                                                     std::shared_ptr<const ssml::lexicon_set> lexicons) {
  auto began = std::chrono::steady_clock::now();
  auto planned = synth->plan_with(input, voice, *info, lexicons.get());
  observe_plan_time("compute_pool", began);
  co_return planned;
}

asio::awaitable<result<speech_plan>> synthesizer::plan(speech_input input, voice_options voice, asio::thread_pool& compute) const {
  if (input.text.size() < plan_elsewhere_bytes) {
    auto began = std::chrono::steady_clock::now();
    auto planned = plan_here(input, voice);
    observe_plan_time("network_thread", began);
    co_return planned;
  }
  auto info = std::make_shared<const worker::worker_hello>(pools_.at(voice.engine)->info());
  co_return co_await asio::co_spawn(compute, plan_on_compute(this, std::move(input), std::move(voice), std::move(info), lexicons_),
                                    asio::use_awaitable);
}

result<speech_plan> synthesizer::plan_with(const speech_input& input, const voice_options& voice, const worker::worker_hello& info,
                                           const ssml::lexicon_set* lexicons) const {
  speech_plan plan;
  if (input.ssml) {
    if (!text::is_valid_utf8(input.text)) return make_error(error_kind::invalid_request, "text is not valid UTF-8", "invalid_utf8", "text");
    // Markup may take some room beside the text: the document may be 4x --max-text bytes.
    auto planned = plan_ssml(input.text, voice, info, segmenter_, {std::max<std::size_t>(config_.max_text_chars * 4, 4096)}, lexicons);
    if (!planned) return planned.error();
    plan = std::move(*planned);
    // The text limit counts what the document says (before normalization), as for plain text.
    std::size_t spoken = 0;
    for (const auto& f : plan.fragments) spoken += text::count_code_points(f.written);
    if (spoken > config_.max_text_chars)
      return make_error(error_kind::payload_too_large,
                        "the SSML document says " + std::to_string(spoken) + " characters; the limit is " + std::to_string(config_.max_text_chars),
                        "text_too_long", "text");
    // Pauses cost no text but take time and buffer space: a few bytes of <break time="10s"/>
    // ask for seconds of audio each, so their sum has a limit of its own.
    double pause = plan.pause_after_s;
    for (const auto& f : plan.fragments) pause += f.pause_before_s;
    if (pause > config_.max_pause_s + 1e-9)
      return make_error(error_kind::payload_too_large,
                        "the SSML document pauses for " + std::to_string(static_cast<long long>(std::ceil(pause))) +
                            " s in all; the limit is " + std::to_string(static_cast<long long>(config_.max_pause_s)) + " s (--max-pause)",
                        "pause_too_long", "text");
    if (plan.fragments.empty() && plan.pause_after_s <= 0 && plan.trailing_marks.empty())
      return make_error(error_kind::invalid_request, "the SSML document has nothing to say", "empty_text", "text");
  } else {
    if (auto ok = check_text(input.text); !ok) return ok.error();
    // Normalization runs after segmentation: a rewrite never crosses a sentence, and the
    // segmenter sees the abbreviations and numbers as written.
    plan = plan_text(input.text, voice.normalize, segmenter_, info.language_of(voice.voice), lexicons);
    if (plan.fragments.empty()) return make_error(error_kind::invalid_request, "text is empty", "empty_text", "text");
  }
  plan.origin = input.origin;
  return plan;
}

asio::awaitable<result<std::shared_ptr<speech_stream>>> synthesizer::open_stream(speech_input input, voice_options requested,
                                                                                  asio::thread_pool& compute) {
  auto voice = resolve(std::move(requested));
  if (!voice) co_return voice.error();
  timing_options timing = input.timing;
  auto shared_process = std::move(input.shared_process);
  auto planned = co_await plan(std::move(input), *voice, compute);
  if (!planned) co_return planned.error();
  // Back on the network thread: the pool and its admission are its alone. An engine gone while
  // a large input was planned (shutdown) refuses like a full one.
  auto found = pools_.find(voice->engine);
  if (found == pools_.end()) co_return make_error(error_kind::unavailable, "the " + voice->engine + " engine is not running", "unavailable");
  auto& pool = found->second;
  // Admission control: refuse at once what cannot be served, instead of slowing every stream.
  if (pool->streams_in_flight() >= config_.max_streams)
    co_return make_error(error_kind::overloaded,
                         "the " + voice->engine + " engine is serving " + std::to_string(pool->streams_in_flight()) +
                             " streams, its limit; try again shortly",
                         "overloaded");
  std::size_t chars = 0;
  for (const auto& f : planned->fragments) chars += f.text.size();
  std::size_t first_chars = planned->fragments.empty() ? 0 : planned->fragments.front().text.size();
  if (auto admitted = pool->admit(voice->voice, chars, first_chars, config_.admission_load); !admitted) co_return admitted.error();
  auto stream = std::make_shared<speech_stream>(ex_, *voice, std::move(*planned), timing, pool->info().rate_of(voice->voice),
                                                config_.stream_buffer_bytes, std::chrono::milliseconds(config_.listener_buffer_ms));
  stream->shared_process = std::move(shared_process);
  pool->submit(stream);
  co_return stream;
}

} // namespace rtts::synth
