#include "engines/espeak/espeak_engine.hpp"

#include "core/ascii.hpp"

#include <espeak-ng/speak_lib.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rtts::engines {
namespace {

// eSpeak's callback is a plain function pointer; the process runs one synthesis at a time,
// so the active sink lives here for its duration.
const audio_sink* active_sink = nullptr;
bool sink_stopped = false;
// Word timing (only while a synthesis wants it): the bytes of the fragment's text each code
// point of eSpeak's input stands for (eSpeak counts positions in code points, from 1; a word
// given as [[phonemes]] stands for the word as written), and the samples delivered so far.
const word_sink* active_words = nullptr;
std::vector<byte_range> input_origin;
byte_range last_word{0, 0};
long delivered = 0;

bool deliver(const short* wav, long count) {
  if (count <= 0) return true;
  if ((*active_sink)(std::span<const std::int16_t>(wav, static_cast<std::size_t>(count)))) return true;
  sink_stopped = true;
  return false;
}

int on_audio(short* wav, int samples, espeak_EVENT* events) {
  if (!wav || samples <= 0 || !active_sink) return 0;
  long cursor = 0;
  // A chunk arrives with the events that fall in it; WORD events carry their exact sample, so
  // the chunk is cut there and the word announced between the two halves.
  for (; active_words && events && events->type != espeakEVENT_LIST_TERMINATED; ++events) {
    if (events->type != espeakEVENT_WORD || events->text_position < 1) continue;
    long at = std::clamp<long>(events->sample - delivered, cursor, samples);
    if (!deliver(wav + cursor, at - cursor)) return 1;
    cursor = at;
    auto first = static_cast<std::size_t>(events->text_position - 1);
    if (first >= input_origin.size()) continue;
    auto last = std::min(input_origin.size(), first + static_cast<std::size_t>(std::max(events->length, 1))) - 1;
    byte_range word{input_origin[first].begin, std::max(input_origin[first].begin, input_origin[last].end)};
    // The words inside one [[ ]] are the one word written.
    if (word.begin == last_word.begin && word.end == last_word.end) continue;
    last_word = word;
    (*active_words)(word.begin, word.end - word.begin);
  }
  if (!deliver(wav + cursor, samples - cursor)) return 1; // abort synthesis now
  delivered += samples;
  return 0;
}

// The MBROLA database an eSpeak "mb/..." voice needs ("mbrola us1 us_phtrans" in its voice file),
// if that database and the mbrola program are installed (non-free: scripts/install-deps
// --non-free); empty otherwise.
std::string installed_mbrola_database(const std::string& data_dir, const std::string& identifier) {
  std::ifstream voice_file(data_dir + "/voices/" + identifier);
  std::string database;
  for (std::string line; std::getline(voice_file, line);)
    if (line.starts_with("mbrola ")) {
      std::istringstream words(line.substr(7));
      words >> database;
    }
  if (database.empty() || ::access("/usr/bin/mbrola", X_OK) != 0) return {};
  for (const auto& path : {"/usr/share/mbrola/" + database + "/" + database, "/usr/share/mbrola/" + database})
    if (std::filesystem::is_regular_file(path)) return database;
  return {};
}

} // namespace

result<std::unique_ptr<engine>> espeak_engine::create() {
  // 200 ms buffers: eSpeak makes them in a fraction of a millisecond, so first audio barely
  // moves, and every buffer costs a frame from the worker and a read and a write in the server
  // (with 50 ms ones the server took 15 % of the CPU of server and workers at 64 clients, 11-12 %
  // with 200 ms; docs/benchmarks.md#stream-process).
  int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) return make_error(error_kind::engine_failure, "eSpeak NG failed to initialise (is espeak-ng-data installed?)");
  espeak_SetSynthCallback(on_audio);

  std::unique_ptr<espeak_engine> e(new espeak_engine());
  e->sample_rate_ = rate;
  const char* data_dir = nullptr;
  espeak_Info(&data_dir);
  if (data_dir) e->data_dir_ = data_dir;
  // The plain list leaves MBROLA voices out; asking for language "mb" lists them. Each call may
  // free the voices the previous one returned: copy what we need at once.
  struct listed_voice {
    std::string identifier, language, name;
    int gender;
  };
  std::vector<listed_voice> listed;
  auto collect = [&](const espeak_VOICE** v) {
    for (; v && *v; ++v)
      if ((*v)->identifier)
        // `languages` is a list of (priority byte, zero-terminated name); the first names the voice.
        listed.push_back({(*v)->identifier, (*v)->languages ? ascii_lower((*v)->languages + 1) : "", (*v)->name ? (*v)->name : "", (*v)->gender});
  };
  collect(espeak_ListVoices(nullptr));
  espeak_VOICE mbrola_query{};
  mbrola_query.languages = "mb";
  collect(espeak_ListVoices(&mbrola_query));
  for (const auto& v : listed) {
    std::string id = v.language.empty() ? ascii_lower(v.identifier) : v.language;
    int voice_rate = 0;
    std::string timing;
    if (v.identifier.starts_with("mb/")) {
      // eSpeak reports only each sentence's first word for MBROLA voices: rtts estimates.
      timing = "estimated";
      // MBROLA voices: offered only where their non-free database is installed; their ids are
      // their own ("mb-us1"), and MBROLA databases speak at 16 kHz.
      if (!data_dir || installed_mbrola_database(data_dir, v.identifier).empty()) continue;
      id = ascii_lower(v.identifier.substr(3));
      voice_rate = 16000;
    }
    if (e->identifier_by_id_.contains(id)) continue;
    e->identifier_by_id_.emplace(id, v.identifier);
    const char* gender = v.gender == 1 ? "male" : v.gender == 2 ? "female" : "";
    e->voices_.push_back(voice_info{id, v.name.empty() ? id : v.name, v.language, gender, voice_rate, timing, {}});
  }
  if (!e->identifier_by_id_.contains(e->default_voice()))
    return make_error(error_kind::engine_failure, "eSpeak NG has no en-us voice");
  return std::unique_ptr<engine>(std::move(e));
}

