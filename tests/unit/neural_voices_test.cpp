// The neural voices' file handling, with the voices tests/voices/make_test_voices.py generates:
// ONNX metadata read and appended, token files checked, upstream Piper voices converted, voice
// folders scanned, and which voices a worker keeps loaded.
#include "engines/neural/onnx_metadata.hpp"
#include "engines/neural/piper_voice.hpp"
#include "engines/neural/voice_catalogue.hpp"
#include "engines/neural/voice_residency.hpp"
#include "test_voices.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace rtts::engines::neural;
namespace fs = std::filesystem;

namespace {

std::string voices() { return rtts::testing::test_voices() + "/voices"; }
std::string broken() { return rtts::testing::test_voices() + "/broken"; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch folder of the test's own, removed at the end.
struct scratch {
  std::string path;
  scratch() {
    char pattern[] = "/tmp/rtts-neural-unit-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~scratch() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& content) const {
    auto p = path + "/" + name;
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
};

const neural_voice* find(const std::vector<neural_voice>& all, const std::string& id) {
  for (const auto& v : all)
    if (v.id == id) return &v;
  return nullptr;
}

} // namespace

TEST(OnnxMetadata, ReadsTheMetadataOfAModel) {
  auto m = read_onnx_metadata(voices() + "/en_US-tones-low/model.onnx");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->at("sample_rate"), "16000");
  EXPECT_EQ(m->at("comment"), "piper");
  EXPECT_EQ(m->at("voice"), "en-us");
  EXPECT_FALSE(read_onnx_metadata(voices() + "/en_US-tones-low/tokens.txt")) << "a text file is not a model";
  EXPECT_FALSE(read_onnx_metadata("/nonexistent.onnx"));
}

TEST(OnnxMetadata, AppendedEntriesAreReadBackAndWin) {
  scratch s;
  auto model = read_file(voices() + "/en_US-duo-medium.onnx");
  ASSERT_TRUE(read_onnx_metadata(voices() + "/en_US-duo-medium.onnx")->empty()) << "upstream Piper models carry none";
  auto path = s.write("m.onnx", model + encode_onnx_metadata({{"sample_rate", "22050"}, {"language", "English"}}) +
                                    encode_onnx_metadata({{"language", "German"}}));
  auto m = read_onnx_metadata(path);
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, (onnx_metadata{{"sample_rate", "22050"}, {"language", "German"}}));
}

TEST(TokensFile, FaultsThatWouldEndTheProcessAreFound) {
  scratch s;
  EXPECT_TRUE(check_tokens_file(voices() + "/en_US-tones-low/tokens.txt", "_^$"));
  auto dup = check_tokens_file(broken() + "/duplicate-tokens/tokens.txt", "_^$");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("'a' twice"), std::string::npos) << dup.error().message;
  auto no_bos = check_tokens_file(s.write("t1", "_ 0\n$ 2\n 3\na 4\n"), "_^$");
  ASSERT_FALSE(no_bos);
  EXPECT_NE(no_bos.error().message.find("'^'"), std::string::npos);
  EXPECT_FALSE(check_tokens_file(s.write("t2", "_ 0\nab 1\n"), ""));
  EXPECT_FALSE(check_tokens_file(s.write("t3", "_ x\n"), ""));
  EXPECT_TRUE(check_tokens_file(s.write("t4", "_ 0\n 1\n\xc9\x99 2\n<BLNK> 3\n"), "_")) << "the space line and a two-byte symbol";
  EXPECT_FALSE(check_tokens_file(s.write("t5", "\xff 1\n"), "")) << "not UTF-8";
}

