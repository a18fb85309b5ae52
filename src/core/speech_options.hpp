#pragma once
// What one request asks for. Every request carries its own copy: nothing here is global.
#include <string>

namespace rtts {

// How the voice speaks. Empty engine/voice mean "the server default".
struct voice_options {
  std::string engine;
  std::string voice;
  double speed = 1.0; // 0.25..4.0, 1 = the engine's normal rate
  double pitch = 1.0; // 0.5..2.0, 1 = the voice's normal pitch
  bool normalize = true; // read dates, times, money, numbers... as words (src/text/normalizer.hpp)
};

// Timing events sent with the audio (opt-in): none; sentences and SSML marks; or those and words.
enum class timestamp_level { none, sentence, word };
// How offsets into the client's text are counted: code points (default), UTF-16 code units
// (JavaScript strings) or UTF-8 bytes.
enum class offset_unit { code_point, utf16, utf8 };

struct timing_options {
  timestamp_level level = timestamp_level::none;
  offset_unit units = offset_unit::code_point;
};

// Output encodings. pcm = raw s16le mono; ulaw/alaw = G.711 at 8 kHz; opus = Ogg Opus;
// aac = ADTS; the others are their usual containers.
enum class audio_format { wav, pcm, mp3, opus, aac, flac, ulaw, alaw };

// How the audio leaves the server.
struct output_options {
  audio_format format = audio_format::wav;
  int sample_rate = 0; // Hz, 8000..48000; 0 = the engine's native rate
};

inline constexpr double min_speed = 0.25, max_speed = 4.0;
inline constexpr double min_pitch = 0.5, max_pitch = 2.0;
inline constexpr int min_sample_rate = 8000, max_sample_rate = 48000;

} // namespace rtts
