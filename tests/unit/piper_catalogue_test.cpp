// Piper's voice catalogue (voices.json, as rhasspy/piper-voices publishes it): what rtts takes
// from it, and what it refuses to offer because it could not verify or place it safely.
#include "engines/neural/piper_catalogue.hpp"

#include <gtest/gtest.h>

using namespace rtts::engines::neural;

namespace {

// The shape of an entry of piper-voices' voices.json (en_US-amy-medium); the sizes and digests here are made up.
const char* amy = R"({"en_US-amy-medium": {"key": "en_US-amy-medium", "name": "amy",
  "language": {"code": "en_US", "family": "en", "region": "US"}, "quality": "medium", "num_speakers": 1,
  "speaker_id_map": {}, "files": {
    "en/en_US/amy/medium/en_US-amy-medium.onnx": {"size_bytes": 63201294, "md5_digest": "778d28aeb95fcdf8a882344d9df142fc"},
    "en/en_US/amy/medium/en_US-amy-medium.onnx.json": {"size_bytes": 4882, "md5_digest": "7F0D2E4C0E6F1C6C0A6B5F4D3C2B1A09"},
    "en/en_US/amy/medium/MODEL_CARD": {"size_bytes": 281, "md5_digest": "9d1e6a1b1f6d1b0e3c6d1c9a7a4d1b2c"}},
  "aliases": []}})";

std::string with_model_path(const std::string& path) {
  return R"({"x_Y-v-low": {"files": {")" + path + R"(": {"size_bytes": 10, "md5_digest": "00112233445566778899aabbccddeeff"},
    "x_Y-v-low.onnx.json": {"size_bytes": 5, "md5_digest": "00112233445566778899aabbccddeeff"}}}})";
}

} // namespace

TEST(PiperCatalogue, TakesTheModelAndConfigWithSizesAndDigests) {
  auto voices = parse_piper_catalogue(amy);
  ASSERT_TRUE(voices);
  ASSERT_EQ(voices->size(), 1u);
  const auto& v = voices->front();
  EXPECT_EQ(v.id, "en_US-amy-medium");
  EXPECT_EQ(v.language, "en-us");
  EXPECT_EQ(v.quality, "medium");
  EXPECT_EQ(v.speakers, 1);
  ASSERT_EQ(v.files.size(), 2u) << "the model card is not needed";
  EXPECT_EQ(v.files[0].name, "en_US-amy-medium.onnx");
  EXPECT_EQ(v.files[0].path, "en/en_US/amy/medium/en_US-amy-medium.onnx");
  EXPECT_EQ(v.files[0].size, 63201294u);
  EXPECT_EQ(v.files[1].name, "en_US-amy-medium.onnx.json");
  EXPECT_EQ(v.files[1].md5, "7f0d2e4c0e6f1c6c0a6b5f4d3c2b1a09") << "digests compare in lower case";
  EXPECT_EQ(v.bytes(), 63201294u + 4882u);
}

TEST(PiperCatalogue, WhatCannotBeVerifiedOrPlacedSafelyIsLeftOut) {
  EXPECT_EQ(parse_piper_catalogue(with_model_path("x_Y-v-low.onnx"))->size(), 1u) << "a plain relative path is fine";
  for (const char* path : {"../x_Y-v-low.onnx", "/etc/x_Y-v-low.onnx", "a/../x_Y-v-low.onnx", "a//x_Y-v-low.onnx", "a\\\\x_Y-v-low.onnx",
                           "other-name.onnx"})
    EXPECT_TRUE(parse_piper_catalogue(with_model_path(path))->empty()) << path;
  // No digest, a malformed digest, no size.
  EXPECT_TRUE(parse_piper_catalogue(R"({"v": {"files": {"v.onnx": {"size_bytes": 3}, "v.onnx.json": {"size_bytes": 3, "md5_digest": "00112233445566778899aabbccddeeff"}}}})")->empty());
  EXPECT_TRUE(parse_piper_catalogue(R"({"v": {"files": {"v.onnx": {"size_bytes": 3, "md5_digest": "xyz"}, "v.onnx.json": {"size_bytes": 3, "md5_digest": "00112233445566778899aabbccddeeff"}}}})")->empty());
  EXPECT_TRUE(parse_piper_catalogue(R"({"v": {"files": {"v.onnx": {"md5_digest": "00112233445566778899aabbccddeeff"}, "v.onnx.json": {"size_bytes": 3, "md5_digest": "00112233445566778899aabbccddeeff"}}}})")->empty());
  // A voice id that would name a path.
  EXPECT_TRUE(parse_piper_catalogue(R"({"../v": {"files": {}}, ".v": {"files": {}}})")->empty());
  // Not a catalogue at all.
  EXPECT_FALSE(parse_piper_catalogue("[1, 2]"));
  EXPECT_FALSE(parse_piper_catalogue("{nope"));
}

TEST(PiperCatalogue, CatalogueIdsAreNeverOptionsPathsOrHiddenNames) {
  for (const char* ok : {"en_US-amy-medium", "kokoro-en-v0_19", "kitten-nano-en-v0_1-fp16", "9lives"}) EXPECT_TRUE(is_catalogue_id(ok)) << ok;
  for (const char* bad : {"", "-x", "--catalog-url=/etc/passwd", ".hidden", "..", "a/b", "a b", "_x", "x\n"}) EXPECT_FALSE(is_catalogue_id(bad)) << bad;
  EXPECT_FALSE(is_catalogue_id(std::string(201, 'a')));
}