TEST(PiperJson, UpstreamVoicesConvert) {
  auto c = convert_piper_json(read_file(voices() + "/en_US-duo-medium.onnx.json"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->metadata.at("sample_rate"), "22050");
  EXPECT_EQ(c->metadata.at("n_speakers"), "2");
  EXPECT_EQ(c->metadata.at("voice"), "en-us");
  EXPECT_EQ(c->metadata.at("comment"), "piper");
  EXPECT_EQ(c->speakers, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_NE(c->tokens.find("\xc9\x99 60\n"), std::string::npos) << "ə -> 60";
  EXPECT_NE(c->tokens.find("\n 3\n"), std::string::npos) << "the space as a lone id";
}

TEST(PiperJson, WhatCannotBeConvertedSaysWhy) {
  auto fails = [](const std::string& json, const std::string& why) {
    auto c = convert_piper_json(json);
    ASSERT_FALSE(c) << json;
    EXPECT_NE(c.error().message.find(why), std::string::npos) << c.error().message;
  };
  const std::string map = R"("phoneme_id_map":{"_":[0],"^":[1],"$":[2],"a":[3]})";
  fails("not json", "not JSON");
  fails(R"({"espeak":{"voice":"en-us"},)" + map + "}", "audio.sample_rate");
  fails(R"({"audio":{"sample_rate":22050},)" + map + "}", "espeak.voice");
  fails(R"({"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"}})", "phoneme_id_map");
  fails(R"({"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},"phoneme_type":"text",)" + map + "}", "phoneme_type");
  fails(R"({"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},"phoneme_id_map":{"_":[0],"^":[1],"a":[3]}})", "'$'");
  fails(R"({"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},"phoneme_id_map":{"_":[0],"^":[1],"$":[2],"ab":[3]}})", "one character");
  // Speakers without a complete name map are numbered.
  auto c = convert_piper_json(R"({"audio":{"sample_rate":22050},"espeak":{"voice":"de"},"num_speakers":3,"speaker_id_map":{"x":0},)" + map + "}");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->speakers, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(language_tag(c->metadata), "de");
}

TEST(VoiceFolders, EveryLayoutIsFoundWithItsFamilyAndFaults) {
  auto all = scan_voice_folders({voices(), broken(), "/nonexistent"}, system_espeak_data());
  ASSERT_EQ(all.size(), 9u);
  const auto* tones = find(all, "en_US-tones-low");
  ASSERT_TRUE(tones);
  EXPECT_EQ(tones->kind, family::piper);
  EXPECT_EQ(tones->sample_rate, 16000);
  EXPECT_EQ(tones->language, "en-us");
  EXPECT_TRUE(tones->broken.empty()) << tones->broken;
  EXPECT_EQ(tones->speakers.size(), 1u);
  const auto* duo = find(all, "en_US-duo-medium");
  ASSERT_TRUE(duo);
  EXPECT_EQ(duo->kind, family::piper);
  EXPECT_FALSE(duo->piper_json.empty()) << "converted when first loaded";
  EXPECT_EQ(duo->speakers, (std::vector<std::string>{"alice", "bob"}));
  const auto* kokoro = find(all, "kokoro-tones");
  ASSERT_TRUE(kokoro);
  EXPECT_EQ(kokoro->kind, family::kokoro);
  EXPECT_EQ(kokoro->sample_rate, 24000);
  EXPECT_EQ(kokoro->speakers, (std::vector<std::string>{"af_tone", "am_tone"}));
  EXPECT_TRUE(kokoro->broken.empty()) << kokoro->broken;
  const auto* kitten = find(all, "kitten-tones");
  ASSERT_TRUE(kitten);
  EXPECT_EQ(kitten->kind, family::kitten);
  EXPECT_EQ(kitten->speakers, (std::vector<std::string>{"expr-voice-2-m", "expr-voice-2-f"}));
  EXPECT_TRUE(kitten->broken.empty()) << kitten->broken;
  const auto* matcha = find(all, "matcha-tones");
  ASSERT_TRUE(matcha);
  EXPECT_EQ(matcha->kind, family::matcha);
  EXPECT_TRUE(matcha->model.ends_with("model-steps-3.onnx"));
  EXPECT_TRUE(matcha->vocoder.empty());
  EXPECT_TRUE(matcha->broken.empty()) << matcha->broken;
  EXPECT_NE(find(all, "no-metadata")->broken.find("sample_rate, n_speakers"), std::string::npos);
  EXPECT_NE(find(all, "duplicate-tokens")->broken.find("twice"), std::string::npos);
  EXPECT_TRUE(find(all, "unknown-operator")->broken.empty()) << "its files are right: only loading it shows the fault";
}

