// Voices that come as archives (sherpa-onnx ships its packages as .tar.bz2): made here with the
// system's tar and Python's tarfile (independent of libarchive, which rtts reads them with),
// imported like folders; archives whose entries would leave the voices folder, links, damaged or
// oversized archives are refused whole, with nothing written.
#include "engines/neural/voice_archive.hpp"
#include "engines/neural/voice_catalogue.hpp"
#include "engines/neural/voice_install.hpp"
#include "test_voices.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace rtts::engines::neural;
namespace fs = std::filesystem;

namespace {

std::string voices() { return rtts::testing::test_voices() + "/voices"; }

struct scratch {
  fs::path path;
  scratch() {
    char pattern[] = "/tmp/rtts-archive-unit-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~scratch() { fs::remove_all(path); }
  std::vector<std::string> entries(const fs::path& in) const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(in)) out.push_back(fs::relative(e.path(), in).string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

void run(const std::string& command) { ASSERT_EQ(std::system(command.c_str()), 0) << command; }

// A tar.bz2 with one entry `name` (as written, ".." and all) of `type` ("file" or "symlink").
void crafted(const fs::path& archive, const std::string& name, const std::string& type = "file") {
  run("python3 -c \"import io, sys, tarfile\n"
      "t = tarfile.open(sys.argv[1], 'w:bz2')\n"
      "ok = tarfile.TarInfo('pkg/tokens.txt'); ok.size = 2; t.addfile(ok, io.BytesIO(b'a '))\n"
      "e = tarfile.TarInfo(sys.argv[2])\n"
      "if sys.argv[3] == 'symlink':\n  e.type = tarfile.SYMTYPE; e.linkname = '/etc'\n"
      "else:\n  e.size = 4\n"
      "t.addfile(e, io.BytesIO(b'evil'))\n"
      "t.close()\" '" + archive.string() + "' '" + name + "' " + type);
}

} // namespace

TEST(VoiceArchive, ASherpaStylePackageImportsLikeItsFolder) {
  scratch s;
  fs::path archive = s.path / "kokoro-tones.tar.bz2";
  run("tar -cjf '" + archive.string() + "' -C '" + voices() + "' kokoro-tones");
  fs::path installed = s.path / "voices";
  auto v = import_voice(archive.string(), installed.string());
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->kind, family::kokoro);
  EXPECT_EQ(v->id, "kokoro-tones");
  EXPECT_EQ(v->speakers.size(), 2u);
  for (const char* f : {"model.onnx", "tokens.txt", "voices.bin"})
    EXPECT_EQ(fs::file_size(installed / "kokoro-tones" / f), fs::file_size(fs::path(voices()) / "kokoro-tones" / f)) << f;
  EXPECT_EQ(s.entries(installed).front(), "kokoro-tones") << "nothing staged left";
  // The same again: taken, refused.
  auto again = import_voice(archive.string(), installed.string());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "voice_exists");
}

TEST(VoiceArchive, LooseFilesTakeTheArchivesName) {
  scratch s;
  fs::path archive = s.path / "en_US-loose-low.tar.gz";
  run("tar -czf '" + archive.string() + "' -C '" + voices() + "/en_US-tones-low' .");
  auto v = import_voice(archive.string(), (s.path / "voices").string());
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->id, "en_US-loose-low");
  EXPECT_EQ(v->kind, family::piper);
}

TEST(VoiceArchive, EntriesLeavingTheFolderLinksAndDamageAreRefusedWhole) {
  scratch s;
  fs::path voices_dir = s.path / "voices";
  fs::create_directories(voices_dir);
  struct bad {
    std::string name, type, code;
  };
  for (const auto& b : {bad{"pkg/../../evil.txt", "file", "unsafe_archive"}, bad{"/tmp/rtts-archive-evil.txt", "file", "unsafe_archive"},
                        bad{"pkg/espeak-ng-data", "symlink", "unsafe_archive"}}) {
    fs::path archive = s.path / "pkg.tar.bz2";
    crafted(archive, b.name, b.type);
    auto r = import_voice(archive.string(), voices_dir.string());
    ASSERT_FALSE(r) << b.name;
    EXPECT_EQ(r.error().code, b.code) << r.error().message;
    EXPECT_NE(r.error().message.find(b.name), std::string::npos) << r.error().message;
    EXPECT_TRUE(s.entries(voices_dir).empty()) << b.name << ": nothing unpacked";
    EXPECT_FALSE(fs::exists(s.path / "evil.txt"));
    EXPECT_FALSE(fs::exists("/tmp/rtts-archive-evil.txt"));
    fs::remove(archive);
  }
  // Cut short: damaged.
  fs::path whole = s.path / "kokoro-tones.tar.bz2";
  run("tar -cjf '" + whole.string() + "' -C '" + voices() + "' kokoro-tones");
  fs::resize_file(whole, fs::file_size(whole) / 2);
  auto cut = import_voice(whole.string(), voices_dir.string());
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "not_a_voice") << cut.error().message;
  EXPECT_TRUE(s.entries(voices_dir).empty());
  // Named like an archive, but not one.
  std::ofstream(s.path / "notes.tar.gz") << "hello";
  EXPECT_FALSE(import_voice((s.path / "notes.tar.gz").string(), voices_dir.string()));
  EXPECT_TRUE(s.entries(voices_dir).empty());
}

TEST(VoiceArchive, MoreThanTheLimitIsNotUnpacked) {
  scratch s;
  fs::path archive = s.path / "kokoro-tones.tar.bz2";
  run("tar -cjf '" + archive.string() + "' -C '" + voices() + "' kokoro-tones");
  fs::path into = s.path / "into";
  fs::create_directories(into);
  auto r = unpack_voice_archive(archive.string(), into, 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "archive_too_large");
  EXPECT_TRUE(s.entries(into).empty());
  ASSERT_TRUE(unpack_voice_archive(archive.string(), into));
  EXPECT_TRUE(fs::exists(into / "kokoro-tones" / "voices.bin"));
}

TEST(VoiceArchive, OnlyArchiveNamesHaveAStem) {
  EXPECT_EQ(voice_archive_stem("kokoro-en-v0_19.tar.bz2"), "kokoro-en-v0_19");
  EXPECT_EQ(voice_archive_stem("x.zip"), "x");
  EXPECT_EQ(voice_archive_stem("model.onnx"), "");
  EXPECT_EQ(voice_archive_stem(".tar.gz"), "");
}
