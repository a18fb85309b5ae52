#pragma once
// Plays s16 mono PCM through the sound system as it arrives (PortAudio, loaded with dlopen on
// first use so that `rtts serve` never maps audio-device libraries).
#include "core/error.hpp"

#include <cstdint>
#include <memory>
#include <span>

namespace rtts::app {

class audio_player {
public:
  // Fails with a plain message when PortAudio is missing or there is no output device.
  static result<std::unique_ptr<audio_player>> open(int sample_rate);
  ~audio_player();
  // Blocks while the device buffer is full (playback paces the caller).
  void play(std::span<const std::int16_t> samples);

private:
  struct impl;
  explicit audio_player(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

} // namespace rtts::app
