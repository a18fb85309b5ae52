#include "audio_check.hpp"

#include <sndfile.h>

#include <algorithm>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>
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

namespace rtts::testing {
namespace {

struct temp_file {
  std::string path;
  explicit temp_file(const std::string& contents = {}) {
    char name[] = "/tmp/rtts-test-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp");
    path = name;
    if (!contents.empty() && ::write(fd, contents.data(), contents.size()) != static_cast<ssize_t>(contents.size()))
      throw std::runtime_error("write temp file");
    ::close(fd);
  }
  ~temp_file() { ::unlink(path.c_str()); }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
};

} // namespace

ffmpeg_result ffmpeg_decode(const std::string& bytes, const std::vector<std::string>& input_flags, int out_rate) {
  temp_file in(bytes), out, errors;
  std::string command = "ffmpeg -nostdin -hide_banner -v error -y";
  for (const auto& f : input_flags) command += " " + f;
  command += " -i " + in.path + " -f s16le -ac 1 -ar " + std::to_string(out_rate) + " " + out.path + " 2>" + errors.path;
  ffmpeg_result r;
  r.ok = std::system(command.c_str()) == 0;
  r.errors = errors.read();
  r.audio.sample_rate = out_rate;
  r.audio.channels = 1;
  r.audio.samples = samples_of_pcm(out.read());
  return r;
}

int ffprobe_sample_rate(const std::string& bytes) {
  temp_file in(bytes), out;
  std::string command = "ffprobe -v error -show_entries stream=sample_rate -of csv=p=0 " + in.path + " > " + out.path + " 2>/dev/null";
  if (std::system(command.c_str()) != 0) return 0;
  auto text = out.read();
  return text.empty() ? 0 : std::atoi(text.c_str());
}

} // namespace rtts::testing
