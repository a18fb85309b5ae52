// Each encoder produces a stream of its format, piece by piece. (Decoding with an independent
// decoder happens in the black-box tests, with ffmpeg.)
#include "audio/encoder.hpp"
#include "audio/format.hpp"
#include "audio/g711.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace rtts;
using namespace rtts::audio;

namespace {

std::vector<std::int16_t> tone(int rate, double seconds) {
  std::vector<std::int16_t> s(static_cast<std::size_t>(rate * seconds));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 220 * i / rate));
  return s;
}

// Encodes one second in 50 ms pieces, as the engine delivers it.
std::string encode_all(audio_format f, int rate, std::size_t* bytes_before_finish = nullptr) {
  auto e = make_encoder(f, rate);
  EXPECT_TRUE(e) << format_name(f);
  std::string out = (*e)->header();
  auto pcm = tone(rate, 1.0);
  std::size_t step = static_cast<std::size_t>(rate / 20);
  for (std::size_t at = 0; at < pcm.size(); at += step) (*e)->encode(std::span(pcm).subspan(at, std::min(step, pcm.size() - at)), out);
  if (bytes_before_finish) *bytes_before_finish = out.size();
  (*e)->finish(out);
  return out;
}

} // namespace

TEST(Encoders, Mp3FramesStreamOut) {
  std::size_t early = 0;
  auto mp3 = encode_all(audio_format::mp3, 24000, &early);
  ASSERT_GT(mp3.size(), 2000u);
  EXPECT_EQ(static_cast<unsigned char>(mp3[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(mp3[1]) & 0xE0, 0xE0) << "MPEG frame sync";
  EXPECT_GT(early, mp3.size() / 2) << "frames leave while audio arrives, not at the end";
}

TEST(Encoders, OpusIsOggWithHeadersFirst) {
  auto e = make_encoder(audio_format::opus, 24000).value();
  auto header = e->header();
  ASSERT_GE(header.size(), 47u);
  EXPECT_EQ(header.substr(0, 4), "OggS");
  EXPECT_NE(header.find("OpusHead"), std::string::npos);
  EXPECT_NE(header.find("OpusTags"), std::string::npos);
  std::size_t early = 0;
  auto all = encode_all(audio_format::opus, 24000, &early);
  EXPECT_GT(early, all.size() / 2) << "pages leave within ~100 ms, not at the end";
}

TEST(Encoders, FlacStartsWithStreamInfo) {
  auto e = make_encoder(audio_format::flac, 16000).value();
  auto header = e->header();
  EXPECT_EQ(header.substr(0, 4), "fLaC");
  std::size_t early = 0;
  auto all = encode_all(audio_format::flac, 16000, &early);
  EXPECT_GT(early, all.size() / 2);
}

TEST(Encoders, AacIsAdts) {
  std::size_t early = 0;
  auto aac = encode_all(audio_format::aac, 24000, &early);
  ASSERT_GT(aac.size(), 1000u);
  EXPECT_EQ(static_cast<unsigned char>(aac[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(aac[1]), 0xF1) << "ADTS sync, MPEG-4, no CRC";
  // Walk the frames: each ADTS header states its length, and the next sync follows exactly.
  std::size_t at = 0, frames = 0;
  while (at + 7 <= aac.size()) {
    ASSERT_EQ(static_cast<unsigned char>(aac[at]), 0xFF) << "frame " << frames;
    std::size_t len = (static_cast<unsigned char>(aac[at + 3]) & 3) << 11 | static_cast<unsigned char>(aac[at + 4]) << 3 |
                      static_cast<unsigned char>(aac[at + 5]) >> 5;
    at += len;
    ++frames;
  }
  EXPECT_EQ(at, aac.size());
  EXPECT_GE(frames, 23u); // 24000 / 1024 frames in a second
  EXPECT_GT(early, aac.size() / 2);
}

TEST(Encoders, G711IsOneBytePerSample) {
  EXPECT_EQ(encode_all(audio_format::ulaw, 8000).size(), 8000u);
  EXPECT_EQ(encode_all(audio_format::alaw, 8000).size(), 8000u);
}

TEST(G711, KnownCodes) {
  EXPECT_EQ(mu_law(0), 0xFF);
  EXPECT_EQ(mu_law(-1), 0x7F);
  EXPECT_EQ(mu_law(32767), 0x80);
  EXPECT_EQ(mu_law(-32768), 0x00);
  EXPECT_EQ(a_law(0), 0xD5);
  EXPECT_EQ(a_law(-8), 0x55);
  EXPECT_EQ(a_law(32767), 0xAA);
  EXPECT_EQ(a_law(-32768), 0x2A);
}

TEST(G711, MonotonicInMagnitude) {
  // Larger positive inputs never map to a smaller quantisation step.
  int last = -1;
  for (int x = 0; x < 32768; x += 7) {
    int code = 0x7F - (mu_law(static_cast<std::int16_t>(x)) & 0x7F);
    EXPECT_GE(code, last);
    last = code;
  }
}

TEST(Formats, NamesAndRates) {
  EXPECT_EQ(parse_format("mp3"), audio_format::mp3);
  EXPECT_FALSE(parse_format("MP3"));
  EXPECT_FALSE(parse_format("ogg"));
  EXPECT_EQ(content_type(audio_format::pcm, 24000), "audio/L16;rate=24000;channels=1");
  EXPECT_EQ(output_rate(audio_format::mp3, 0, 24000).value(), 24000);
  EXPECT_FALSE(output_rate(audio_format::mp3, 23000, 24000));
  EXPECT_FALSE(output_rate(audio_format::aac, 9000, 24000));
  EXPECT_EQ(output_rate(audio_format::opus, 9000, 24000).value(), 9000);
  EXPECT_EQ(output_rate(audio_format::ulaw, 0, 24000).value(), 8000);
  EXPECT_FALSE(output_rate(audio_format::alaw, 16000, 24000));
}
