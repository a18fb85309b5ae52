#pragma once
// The part of sherpa-onnx's C API that rtts uses, declared here because no headers ship with the
// prebuilt library (npm package sherpa-onnx-linux-x64, scripts/install-deps). The layout is
// pinned to exactly one version: the config structs grew fields inside their sub-structs four
// times between 1.11 and 1.12.30, so a struct declared for one version silently feeds another
// garbage. load_sherpa_onnx() refuses any other version at run time, and the static_asserts
// below hold the sizes and offsets measured on the 1.13.8 binary (../shared/NOTES.md).
#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtts::engines::neural {

inline constexpr const char* sherpa_onnx_version = "1.13.8";

// Zero and NULL mean "the library's default" everywhere.
struct sherpa_vits_config {
  const char* model;
  const char* lexicon;
  const char* tokens;
  const char* data_dir; // espeak-ng-data
  float noise_scale;
  float noise_scale_w;
  float length_scale; // > 1 is slower
  const char* dict_dir;
};
struct sherpa_matcha_config {
  const char* acoustic_model;
  const char* vocoder;
  const char* lexicon;
  const char* tokens;
  const char* data_dir;
  float noise_scale;
  float length_scale;
  const char* dict_dir;
};
struct sherpa_kokoro_config {
  const char* model;
  const char* voices;
  const char* tokens;
  const char* data_dir;
  float length_scale;
  const char* dict_dir;
  const char* lexicon;
  const char* lang;
};
struct sherpa_kitten_config {
  const char* model;
  const char* voices;
  const char* tokens;
  const char* data_dir;
  float length_scale;
};
// Families rtts does not run (zero-shot models that need reference audio): room only.
struct sherpa_zipvoice_config {
  const char* paths[6];
  float scales[4];
};
struct sherpa_pocket_config {
  const char* paths[7];
  std::int32_t voice_embedding_cache_capacity;
};
struct sherpa_supertonic_config {
  const char* paths[7];
};
struct sherpa_model_config {
  sherpa_vits_config vits;
  std::int32_t num_threads;
  std::int32_t debug;
  const char* provider;
  sherpa_matcha_config matcha;
  sherpa_kokoro_config kokoro;
  sherpa_kitten_config kitten;
  sherpa_zipvoice_config zipvoice;
  sherpa_pocket_config pocket;
  sherpa_supertonic_config supertonic;
};
struct sherpa_tts_config {
  sherpa_model_config model;
  const char* rule_fsts;
  std::int32_t max_num_sentences; // sentences per generation batch (one callback each)
  const char* rule_fars;
  float silence_scale; // between sentences; 1 keeps rtts's timing exact (the default 0.2 shrinks pauses)
};
struct sherpa_generation_config {
  float silence_scale;
  float speed;
  std::int32_t sid;
  const float* reference_audio;
  std::int32_t reference_audio_len;
  std::int32_t reference_sample_rate;
  const char* reference_text;
  std::int32_t num_steps;
  const char* extra;
};
struct sherpa_generated_audio {
  const float* samples; // [-1, 1]
  std::int32_t n;
  std::int32_t sample_rate;
};
struct sherpa_tts; // opaque

// Called synchronously with each batch's audio; returning 0 stops before the next batch.
using sherpa_progress_callback = std::int32_t (*)(const float* samples, std::int32_t n, float progress, void* arg);

static_assert(sizeof(sherpa_vits_config) == 56);
static_assert(sizeof(sherpa_matcha_config) == 56);
static_assert(sizeof(sherpa_kokoro_config) == 64);
static_assert(sizeof(sherpa_kitten_config) == 40);
static_assert(offsetof(sherpa_model_config, num_threads) == 56);
static_assert(offsetof(sherpa_model_config, matcha) == 72);
static_assert(offsetof(sherpa_model_config, kokoro) == 128);
static_assert(offsetof(sherpa_model_config, kitten) == 192);
static_assert(offsetof(sherpa_model_config, zipvoice) == 232);
static_assert(offsetof(sherpa_model_config, pocket) == 296);
static_assert(offsetof(sherpa_model_config, supertonic) == 360);
static_assert(offsetof(sherpa_tts_config, rule_fsts) == 416);
static_assert(offsetof(sherpa_tts_config, max_num_sentences) == 424);
static_assert(offsetof(sherpa_tts_config, rule_fars) == 432);
static_assert(offsetof(sherpa_tts_config, silence_scale) == 440);
static_assert(sizeof(sherpa_tts_config) == 448);
static_assert(sizeof(sherpa_generation_config) == 56);
static_assert(sizeof(sherpa_generated_audio) == 16);

struct sherpa_onnx_api {
  const char* (*version)() = nullptr;
  const sherpa_tts* (*create)(const sherpa_tts_config*) = nullptr;
  void (*destroy)(const sherpa_tts*) = nullptr;
  std::int32_t (*sample_rate)(const sherpa_tts*) = nullptr;
  std::int32_t (*num_speakers)(const sherpa_tts*) = nullptr;
  const sherpa_generated_audio* (*generate)(const sherpa_tts*, const char* text, const sherpa_generation_config*, sherpa_progress_callback,
                                            void* arg) = nullptr;
  void (*destroy_audio)(const sherpa_generated_audio*) = nullptr;
};

// Where the library is looked for: `explicit_path` if not empty (--neural-runtime), else next to
// the rtts executable (sherpa-onnx/ in a build folder, ../lib/rtts/sherpa-onnx/ when installed).
std::string find_sherpa_onnx(const std::string& explicit_path, const std::string& executable);

// dlopens the library (only ever in a neural worker) and checks its version; the error says
// what is missing or wrong, for the one log line the server prints.
result<const sherpa_onnx_api*> load_sherpa_onnx(const std::string& path);

} // namespace rtts::engines::neural
