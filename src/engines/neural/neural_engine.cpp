#include "engines/neural/neural_engine.hpp"
#include "engines/neural/piper_voice.hpp"
#include "engines/neural/voice_blend.hpp"
#include "engines/neural/voice_files.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string home_folder(const char* xdg, const char* below_home) {
  if (const char* v = std::getenv(xdg); v && *v == '/') return v;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/" + below_home;
  return "/tmp/rtts-" + std::to_string(::getuid());
}

// How long a throwaway load may take: a 300 MB Kokoro model loads in seconds, not minutes.
constexpr int check_timeout_ms = 60000;

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) return std::string("signal ") + ::strsignal(WTERMSIG(status));
  return "exit " + std::to_string(WEXITSTATUS(status));
}

} // namespace

std::string default_voices_folder() { return home_folder("XDG_DATA_HOME", ".local/share") + "/rtts/voices"; }
std::string default_cache_folder() { return home_folder("XDG_CACHE_HOME", ".cache") + "/rtts"; }

neural_settings neural_settings::from_environment() {
  neural_settings s;
  std::istringstream folders(env_or("RTTS_VOICES_DIRS", default_voices_folder()));
  for (std::string f; std::getline(folders, f, ':');)
    if (!f.empty()) s.voice_folders.push_back(f);
  s.runtime = env_or("RTTS_NEURAL_RUNTIME", "");
  try {
    s.memory_budget = static_cast<std::uint64_t>(std::stod(env_or("RTTS_NEURAL_MEMORY", "1024")) * (1 << 20));
  } catch (...) {
  }
  s.cache_dir = env_or("RTTS_CACHE_DIR", default_cache_folder());
  return s;
}

result<std::unique_ptr<engine>> neural_engine::create(family kind, const neural_settings& settings) {
  std::vector<neural_voice> mine;
  for (auto& v : scan_voice_folders(settings.voice_folders, system_espeak_data()))
    if (v.kind == kind) mine.push_back(std::move(v));
  std::string folders;
  for (const auto& f : settings.voice_folders) folders += (folders.empty() ? "" : ", ") + f;
  if (mine.empty())
    return make_error(error_kind::not_found, std::string("no ") + family_name(kind) + " voices in " + (folders.empty() ? "(no voices folder)" : folders));
  std::error_code ec;
  auto executable = fs::read_symlink("/proc/self/exe", ec).string();
  auto api = load_sherpa_onnx(find_sherpa_onnx(settings.runtime, executable));
  if (!api) return api.error();
  auto e = std::unique_ptr<neural_engine>(new neural_engine(kind, *api, settings, std::move(mine)));
  if (e->default_voice().empty()) {
    std::string reasons;
    for (const auto& v : e->voices_) reasons += "; " + v.id + ": " + v.broken;
    return make_error(error_kind::engine_failure, std::string("every ") + family_name(kind) + " voice is broken" + reasons);
  }
  return std::unique_ptr<engine>(std::move(e));
}

neural_engine::neural_engine(family kind, const sherpa_onnx_api* api, neural_settings settings, std::vector<neural_voice> voices)
    : kind_(kind), api_(api), settings_(std::move(settings)), voices_(std::move(voices)), residency_(settings_.memory_budget) {}

void neural_engine::prepare(const std::string& voice) {
  std::string next = voice;
  while (!next.empty() && !load(next)) {
    auto again = default_voice();
    if (again == next) break; // it failed without turning out broken (e.g. a full disk): no further
    next = again;
  }
}

std::string neural_engine::default_voice() const {
  for (bool english_only : {true, false})
    for (const auto& v : voices_)
      if (v.broken.empty() && (!english_only || v.language.starts_with("en"))) return v.id + (v.speakers.size() > 1 ? "/" + v.speakers.front() : "");
  return {};
}

neural_engine::~neural_engine() {
  for (auto& [id, tts] : loaded_) api_->destroy(tts);
}

int neural_engine::sample_rate() const {
  for (const auto& v : voices_)
    if (v.broken.empty()) return v.sample_rate;
  return 22050;
}

