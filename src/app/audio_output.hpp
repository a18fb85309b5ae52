#pragma once
// Where the CLI clients put received audio: a file (-o) and/or the sound card (--play).
// PCM goes into a WAV file whose sizes are patched to the exact length at the end; encoded
// formats (mp3, opus, ...) are written as they come.
#include "app/audio_player.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace rtts::app {

class audio_output {
public:
  audio_output() = default;
  audio_output(const audio_output&) = delete;
  audio_output& operator=(const audio_output&) = delete;
  ~audio_output();

  // path "" = no file. `pcm` false = encoded bytes (file only, no playback).
  result<void> open(const std::string& path, bool play, int sample_rate, bool pcm);
  // s16le bytes; may split samples anywhere.
  void write_pcm_bytes(std::string_view bytes);
  void write_encoded(std::string_view bytes);
  // Finishes the file (exact WAV sizes). Returns the PCM samples written.
  result<std::size_t> close();

private:
  std::FILE* file_ = nullptr;
  std::unique_ptr<audio_player> player_;
  bool pcm_ = true;
  int sample_rate_ = 0;
  std::size_t pcm_bytes_ = 0;
  std::string carry_; // an odd byte waiting for its partner
};

} // namespace rtts::app
