// Blended Kokoro voices on the real server: a mix of two speakers of the generated Kokoro voice
// (whose style vector sets its tone's pitch) differs from both and is exactly what a voice whose
// style vectors are the mix, computed here independently, says. Both blend syntaxes agree;
// voices that have no style vectors answer 400 saying why.
#include "server_fixture.hpp"
#include "test_voices.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A voices folder: the Kokoro and a Piper test voice, and "kokoro-mix": the Kokoro voice with
// every speaker's style vector replaced by `a` * speaker 0 + `b` * speaker 1.
struct blend_folder {
  fs::path path;
  blend_folder(float a, float b) {
    char pattern[] = "/tmp/rtts-blend-voices-XXXXXX";
    path = ::mkdtemp(pattern);
    fs::path source = fs::path(test_voices()) / "voices";
    fs::copy(source / "kokoro-tones", path / "kokoro-tones", fs::copy_options::recursive);
    fs::copy(source / "en_US-tones-low", path / "en_US-tones-low", fs::copy_options::recursive);
    fs::copy(source / "kokoro-tones", path / "kokoro-mix", fs::copy_options::recursive);
    std::string bytes = read_all(path / "kokoro-mix" / "voices.bin");
    std::vector<float> styles(bytes.size() / sizeof(float));
    std::memcpy(styles.data(), bytes.data(), bytes.size());
    std::size_t block = styles.size() / 2;
    for (std::size_t i = 0; i < block; ++i) styles[i] = styles[block + i] = a * styles[i] + b * styles[block + i];
    std::ofstream(path / "kokoro-mix" / "voices.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(styles.data()), static_cast<std::streamsize>(bytes.size()));
  }
  ~blend_folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string error_code(const rtts::client::http_response& r) {
  return r.header("content-type") == "application/json" ? std::string(json::parse(r.body).at("error").at("code").as_string()) : "";
}

} // namespace

TEST(VoiceBlend, ABlendIsTheWeightedMixOfStyleVectors) {
  blend_folder folder(0.5f, 0.5f);
  rtts_server server({"--engines", "espeak,kokoro,piper", "--workers", "1", "--voices-dir", folder.path.string(), "--cache-dir",
                      (folder.path / ".cache").string()});
  auto say = [&](const std::string& voice) {
    auto r = server.get(tts_target("Blended voices.", "engine=kokoro&format=pcm&voice=" + rtts::client::url_encode(voice)));
    EXPECT_EQ(r.status, 200u) << voice << ": " << r.body;
    return r.body;
  };
  auto mixed = say("kokoro-tones/af_tone(1)+am_tone(1)");
  ASSERT_GT(mixed.size(), 24000u) << "over half a second at 24 kHz";
  EXPECT_NE(mixed, say("kokoro-tones/af_tone")) << "not the first parent";
  EXPECT_NE(mixed, say("kokoro-tones/am_tone")) << "not the second parent";
  EXPECT_EQ(mixed, say("kokoro-mix/af_tone")) << "the mix computed independently";
  EXPECT_EQ(mixed, say("0.5*kokoro-tones/af_tone+0.5*kokoro-tones/am_tone")) << "RealtimeTTS's syntax, the same blend";
  EXPECT_NE(mixed, say("kokoro-tones/af_tone(3)+am_tone(1)")) << "weights matter";
  // Not listed as voices of their own.
  EXPECT_EQ(server.get("/voices?engine=kokoro").body.find('+'), std::string::npos);

  auto piper = server.get(tts_target("Hello.", "engine=piper&voice=" + rtts::client::url_encode("en_US-tones-low(1)+en_US-tones-low(1)")));
  EXPECT_EQ(piper.status, 400u);
  EXPECT_EQ(error_code(piper), "invalid_blend");
  EXPECT_NE(piper.body.find("style vectors"), std::string::npos) << piper.body;
  auto unknown = server.get(tts_target("Hello.", "engine=kokoro&voice=" + rtts::client::url_encode("kokoro-tones/af_tone+nobody")));
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_NE(unknown.body.find("kokoro-tones/nobody"), std::string::npos) << unknown.body;
  auto malformed = server.get(tts_target("Hello.", "engine=kokoro&voice=" + rtts::client::url_encode("kokoro-tones/af_tone(0)+am_tone")));
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_EQ(error_code(malformed), "invalid_blend");
  // The OpenAI route takes blends too.
  auto openai = server.post("/v1/audio/speech", json::serialize(json::object{{"input", "Blended voices."}, {"model", "kokoro"},
                                                                              {"voice", "kokoro-tones/af_tone(1)+am_tone(1)"},
                                                                              {"response_format", "pcm"}, {"sample_rate", 24000}}));
  EXPECT_EQ(openai.status, 200u) << openai.body;
  EXPECT_EQ(openai.body, mixed);
}
