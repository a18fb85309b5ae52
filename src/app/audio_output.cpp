#include "app/audio_output.hpp"

#include "audio/wav.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

namespace rtts::app {

audio_output::~audio_output() {
  if (file_) std::fclose(file_);
}

result<void> audio_output::open(const std::string& path, bool play, int sample_rate, bool pcm) {
  pcm_ = pcm;
  sample_rate_ = sample_rate;
  if (play) {
    if (!pcm) return make_error(error_kind::invalid_request, "--play needs PCM audio: use --format wav or pcm");
    auto p = audio_player::open(sample_rate);
    if (!p) return p.error();
    player_ = std::move(*p);
  }
  if (!path.empty()) {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) return make_error(error_kind::invalid_request, "cannot write " + path + ": " + std::strerror(errno));
    if (pcm) {
      auto header = audio::make_wav_header(static_cast<std::uint32_t>(sample_rate), 1, 0); // sizes patched in close()
      std::fwrite(header.data(), 1, header.size(), file_);
    }
  }
  return {};
}

void audio_output::write_pcm_bytes(std::string_view bytes) {
  std::string joined;
  if (!carry_.empty()) {
    joined = carry_ + std::string(bytes);
    carry_.clear();
    bytes = joined;
  }
  if (bytes.size() % 2) {
    carry_ = bytes.back();
    bytes.remove_suffix(1);
  }
  if (bytes.empty()) return;
  pcm_bytes_ += bytes.size();
  if (file_) std::fwrite(bytes.data(), 1, bytes.size(), file_);
  if (player_) {
    std::vector<std::int16_t> samples(bytes.size() / 2);
    std::memcpy(samples.data(), bytes.data(), bytes.size());
    player_->play(samples);
  }
}

void audio_output::write_encoded(std::string_view bytes) {
  if (file_) std::fwrite(bytes.data(), 1, bytes.size(), file_);
}

result<std::size_t> audio_output::close() {
  player_.reset(); // lets the device play out what it holds
  if (file_) {
    if (pcm_) {
      auto header = audio::make_wav_header(static_cast<std::uint32_t>(sample_rate_), 1, static_cast<std::uint32_t>(pcm_bytes_));
      std::fseek(file_, 0, SEEK_SET);
      std::fwrite(header.data(), 1, header.size(), file_);
    }
    bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return make_error(error_kind::internal, "could not finish the output file");
  }
  return pcm_bytes_ / 2;
}

} // namespace rtts::app
