// Voices installed or removed while the server runs: copied into the voices folder they are
// listed (HTTP and Wyoming) and speak without a restart, a new family's engine starts, a removed
// voice is gone for new requests, and a stream already speaking with it finishes. Real server,
// the generated test voices; waits are bounded polls, never timing assertions.
#include "audio_check.hpp"
#include "run_rtts.hpp"
#include "server_fixture.hpp"
#include "test_voices.hpp"
#include "wyoming_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string tones = "en_US-tones-low";

// A voices folder of the test's own, removed at the end.
struct voices_folder {
  fs::path path;
  voices_folder() {
    char pattern[] = "/tmp/rtts-reload-voices-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~voices_folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  // As an installer does it: assembled under a hidden name, then renamed into place at once.
  void install(const std::string& name) const {
    fs::path from = fs::path(test_voices()) / "voices" / name;
    fs::path staging = path / ("." + name + ".partial");
    fs::copy(from, staging, fs::copy_options::recursive);
    fs::rename(staging, path / name);
  }
  void install_upstream_piper(const std::string& stem) const {
    for (const char* ext : {".onnx.json", ".onnx"}) { // the model last: it is what makes a voice
      fs::copy_file(fs::path(test_voices()) / "voices" / (stem + ext), path / ("." + stem + ext));
      fs::rename(path / ("." + stem + ext), path / (stem + ext));
    }
  }
};

std::vector<std::string> server_args(const voices_folder& folder, std::vector<std::string> more = {}) {
  std::vector<std::string> args{"--engine", "espeak", "--voices-dir", folder.path.string(), "--voices-poll-ms", "200",
                                "--cache-dir", (folder.path / ".cache").string()};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 300; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

bool lists(const rtts_server& server, const std::string& engine, const std::string& voice) {
  auto r = server.get("/voices?engine=" + engine);
  if (r.status != 200) return false;
  auto voices = json::parse(r.body).as_array();
  return std::find(voices.begin(), voices.end(), json::value(voice)) != voices.end();
}

void expect_speech(const rtts_server& server, const std::string& engine, const std::string& voice) {
  auto r = server.get(tts_target("A voice installed while the server ran.", "engine=" + engine + "&voice=" + voice));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto audio = decode_wav(r.body);
  EXPECT_GT(audio.seconds(), 0.5);
  EXPECT_GT(audio.rms(), 100.0) << "not silence";
}

} // namespace

TEST(VoiceReload, VoicesCopiedInSpeakAndVoicesRemovedAreGone) {
  voices_folder folder;
  folder.install(tones);
  auto wyoming_port = free_port();
  // No --engines: every family with voices may start, also one whose first voice comes later.
  rtts_server server(server_args(folder, {"--workers", "1", "--wyoming", "127.0.0.1:" + std::to_string(wyoming_port)}));
  ASSERT_TRUE(lists(server, "piper", tones));
  EXPECT_FALSE(lists(server, "piper", "en_US-duo-medium/alice"));

  // An upstream Piper voice (two speakers) joins the running piper engine.
  folder.install_upstream_piper("en_US-duo-medium");
  ASSERT_TRUE(eventually([&] { return lists(server, "piper", "en_US-duo-medium/alice"); }));
  EXPECT_TRUE(lists(server, "piper", "en_US-duo-medium/bob"));
  expect_speech(server, "piper", "en_US-duo-medium/alice");
  // Home Assistant sees it too (Wyoming describe), without a restart.
  {
    wyoming_client c(wyoming_port);
    c.send("describe");
    auto info = c.read();
    ASSERT_TRUE(info);
    EXPECT_NE(json::serialize(info->data).find("en_US-duo-medium/alice"), std::string::npos);
  }

  // The first Kokoro voice starts the kokoro engine.
  auto engines = [&] { return json::serialize(json::parse(server.get("/engines").body)); };
  EXPECT_EQ(engines().find("kokoro"), std::string::npos);
  folder.install("kokoro-tones");
  ASSERT_TRUE(eventually([&] { return lists(server, "kokoro", "kokoro-tones/af_tone"); })) << engines();
  expect_speech(server, "kokoro", "kokoro-tones/af_tone");

  // Removed: not listed, and a request for it is a 404 naming where to look.
  fs::remove(folder.path / "en_US-duo-medium.onnx");
  fs::remove(folder.path / "en_US-duo-medium.onnx.json");
  ASSERT_TRUE(eventually([&] { return !lists(server, "piper", "en_US-duo-medium/alice"); }));
  auto gone = server.get(tts_target("Hello.", "engine=piper&voice=en_US-duo-medium/alice"));
  EXPECT_EQ(gone.status, 404u) << gone.body;
  EXPECT_TRUE(lists(server, "piper", tones)) << "the others stay";
  expect_speech(server, "piper", tones);
}

TEST(VoiceReload, AStreamSpeakingWithARemovedVoiceFinishes) {
  voices_folder folder;
  folder.install(tones);
  folder.install("en_US-heavy"); // the engine has another voice to offer once this one leaves
  rtts_server server(server_args(folder, {"--engines", "espeak,piper", "--workers", "1"}));
  // Far more speech than the stream's buffer and the sockets hold: while this client holds
  // back, most of it is still to be synthesized, after the voice has been removed.
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Sentence " + std::to_string(i) + " goes on and on. ";
  auto whole = server.get(tts_target(text, "engine=piper&format=pcm&voice=" + tones));
  ASSERT_EQ(whole.status, 200u);
  bool removed = false;
  std::size_t received = 0;
  auto r = server.get(tts_target(text, "engine=piper&format=pcm&voice=" + tones), [&](std::string_view piece) {
    if (!removed) {
      removed = true;
      fs::remove_all(folder.path / tones);
      EXPECT_TRUE(eventually([&] { return !lists(server, "piper", tones); }));
    }
    received += piece.size();
    return true;
  });
  EXPECT_TRUE(removed);
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.complete) << "the stream ran to its end";
  EXPECT_EQ(received, whole.body.size()) << "all of its audio, as before the removal";
  // New requests for it are refused; the engine's other voice speaks.
  EXPECT_EQ(server.get(tts_target("Hello.", "engine=piper&voice=" + tones)).status, 404u);
  expect_speech(server, "piper", "en_US-heavy");
}