TEST(VoiceFolders, AKokoroVoiceWithTheWrongVoicesFileIsBroken) {
  scratch s;
  fs::copy(voices() + "/kokoro-tones", s.path + "/kokoro-short");
  fs::resize_file(s.path + "/kokoro-short/voices.bin", 1000);
  fs::copy(voices() + "/kokoro-tones", s.path + "/kokoro-shape");
  s.write("kokoro-shape/model.onnx", read_file(voices() + "/kokoro-tones/model.onnx") + encode_onnx_metadata({{"style_dim", "512,2,8"}}));
  auto all = scan_voice_folders({s.path}, system_espeak_data());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(find(all, "kokoro-short")->broken.find("voices.bin"), std::string::npos) << find(all, "kokoro-short")->broken;
  EXPECT_NE(find(all, "kokoro-shape")->broken.find("'L,1,D'"), std::string::npos) << find(all, "kokoro-shape")->broken;
}

TEST(VoiceFolders, AKittenVoiceNeedsItsModelTypeAndAWholeVoicesFile) {
  // sherpa-onnx ends the process for either fault: found from the files instead.
  scratch s;
  fs::copy(voices() + "/kitten-tones", s.path + "/kitten-short");
  fs::resize_file(s.path + "/kitten-short/voices.bin", 12);
  auto model = read_file(voices() + "/kitten-tones/model.onnx");
  fs::copy(voices() + "/kitten-tones", s.path + "/kitten-untyped");
  s.write("kitten-untyped/model.onnx", model + encode_onnx_metadata({{"model_type", "kitten"}}));
  auto all = scan_voice_folders({s.path}, system_espeak_data());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(find(all, "kitten-short")->broken.find("voices.bin"), std::string::npos) << find(all, "kitten-short")->broken;
  EXPECT_NE(find(all, "kitten-untyped")->broken.find("kitten-tts"), std::string::npos) << find(all, "kitten-untyped")->broken;
}

TEST(VoiceFolders, AnUpstreamPiperVoiceIsConvertedIntoTheCacheAndTheUsersFilesStayUntouched) {
  scratch s;
  fs::copy_file(voices() + "/en_US-duo-medium.onnx", s.path + "/mine.onnx");
  fs::copy_file(voices() + "/en_US-duo-medium.onnx.json", s.path + "/mine.onnx.json");
  auto before = read_file(s.path + "/mine.onnx");
  auto time = fs::last_write_time(s.path + "/mine.onnx");
  auto all = scan_voice_folders({s.path}, system_espeak_data());
  ASSERT_EQ(all.size(), 1u);
  auto v = all[0];
  ASSERT_TRUE(materialize_piper_voice(v, s.path + "/cache"));
  EXPECT_TRUE(v.model.starts_with(s.path + "/cache/piper/mine-"));
  auto m = read_onnx_metadata(v.model);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("n_speakers"), "2");
  EXPECT_TRUE(check_tokens_file(v.tokens, "_^$"));
  EXPECT_EQ(read_file(s.path + "/mine.onnx"), before);
  EXPECT_EQ(fs::last_write_time(s.path + "/mine.onnx"), time);
  // Converted once: a second voice object finds the same copy.
  auto again = all[0];
  ASSERT_TRUE(materialize_piper_voice(again, s.path + "/cache"));
  EXPECT_EQ(again.model, v.model);
}

TEST(VoiceResidency, LeastRecentlyUsedLeaveFirstAndTheBudgetHolds) {
  voice_residency r(100);
  r.add("a", 40);
  r.add("b", 40);
  EXPECT_TRUE(r.make_room(20).empty());
  EXPECT_EQ(r.make_room(40), std::vector<std::string>{"a"});
  r.touch("a");
  EXPECT_EQ(r.make_room(40), std::vector<std::string>{"b"});
  EXPECT_EQ(r.held(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.make_room(500), (std::vector<std::string>{"b", "a"})) << "a voice larger than the budget loads alone";
  r.remove("b");
  EXPECT_EQ(r.held_bytes(), 40u);
  EXPECT_FALSE(r.holds("b"));
}
