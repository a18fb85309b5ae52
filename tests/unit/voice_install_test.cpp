// Installing and removing neural voices in a voices folder (`rtts voices import/rm`), with the
// voices tests/voices/make_test_voices.py generates, and the folder state the server watches.
#include "engines/neural/voice_catalogue.hpp"
#include "engines/neural/voice_install.hpp"
#include "test_voices.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace rtts::engines::neural;
namespace fs = std::filesystem;

namespace {

std::string voices() { return rtts::testing::test_voices() + "/voices"; }
std::string broken() { return rtts::testing::test_voices() + "/broken"; }

struct scratch {
  std::string path;
  scratch() {
    char pattern[] = "/tmp/rtts-install-unit-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~scratch() { fs::remove_all(path); }
  // What the folder holds, hidden entries included (nothing may be left behind).
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::vector<std::string> installed_ids(const std::string& folder) {
  std::vector<std::string> ids;
  for (const auto& v : scan_voice_folders({folder}, system_espeak_data())) ids.push_back(std::string(family_name(v.kind)) + ":" + v.id);
  return ids;
}

} // namespace

TEST(VoiceInstall, AnUpstreamPiperVoiceByEitherFileGoesIntoAFolderOfItsOwn) {
  for (const char* given : {"en_US-duo-medium.onnx", "en_US-duo-medium.onnx.json"}) {
    scratch s;
    auto v = import_voice(voices() + "/" + given, s.path);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->id, "en_US-duo-medium");
    EXPECT_EQ(v->kind, family::piper);
    EXPECT_EQ(v->speakers, (std::vector<std::string>{"alice", "bob"}));
    EXPECT_EQ(v->sample_rate, 22050);
    EXPECT_EQ(s.entries(), std::vector<std::string>{"en_US-duo-medium"}) << "one folder, nothing staged left";
    EXPECT_TRUE(fs::exists(s.path + "/en_US-duo-medium/en_US-duo-medium.onnx.json"));
    EXPECT_EQ(installed_ids(s.path), std::vector<std::string>{"piper:en_US-duo-medium"});
  }
}

TEST(VoiceInstall, SherpaPackagesAreCopiedWhole) {
  scratch s;
  auto v = import_voice(voices() + "/kokoro-tones/", s.path); // a trailing slash names the folder too
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->kind, family::kokoro);
  EXPECT_EQ(v->id, "kokoro-tones");
  for (const char* f : {"model.onnx", "tokens.txt", "voices.bin"})
    EXPECT_EQ(fs::file_size(s.path + "/kokoro-tones/" + f), fs::file_size(voices() + "/kokoro-tones/" + f)) << f;
}

TEST(VoiceInstall, RefusalsLeaveNothingBehind) {
  scratch s;
  ASSERT_TRUE(import_voice(voices() + "/en_US-tones-low", s.path));
  auto before = s.entries();
  // The same name again.
  auto again = import_voice(voices() + "/en_US-tones-low", s.path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "voice_exists");
  // A voice the catalogue calls broken (it would end the process that loads it).
  auto bad = import_voice(broken() + "/no-metadata", s.path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "voice_broken");
  EXPECT_NE(bad.error().message.find("no-metadata"), std::string::npos) << bad.error().message;
  // Not a voice at all, and a Piper model without its JSON.
  scratch other;
  std::ofstream(other.path + "/notes.txt") << "hello";
  fs::copy_file(voices() + "/en_US-duo-medium.onnx", other.path + "/lonely.onnx");
  for (const std::string& path : {other.path + "/notes.txt", other.path + "/lonely.onnx", other.path, other.path + "/missing"}) {
    auto r = import_voice(path, s.path);
    EXPECT_FALSE(r) << path;
  }
  EXPECT_EQ(s.entries(), before) << "no staging folder, no half voice";
}

TEST(VoiceInstall, RemoveTakesAVoiceBySpeakerOrEngineAndSaysWhatIsThere) {
  scratch s;
  ASSERT_TRUE(import_voice(voices() + "/en_US-duo-medium.onnx", s.path));
  ASSERT_TRUE(import_voice(voices() + "/en_US-tones-low", s.path));
  auto unknown = remove_voice("nope", {s.path});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "unknown_voice");
  EXPECT_NE(unknown.error().message.find("piper:en_US-tones-low"), std::string::npos) << "names what is installed";
  EXPECT_FALSE(remove_voice("kokoro:en_US-tones-low", {s.path})) << "another engine's id";
  auto removed = remove_voice("en_US-duo-medium/bob", {s.path}); // a speaker names its model
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->id, "en_US-duo-medium");
  ASSERT_TRUE(remove_voice("piper:en_US-tones-low", {s.path}));
  EXPECT_TRUE(s.entries().empty());
  // An upstream Piper voice lying loose in the folder: both files go.
  fs::copy_file(voices() + "/en_US-duo-medium.onnx", s.path + "/loose.onnx");
  fs::copy_file(voices() + "/en_US-duo-medium.onnx.json", s.path + "/loose.onnx.json");
  ASSERT_TRUE(remove_voice("loose", {s.path}));
  EXPECT_TRUE(s.entries().empty());
}

TEST(VoiceInstall, TheFolderStateChangesWithEveryVoiceAndNotWithStaging) {
  scratch s;
  auto empty = voice_folders_state({s.path, s.path + "/not-there-yet"});
  ASSERT_TRUE(import_voice(voices() + "/en_US-tones-low", s.path));
  auto one = voice_folders_state({s.path, s.path + "/not-there-yet"});
  EXPECT_NE(one, empty);
  // A hidden folder is where installs are assembled: not a change.
  fs::create_directories(s.path + "/.import-x-1/x");
  std::ofstream(s.path + "/.import-x-1/x/model.onnx") << "partial";
  EXPECT_EQ(voice_folders_state({s.path}), one);
  // A file replaced in place is a change (size).
  std::ofstream(s.path + "/en_US-tones-low/tokens.txt", std::ios::app) << "\n";
  EXPECT_NE(voice_folders_state({s.path}), one);
}
