#include "audio/wav.hpp"

#include <gtest/gtest.h>

using namespace rtts::audio;

namespace {
std::string bytes(const std::array<std::uint8_t, wav_header_bytes>& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }
}

TEST(Wav, StreamingHeaderHasUnknownSizes) {
  auto h = bytes(make_wav_header(22050));
  EXPECT_EQ(h.substr(0, 4), "RIFF");
  EXPECT_EQ(h.substr(4, 4), std::string(4, '\xFF'));
  EXPECT_EQ(h.substr(40, 4), std::string(4, '\xFF'));
  auto info = parse_wav_header(h);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->sample_rate, 22050u);
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->bits_per_sample, 16);
  EXPECT_EQ(info->data_offset, 44u);
  EXPECT_EQ(info->data_size, streaming_size);
}

TEST(Wav, FinalHeaderHasExactSizes) {
  auto h = bytes(make_wav_header(16000, 1, 32000));
  auto info = parse_wav_header(h);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->data_size, 32000u);
  EXPECT_EQ(static_cast<unsigned char>(h[4]) | static_cast<unsigned char>(h[5]) << 8 | static_cast<unsigned char>(h[6]) << 16, 36 + 32000);
  EXPECT_EQ(static_cast<unsigned char>(h[28]) | static_cast<unsigned char>(h[29]) << 8, 32000); // byte rate 16000*2
}

TEST(Wav, ParserSkipsUnknownChunks) {
  auto h = bytes(make_wav_header(8000, 1, 4));
  std::string with_list = h.substr(0, 36) + std::string("LIST\x04\0\0\0abcd", 12) + h.substr(36);
  auto info = parse_wav_header(with_list);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->data_offset, 56u);
  EXPECT_EQ(info->sample_rate, 8000u);
}

TEST(Wav, ParserRejectsOtherData) {
  EXPECT_FALSE(parse_wav_header(""));
  EXPECT_FALSE(parse_wav_header("RIFF\0\0\0\0WAVE"));
  EXPECT_FALSE(parse_wav_header("ID3 this is an mp3 file...."));
}

TEST(Wav, ChunkSizeNearFourGigabytesEnds) {
  // An odd chunk size of 0xFFFFFFF7 used to wrap the 32-bit offset step to 0 and loop forever
  // (found by fuzz_writers).
  std::string b = "RIFF\xff\xff\xff\xffWAVE";
  b += "junk";
  b += std::string("\xf7\xff\xff\xff", 4);
  b += std::string(16, '\0');
  EXPECT_FALSE(rtts::audio::parse_wav_header(b));
}