espeak_engine::~espeak_engine() { espeak_Terminate(); }

void espeak_engine::prepare(const std::string& voice) {
  // Loading a voice reads its language's dictionary (~2.5 ms for English); a job process that
  // finds it loaded already pays ~0.3 ms.
  if (auto found = identifier_by_id_.find(voice); found != identifier_by_id_.end() && espeak_SetVoiceByName(found->second.c_str()) == EE_OK)
    loaded_voice_ = voice;
}

void espeak_engine::prepare_phonemes(const std::string& voice) {
  auto found = identifier_by_id_.find(voice);
  if (phoneme_map_voice_ == voice || found == identifier_by_id_.end() || espeak_SetVoiceByName(found->second.c_str()) != EE_OK) return;
  // eSpeak reads [[ ]] in espeak_TextToPhonemes only once a synthesis has switched phoneme input
  // on; an empty text does that without making audio.
  espeak_Synth("", 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakPHONEMES, nullptr, nullptr);
  phoneme_map_ = espeak_phoneme_map::probe(data_dir_ + "/phontab");
  phoneme_map_voice_ = voice;
  // Back to the voice loaded before, which jobs expect to find loaded.
  if (auto loaded = identifier_by_id_.find(loaded_voice_); loaded != identifier_by_id_.end() && loaded_voice_ != voice)
    espeak_SetVoiceByName(loaded->second.c_str());
}

result<void> espeak_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& words) {
  auto found = identifier_by_id_.find(params.voice);
  if (found == identifier_by_id_.end())
    return make_error(error_kind::not_found, "eSpeak NG has no voice '" + params.voice + "'", "unknown_voice", "voice");
  // The prepared voice is loaded already: setting it again would read its dictionary from disk
  // into fresh memory in every job process (~170 KB for English). Every stream's first job
  // forks from the same prepared state, so skipping it changes no stream's audio relative to
  // another's.
  if (params.voice != loaded_voice_ && espeak_SetVoiceByName(found->second.c_str()) != EE_OK)
    return make_error(error_kind::engine_failure, "eSpeak NG could not load voice '" + params.voice + "'");
  // Loaded now: a stream's next fragment in this job process (engine_capabilities::stream_process)
  // does not read the dictionary again (~2.5 ms for English).
  loaded_voice_ = params.voice;
  // Rates above 450 wpm use eSpeak's sonic speed-up; below 80 wpm eSpeak refuses, so the
  // slowest speed it honours is 80/175 = 0.46.
  int rate = static_cast<int>(std::lround(espeakRATE_NORMAL * params.speed));
  espeak_SetParameter(espeakRATE, std::clamp(rate, static_cast<int>(espeakRATE_MINIMUM), 1000), 0);
  espeak_SetParameter(espeakPITCH, std::clamp(static_cast<int>(std::lround(50 * params.pitch)), 0, 100), 0);

  unsigned flags = espeakCHARS_UTF8;
  std::string input; // eSpeak wants a terminated buffer
  if (!params.phonemes.empty()) {
    prepare_phonemes(params.voice); // the worker did it before forking this job; in-process callers here
    flags |= espeakPHONEMES;
  }
  auto built = espeak_input(text, params.phonemes, phoneme_map_);
  for (const auto& unsaid : built.read_as_written)
    std::fprintf(stderr, "rtts: eSpeak NG reads '%s' as written: %s\n", unsaid.word.c_str(), unsaid.why.c_str());
  input = std::move(built.text);
  input_origin = std::move(built.origin);
  active_sink = &sink;
  sink_stopped = false;
  active_words = words ? &words : nullptr;
  last_word = {0, 0};
  delivered = 0;
  espeak_ERROR err = espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0, flags, nullptr, nullptr);
  active_sink = nullptr;
  active_words = nullptr;
  if (err != EE_OK && !sink_stopped)
    return make_error(error_kind::engine_failure, "eSpeak NG synthesis failed (code " + std::to_string(err) + ")");
  return {};
}

} // namespace rtts::engines