std::vector<voice_info> neural_engine::voices() const {
  std::vector<voice_info> out;
  for (const auto& v : voices_) {
    for (std::size_t s = 0; s < v.speakers.size(); ++s) {
      bool multi = v.speakers.size() > 1;
      voice_info info;
      info.id = multi ? v.id + "/" + v.speakers[s] : v.id;
      info.name = multi ? v.id + " (" + v.speakers[s] + ")" : v.id;
      info.language = v.language;
      info.sample_rate = v.sample_rate;
      info.broken = v.broken;
      out.push_back(std::move(info));
    }
  }
  return out;
}

std::vector<std::string> neural_engine::resident_voices() const { return residency_.held(); }

bool neural_engine::holds(const std::string& id) const {
  if (auto made = blends_.find(id); made != blends_.end()) return residency_.holds(made->second.id);
  auto slash = id.rfind('/');
  return residency_.holds(id) || (slash != std::string::npos && residency_.holds(id.substr(0, slash)));
}

namespace {

// The same installed files: a voice replaced under the same name is a new voice (checked and
// loaded again).
bool same_files(const neural_voice& a, const neural_voice& b) {
  return a.id == b.id && a.kind == b.kind && a.source == b.source && a.model == b.model && a.bytes == b.bytes;
}

} // namespace

bool neural_engine::rescan() {
  std::vector<neural_voice> now;
  for (auto& v : scan_voice_folders(settings_.voice_folders, system_espeak_data()))
    if (v.kind == kind_) now.push_back(std::move(v));
  bool changed = now.size() != voices_.size();
  for (auto& v : now) {
    auto before = std::find_if(voices_.begin(), voices_.end(), [&](const neural_voice& old) { return same_files(old, v); });
    if (before == voices_.end()) {
      changed = true;
      checked_.erase(v.id);
      if (residency_.holds(v.id)) { // replaced under the same name: the old model goes
        api_->destroy(loaded_.at(v.id));
        loaded_.erase(v.id);
        residency_.remove(v.id);
      }
      std::erase_if(retired_, [&](const neural_voice& r) { return r.id == v.id; });
    } else if (v.broken.empty()) {
      v.broken = before->broken; // what its throwaway load found stays true of the same files
    }
  }
  for (auto& old : voices_) {
    bool kept = std::any_of(now.begin(), now.end(), [&](const neural_voice& v) { return v.id == old.id; });
    if (!kept && residency_.holds(old.id)) retired_.push_back(std::move(old));
  }
  voices_ = std::move(now);
  // Blends are made again from the voices as they are now (those loaded stay until they leave).
  if (changed) std::erase_if(blends_, [&](const auto& b) { return !residency_.holds(b.second.id); });
  return changed;
}

result<std::pair<neural_voice*, int>> neural_engine::blend(const std::string& id) {
  if (auto made = blends_.find(id); made != blends_.end()) return std::pair{&made->second, 0};
  auto parts = parse_blend(id);
  if (!parts) return parts.error();
  neural_voice* model = nullptr;
  std::vector<std::pair<int, double>> mix;
  for (const auto& part : *parts) {
    auto found = find(part.voice);
    if (!found) return found.error();
    if (model && found->first != model)
      return make_error(error_kind::invalid_request, "voice '" + id + "': a blend mixes the speakers of one model", "invalid_blend", "voice");
    model = found->first;
    mix.emplace_back(found->second, part.weight);
  }
  if (model->kind != family::kokoro && model->kind != family::kitten)
    return make_error(error_kind::invalid_request, "voice '" + id + "': only Kokoro and Kitten voices blend (they have style vectors)", "invalid_blend", "voice");
  std::string styles = read_text(model->voices);
  auto speakers = static_cast<int>(std::max<std::size_t>(1, model->speakers.size()));
  if (styles.empty() || styles.size() % (sizeof(float) * static_cast<std::size_t>(speakers)) != 0)
    return make_error(error_kind::engine_failure, "voice '" + id + "': " + model->voices + " is not a style vector per speaker", "invalid_blend", "voice");
  std::vector<float> all(styles.size() / sizeof(float));
  std::memcpy(all.data(), styles.data(), styles.size());
  // The model's own layout (a voices file of another size ends the process that loads it),
  // every speaker's block the mix.
  auto one = mix_styles(all, speakers, mix);
  std::vector<float> mixed;
  for (int i = 0; i < speakers; ++i) mixed.insert(mixed.end(), one.begin(), one.end());
  // Named by the blend: every worker writes the same bytes; written aside and renamed.
  char name[32];
  std::snprintf(name, sizeof name, "%016zx", std::hash<std::string>{}(model->source + "|" + id));
  fs::path file = fs::path(settings_.cache_dir) / "blends" / (model->id + "-" + name + ".bin");
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path aside = file.string() + "." + std::to_string(::getpid());
  {
    std::ofstream out(aside, std::ios::binary);
    out.write(reinterpret_cast<const char*>(mixed.data()), static_cast<std::streamsize>(mixed.size() * sizeof(float)));
    if (!out) return make_error(error_kind::engine_failure, "writing the blend " + file.string() + " failed", "io_error");
  }
  fs::rename(aside, file, ec);
  if (ec) return make_error(error_kind::engine_failure, "writing the blend " + file.string() + " failed: " + ec.message(), "io_error");
  neural_voice made = *model;
  made.id = model->id + "+" + name; // what residency and the loaded sessions know it by
  made.voices = file.string();
  made.speakers = {"0"}; // any speaker: each is the mix
  auto& kept = blends_[id] = std::move(made);
  return std::pair{&kept, 0};
}