TEST(VoiceReload, TheCommandLineInstallsAndRemovesVoicesARunningServerUses) {
  voices_folder folder;
  folder.install(tones);
  rtts_server server(server_args(folder, {"--engines", "espeak,piper", "--workers", "1"}));
  const std::string dir = "--voices-dir " + folder.path.string();
  // An upstream-format Piper voice, as users download it.
  auto imported = run_rtts("voices import " + test_voices() + "/voices/en_US-duo-medium.onnx " + dir);
  ASSERT_EQ(imported.status, 0) << imported.err;
  EXPECT_NE(imported.out.find("en_US-duo-medium/alice"), std::string::npos) << imported.out;
  auto listed = run_rtts("voices list " + dir);
  EXPECT_EQ(listed.status, 0);
  EXPECT_NE(listed.out.find("en_US-duo-medium/bob"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("22050"), std::string::npos) << listed.out;
  auto as_json = json::parse(run_rtts("voices list --json " + dir).out).as_array();
  EXPECT_EQ(as_json.size(), 2u);
  ASSERT_TRUE(eventually([&] { return lists(server, "piper", "en_US-duo-medium/alice"); }));
  expect_speech(server, "piper", "en_US-duo-medium/alice");
  // A broken voice is refused with the reason, and nothing is installed.
  auto refused = run_rtts("voices import " + test_voices() + "/broken/no-metadata " + dir);
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("broken"), std::string::npos) << refused.err;
  EXPECT_EQ(json::parse(run_rtts("voices list --json " + dir).out).as_array().size(), 2u);
  // rm: gone from the running server; an unknown id says what is installed.
  auto removed = run_rtts("voices rm en_US-duo-medium " + dir);
  ASSERT_EQ(removed.status, 0) << removed.err;
  ASSERT_TRUE(eventually([&] { return !lists(server, "piper", "en_US-duo-medium/alice"); }));
  auto unknown = run_rtts("voices rm en_US-duo-medium " + dir);
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("piper:" + tones), std::string::npos) << unknown.err;
}

namespace {

rtts::client::http_response delete_voice(const rtts_server& server, const std::string& id, const std::string& key = {}) {
  rtts::client::http_request r;
  r.method = "DELETE";
  r.target = "/v1/audio/voices/" + rtts::client::url_encode(id);
  if (!key.empty()) r.headers["Authorization"] = "Bearer " + key;
  return rtts::client::fetch(server.endpoint(), r).value();
}

std::string error_code(const rtts::client::http_response& r) {
  EXPECT_EQ(r.header("content-type"), "application/json") << r.body;
  return std::string(json::parse(r.body).at("error").at("code").as_string());
}

} // namespace

TEST(VoiceReload, DeletingAVoiceOverHttpTakesTheAdminKey) {
  voices_folder folder;
  folder.install(tones);
  folder.install_upstream_piper("en_US-duo-medium");
  {
    // Without --admin-key, changing voices over HTTP is off, whatever the request carries.
    rtts_server server(server_args(folder, {"--engines", "espeak,piper", "--workers", "1"}));
    auto off = delete_voice(server, "piper:" + tones, "anything");
    EXPECT_EQ(off.status, 403u);
    EXPECT_EQ(error_code(off), "admin_key_not_set");
  }
  rtts_server server(server_args(folder, {"--engines", "espeak,piper", "--workers", "1", "--api-key", "speak", "--admin-key", "root"}));
  // Neither no key nor an API key opens it.
  for (const std::string& key : {std::string(), std::string("speak"), std::string("rooty")}) {
    auto refused = delete_voice(server, "piper:" + tones, key);
    EXPECT_EQ(refused.status, 401u) << key;
    EXPECT_EQ(error_code(refused), "invalid_admin_key");
    EXPECT_EQ(refused.header("www-authenticate"), "Bearer");
  }
  EXPECT_EQ(error_code(delete_voice(server, "nope", "root")), "unknown_voice");
  EXPECT_EQ(delete_voice(server, "nope", "root").status, 404u);
  auto wrong_method = server.post("/v1/audio/voices/" + tones, "{}", {{"Authorization", "Bearer root"}});
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(wrong_method.header("allow"), "DELETE");
  // With it: gone from the folder and from the catalogue; the other voices stay.
  auto deleted = delete_voice(server, "en_US-duo-medium/alice", "root");
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  auto body = json::parse(deleted.body).as_object();
  EXPECT_EQ(body.at("id"), "piper:en_US-duo-medium");
  EXPECT_EQ(body.at("deleted"), true);
  EXPECT_FALSE(fs::exists(folder.path / "en_US-duo-medium"));
  auto with_key = [&](const std::string& target) {
    rtts::client::http_request r;
    r.target = target;
    r.headers["Authorization"] = "Bearer speak";
    return rtts::client::fetch(server.endpoint(), r).value();
  };
  ASSERT_TRUE(eventually([&] { return with_key("/voices?engine=piper").body.find("en_US-duo-medium") == std::string::npos; }));
  EXPECT_NE(with_key("/voices?engine=piper").body.find(tones), std::string::npos);
  EXPECT_EQ(error_code(delete_voice(server, "en_US-duo-medium", "root")), "unknown_voice") << "deleted once";
}
