#include "audio_check.hpp"

#include <sndfile.h>

#include <algorithm>

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace rtts::testing {
namespace {

struct memory_file {
  const std::string* bytes;
  sf_count_t at = 0;
};

sf_count_t get_length(void* user) { return static_cast<sf_count_t>(static_cast<memory_file*>(user)->bytes->size()); }
sf_count_t seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<memory_file*>(user);
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->at : static_cast<sf_count_t>(f->bytes->size());
  f->at = std::clamp<sf_count_t>(base + offset, 0, static_cast<sf_count_t>(f->bytes->size()));
  return f->at;
}
sf_count_t read(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<memory_file*>(user);
  sf_count_t n = std::min(count, static_cast<sf_count_t>(f->bytes->size()) - f->at);
  std::memcpy(ptr, f->bytes->data() + f->at, static_cast<std::size_t>(n));
  f->at += n;
  return n;
}
sf_count_t write(const void*, sf_count_t, void*) { return 0; }
sf_count_t tell(void* user) { return static_cast<memory_file*>(user)->at; }

} // namespace

double decoded_audio::rms() const {
  double sum = 0;
  for (auto s : samples) sum += static_cast<double>(s) * s;
  return samples.empty() ? 0 : std::sqrt(sum / samples.size());
}

decoded_audio decode_wav(const std::string& bytes) {
  SF_VIRTUAL_IO io{get_length, seek, read, write, tell};
  memory_file file{&bytes};
  SF_INFO info{};
  SNDFILE* sf = sf_open_virtual(&io, SFM_READ, &info, &file);
  if (!sf) throw std::runtime_error(std::string("libsndfile cannot read the WAV: ") + sf_strerror(nullptr));
  decoded_audio out;
  out.sample_rate = info.samplerate;
  out.channels = info.channels;
  std::int16_t buf[4096];
  for (sf_count_t n; (n = sf_read_short(sf, buf, 4096)) > 0;) out.samples.insert(out.samples.end(), buf, buf + n);
  sf_close(sf);
  return out;
}

std::vector<std::int16_t> samples_of_pcm(const std::string& bytes) {
  std::vector<std::int16_t> s(bytes.size() / 2);
  std::memcpy(s.data(), bytes.data(), s.size() * 2);
  return s;
}

} // namespace rtts::testing