result<std::pair<neural_voice*, int>> neural_engine::find(const std::string& id) {
  if (looks_like_blend(id)) return blend(id);
  auto slash = id.rfind('/');
  // Installed voices first, then those removed while loaded here (streams still using them).
  for (auto* list : {&voices_, &retired_}) {
    for (auto& v : *list) {
      int speaker = 0;
      if (v.speakers.size() > 1) {
        if (slash == std::string::npos || id.compare(0, slash, v.id) != 0) continue;
        auto it = std::find(v.speakers.begin(), v.speakers.end(), id.substr(slash + 1));
        if (it == v.speakers.end()) continue;
        speaker = static_cast<int>(it - v.speakers.begin());
      } else if (id != v.id) {
        continue;
      }
      if (!v.broken.empty())
        return make_error(error_kind::unavailable, "voice '" + id + "' is broken: " + v.broken, "voice_broken", "voice");
      return std::pair{&v, speaker};
    }
  }
  return make_error(error_kind::not_found, "the " + name() + " engine has no voice '" + id + "'", "unknown_voice", "voice");
}

const sherpa_tts* neural_engine::create_tts(const neural_voice& v) const {
  sherpa_tts_config c{};
  c.model.num_threads = 1; // no thread pool: the worker forks a job process per fragment
  c.model.provider = "cpu";
  c.max_num_sentences = 1; // one callback per sentence: audio leaves as each is made
  c.silence_scale = 1.0f;  // rtts's pauses stay exact
  const char* data_dir = v.data_dir.empty() ? nullptr : v.data_dir.c_str();
  const char* lexicon = v.lexicon.empty() ? nullptr : v.lexicon.c_str();
  switch (v.kind) {
  case family::piper:
    c.model.vits = {v.model.c_str(), lexicon, v.tokens.c_str(), data_dir, 0.667f, 0.8f, 1.0f, nullptr};
    break;
  case family::kokoro: c.model.kokoro = {v.model.c_str(), v.voices.c_str(), v.tokens.c_str(), data_dir, 1.0f, nullptr, lexicon, nullptr}; break;
  case family::kitten: c.model.kitten = {v.model.c_str(), v.voices.c_str(), v.tokens.c_str(), data_dir, 1.0f}; break;
  case family::matcha:
    c.model.matcha = {v.model.c_str(), v.vocoder.c_str(), lexicon, v.tokens.c_str(), data_dir, 0.667f, 1.0f, nullptr};
    break;
  }
  return api_->create(&c);
}

