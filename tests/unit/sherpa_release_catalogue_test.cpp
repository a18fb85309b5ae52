// sherpa-onnx's release of voice packages as a catalogue: only .tar.bz2 packages GitHub reports a
// SHA-256 digest for, fetched over HTTPS, of an engine rtts runs from the package alone.
#include "engines/neural/sherpa_release_catalogue.hpp"

#include <gtest/gtest.h>

using namespace rtts::engines::neural;

namespace {

std::string asset(const std::string& name, const std::string& digest = "sha256:" + std::string(64, 'a'), const std::string& scheme = "https",
                  long long size = 1000) {
  return R"({"name":")" + name + R"(","size":)" + std::to_string(size) + R"(,"digest":)" + (digest.empty() ? "null" : "\"" + digest + "\"") +
         R"(,"browser_download_url":")" + scheme + "://github.com/k2-fsa/sherpa-onnx/releases/download/tts-models/" + name + R"("})";
}

} // namespace

TEST(SherpaReleaseCatalogue, VerifiablePackagesWithTheirEngineLanguageAndQuality) {
  std::string release = R"({"tag_name":"tts-models","assets":[)" + asset("vits-piper-en_US-amy-low.tar.bz2") + "," + asset("kokoro-en-v0_19.tar.bz2") + "," +
                        asset("kokoro-multi-lang-v1_0.tar.bz2") + "," + asset("kitten-nano-en-v0_1-fp16.tar.bz2") + "]}";
  ASSERT_TRUE(is_release_document(release));
  auto parsed = parse_sherpa_release(release);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 4u);
  const auto& kitten = (*parsed)[0];
  EXPECT_EQ(kitten.id, "kitten-nano-en-v0_1-fp16");
  EXPECT_EQ(kitten.engine, "kitten");
  EXPECT_EQ(kitten.language, "en");
  const auto& kokoro = (*parsed)[1];
  EXPECT_EQ(kokoro.id, "kokoro-en-v0_19");
  EXPECT_EQ(kokoro.engine, "kokoro");
  ASSERT_EQ(kokoro.files.size(), 1u);
  EXPECT_EQ(kokoro.files[0].name, "kokoro-en-v0_19.tar.bz2");
  EXPECT_EQ(kokoro.files[0].sha256, std::string(64, 'a'));
  EXPECT_EQ(kokoro.files[0].size, 1000u);
  EXPECT_TRUE(kokoro.files[0].url.starts_with("https://github.com/"));
  EXPECT_EQ((*parsed)[2].language, "mul");
  const auto& piper = (*parsed)[3];
  EXPECT_EQ(piper.engine, "piper");
  EXPECT_EQ(piper.language, "en-us");
  EXPECT_EQ(piper.quality, "low");
  // The assets endpoint's answer: a bare array.
  auto listed = parse_sherpa_release("[" + asset("kokoro-en-v0_19.tar.bz2") + "]");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 1u);
}

TEST(SherpaReleaseCatalogue, WhatCannotBeVerifiedOrRunIsNotOffered) {
  std::string release = R"({"assets":[)" + asset("kokoro-a.tar.bz2", "") + "," +          // no digest (uploaded before GitHub made them)
                        asset("kokoro-b.tar.bz2", "sha1:" + std::string(40, 'a')) + "," + // not SHA-256
                        asset("kokoro-c.tar.bz2", "sha256:xyz") + "," +                   // not a digest
                        asset("kokoro-d.tar.bz2", "sha256:" + std::string(64, 'a'), "http") + "," +
                        asset("kokoro-e.tar.bz2", "sha256:" + std::string(64, 'a'), "https", 0) + "," +
                        asset("matcha-icefall-en_US-ljspeech.tar.bz2") + "," + // needs a vocoder from elsewhere
                        asset("vits-ljs.tar.bz2") + "," +                      // an engine rtts does not run
                        asset("kokoro-f.zip") + "," + asset(".kokoro-g.tar.bz2") + "]}";
  auto parsed = parse_sherpa_release(release);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty()) << parsed->front().id;
  EXPECT_FALSE(is_release_document(R"({"en_US-amy-low":{"files":{}}})")) << "Piper's voices.json";
  EXPECT_FALSE(parse_sherpa_release(R"({"en_US-amy-low":{}})"));
  EXPECT_FALSE(parse_sherpa_release("not json"));
}