// Loads the voice in a child process first: sherpa-onnx ends the process (_Exit) on some model
// faults that the static checks cannot see. The child's last line on stderr is the reason.
result<void> neural_engine::check_in_throwaway_process(neural_voice& v) {
  if (checked_[v.id]) return {};
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return make_error(error_kind::engine_failure, "pipe failed");
  pid_t child = ::fork();
  if (child < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return make_error(error_kind::engine_failure, "fork failed");
  }
  if (child == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    const auto* tts = create_tts(v);
    if (!tts) ::_exit(3);
    sherpa_generation_config g{};
    g.speed = 1.0f;
    g.silence_scale = 1.0f;
    const auto* audio = api_->generate(tts, "Hello.", &g, nullptr, nullptr);
    ::_exit(audio && audio->n > 0 ? 0 : 4);
  }
  ::close(pipe_fds[1]);
  std::string output;
  char buf[4096];
  for (;;) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, check_timeout_ms) <= 0) {
      ::kill(child, SIGKILL);
      break;
    }
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
    if (output.size() > 65536) output.erase(0, output.size() - 65536);
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    checked_[v.id] = true;
    return {};
  }
  // The last non-empty line sherpa-onnx printed says why.
  std::string last;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3) v.broken = "sherpa-onnx could not load it";
  else if (WIFEXITED(status) && WEXITSTATUS(status) == 4) v.broken = "it loads but makes no audio";
  else v.broken = "loading it ends the process (" + describe_exit(status) + ")";
  if (!last.empty()) v.broken += ": " + last.substr(0, 300);
  return make_error(error_kind::unavailable, "voice '" + v.id + "' is broken: " + v.broken, "voice_broken", "voice");
}

result<void> neural_engine::load(const std::string& id) {
  auto found = find(id);
  if (!found) return found.error();
  auto& v = *found->first;
  if (residency_.holds(v.id)) {
    residency_.touch(v.id);
    return {};
  }
  if (!v.piper_json.empty()) {
    if (auto converted = materialize_piper_voice(v, settings_.cache_dir); !converted) return converted.error();
  }
  if (auto checked = check_in_throwaway_process(v); !checked) return checked.error();
  for (const auto& evicted : residency_.make_room(v.bytes)) {
    api_->destroy(loaded_.at(evicted));
    loaded_.erase(evicted);
    residency_.remove(evicted);
    std::erase_if(retired_, [&](const neural_voice& r) { return r.id == evicted; }); // its files are gone
  }
  const auto* tts = create_tts(v);
  if (!tts) return make_error(error_kind::engine_failure, "sherpa-onnx could not load voice '" + v.id + "'");
  // One generation warms the session (ONNX Runtime plans its memory on the first run), so the
  // job processes forked from here start warm.
  sherpa_generation_config g{};
  g.speed = 1.0f;
  g.silence_scale = 1.0f;
  if (const auto* audio = api_->generate(tts, "Ready.", &g, nullptr, nullptr)) api_->destroy_audio(audio);
  loaded_[v.id] = tts;
  residency_.add(v.id, v.bytes);
  return {};
}

result<void> neural_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& /*words*/) {
  auto found = find(params.voice);
  if (!found) return found.error();
  if (auto loaded = load(params.voice); !loaded) return loaded.error();
  const auto* tts = loaded_.at(found->first->id);

  struct state {
    const audio_sink* sink;
    std::vector<std::int16_t> pcm;
    bool stopped = false;
  } s{&sink, {}, false};
  auto on_audio = [](const float* samples, std::int32_t n, float /*progress*/, void* arg) -> std::int32_t {
    auto* st = static_cast<state*>(arg);
    st->pcm.resize(static_cast<std::size_t>(std::max(0, n)));
    for (std::int32_t i = 0; i < n; ++i) st->pcm[static_cast<std::size_t>(i)] = static_cast<std::int16_t>(std::lround(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f));
    if (!(*st->sink)(st->pcm)) st->stopped = true;
    return st->stopped ? 0 : 1;
  };
  std::string input(text);
  sherpa_generation_config g{};
  g.speed = static_cast<float>(params.speed); // sherpa-onnx: length_scale = 1 / speed, exactly
  g.sid = found->second;
  g.silence_scale = 1.0f;
  const auto* audio = api_->generate(tts, input.c_str(), &g, on_audio, &s);
  if (!audio && !s.stopped) return make_error(error_kind::engine_failure, "sherpa-onnx failed to synthesize with voice '" + params.voice + "'");
  if (audio) api_->destroy_audio(audio);
  return {};
}

} // namespace rtts::engines::neural
