// `rtts voices pull` against a catalogue server of the test's own: nginx on loopback with TLS
// (a test CA), serving a Piper-style voices.json and generated voices, as Hugging Face serves
// Piper's. Pulled voices are verified, installed and used by a running server without a restart;
// a corrupted file, an untrusted certificate or an unverifiable entry installs nothing; an
// interrupted download continues with a Range request; two pulls at once download once.
#include "audio_check.hpp"
#include "run_rtts.hpp"
#include "server_fixture.hpp"
#include "test_voices.hpp"
#include "tls_front.hpp"
#include "wyoming_client.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <thread>

using namespace rtts::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string duo = "en_US-duo-medium";
const std::string duo_dir = "en/en_US/duo/medium/";

// An independent digest (coreutils' md5sum or sha256sum), not the one under test.
std::string digest_by(const std::string& tool, const fs::path& p) {
  std::string command = tool + " '" + p.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  char out[128] = {};
  if (pipe) {
    if (!std::fgets(out, sizeof out, pipe)) out[0] = 0;
    ::pclose(pipe);
  }
  std::string line(out);
  return line.substr(0, line.find(' '));
}
std::string md5sum(const fs::path& p) { return digest_by("md5sum", p); }

json::object file_entry(const fs::path& p, const std::string& md5 = {}) {
  return {{"size_bytes", fs::file_size(p)}, {"md5_digest", md5.empty() ? md5sum(p) : md5}};
}

// The catalogue server's files: the duo voice where Piper's layout puts it, a corrupted voice
// (the catalogue's digest is not the file's), and one without digests.
struct catalogue_site {
  fs::path root;
  catalogue_site() {
    char pattern[] = "/tmp/rtts-catalogue-XXXXXX";
    root = ::mkdtemp(pattern);
    ::chmod(root.c_str(), 0755);
    fs::path source = fs::path(test_voices()) / "voices";
    json::object voices;
    for (const std::string& id : {duo, std::string("en_US-corrupt-medium"), std::string("en_US-unverified-low")}) {
      fs::path dir = root / duo_dir;
      fs::create_directories(dir);
      fs::path model = dir / (id + ".onnx"), config = dir / (id + ".onnx.json");
      fs::copy_file(source / (duo + ".onnx"), model, fs::copy_options::overwrite_existing);
      fs::copy_file(source / (duo + ".onnx.json"), config, fs::copy_options::overwrite_existing);
      json::object files;
      if (id == "en_US-corrupt-medium") files[duo_dir + id + ".onnx"] = file_entry(model, std::string(32, '0'));
      else if (id == "en_US-unverified-low") files[duo_dir + id + ".onnx"] = json::object{{"size_bytes", fs::file_size(model)}};
      else files[duo_dir + id + ".onnx"] = file_entry(model);
      files[duo_dir + id + ".onnx.json"] = file_entry(config);
      voices[id] = json::object{{"key", id}, {"language", {{"code", "en_US"}}}, {"quality", "medium"}, {"num_speakers", 2}, {"files", files}};
    }
    // A voice larger than a small disk: 2 MB of model (never installed, so never read as one).
    fs::path big = root / duo_dir / "en_US-big-medium.onnx", big_config = root / duo_dir / "en_US-big-medium.onnx.json";
    std::ofstream(big, std::ios::binary) << std::string(2'000'000, 'x');
    fs::copy_file(source / (duo + ".onnx.json"), big_config, fs::copy_options::overwrite_existing);
    voices["en_US-big-medium"] = json::object{{"key", "en_US-big-medium"}, {"language", {{"code", "en_US"}}}, {"quality", "medium"}, {"num_speakers", 2},
                                              {"files", {{duo_dir + "en_US-big-medium.onnx", file_entry(big)}, {duo_dir + "en_US-big-medium.onnx.json", file_entry(big_config)}}}};
    std::ofstream(root / "voices.json") << json::serialize(voices);
    for (auto& e : fs::recursive_directory_iterator(root)) fs::permissions(e.path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  }
  ~catalogue_site() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

struct scratch_dir {
  fs::path path;
  explicit scratch_dir(const char* what) {
    std::string pattern = std::string("/tmp/rtts-") + what + "-XXXXXX";
    path = ::mkdtemp(pattern.data());
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

class VoicePull : public ::testing::Test {
protected:
  void SetUp() override {
    // Files under /moved/ answer with a redirect, as Hugging Face's do.
    front = std::make_unique<tls_front>(tls_front::serving(site.root, "    location /moved/ {\n      rewrite ^/moved/(.*)$ /$1 redirect;\n    }\n"));
    ::setenv("SSL_CERT_FILE", front->ca_file().c_str(), 1); // rtts trusts the test CA, as a user's mirror CA would be
  }
  void TearDown() override { ::unsetenv("SSL_CERT_FILE"); }
  std::string url(const std::string& path = "voices.json") const { return "https://localhost:" + std::to_string(front->port()) + "/" + path; }
  std::string flags(const std::string& catalogue) const {
    return "--catalog-url " + catalogue + " --voices-dir " + voices.path.string() + " --cache-dir " + cache.path.string();
  }
  run_result pull(const std::string& id, const std::string& catalogue = {}) const {
    return run_rtts("voices pull " + id + " " + flags(catalogue.empty() ? url() : catalogue));
  }
  std::vector<std::string> installed() const {
    std::vector<std::string> out;
    auto listed = json::parse(run_rtts("voices list --json --voices-dir " + voices.path.string()).out);
    for (const auto& v : listed.as_array()) out.emplace_back(v.at("id").as_string());
    return out;
  }
  // How many times nginx sent (part of) a file.
  int downloads_of(const std::string& path) const {
    std::istringstream log(front->access_log());
    int n = 0;
    for (std::string line; std::getline(log, line);)
      if (line.starts_with("GET /" + path + " ") && (line.find(" 200 ") != std::string::npos || line.find(" 206 ") != std::string::npos)) ++n;
    return n;
  }

  catalogue_site site;
  std::unique_ptr<tls_front> front;
  scratch_dir voices{"pulled-voices"}, cache{"pull-cache"};
};

} // namespace

TEST_F(VoicePull, AVerifiedVoiceIsInstalledAndARunningServerSpeaksWithIt) {
  rtts_server server({"--engines", "espeak,piper", "--workers", "1", "--voices-dir", voices.path.string(), "--voices-poll-ms", "200",
                      "--cache-dir", (cache.path / "converted").string()});
  // The catalogue lists what it can verify, installed or not.
  auto available = run_rtts("voices list --available " + flags(url()));
  ASSERT_EQ(available.status, 0) << available.err;
  EXPECT_NE(available.out.find(duo), std::string::npos) << available.out;
  EXPECT_EQ(available.out.find("en_US-unverified-low"), std::string::npos) << "no digest, not offered";

  auto pulled = pull(duo, url("moved/voices.json")); // redirects on the way
  ASSERT_EQ(pulled.status, 0) << pulled.err;
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 1);
  ASSERT_TRUE([&] {
    for (int i = 0; i < 300; ++i) {
      if (server.get("/voices?engine=piper").body.find(duo + "/alice") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }()) << "listed without a restart";
  auto r = server.get(tts_target("Pulled and speaking.", "engine=piper&voice=" + duo + "/bob"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_GT(decode_wav(r.body).seconds(), 0.5);
  auto again = pull(duo);
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("is installed"), std::string::npos) << again.out;
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 1) << "nothing downloaded twice";
  auto marked = json::parse(run_rtts("voices list --available --json " + flags(url())).out).as_array();
  for (const auto& v : marked) {
    if (v.at("id").as_string() == duo) {
      EXPECT_EQ(v.at("installed"), true);
    }
  }
}

TEST_F(VoicePull, WhatCannotBeVerifiedIsNotInstalled) {
  auto corrupt = pull("en_US-corrupt-medium");
  EXPECT_EQ(corrupt.status, 1);
  EXPECT_NE(corrupt.err.find("md5"), std::string::npos) << corrupt.err;
  auto unverified = pull("en_US-unverified-low");
  EXPECT_EQ(unverified.status, 1);
  EXPECT_NE(unverified.err.find("verify"), std::string::npos) << unverified.err;
  auto unknown = pull("xx_XX-nobody-low");
  EXPECT_EQ(unknown.status, 1);
  // A server the system's store does not trust: refused before anything is read.
  ::unsetenv("SSL_CERT_FILE");
  scratch_dir empty_cache("pull-cache-empty");
  auto untrusted = run_rtts("voices pull " + duo + " --catalog-url " + url() + " --voices-dir " + voices.path.string() + " --cache-dir " +
                            empty_cache.path.string());
  EXPECT_EQ(untrusted.status, 1);
  EXPECT_NE(untrusted.err.find("certificate"), std::string::npos) << untrusted.err;
  EXPECT_TRUE(installed().empty());
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 0);
}

TEST_F(VoicePull, AnInterruptedDownloadContinuesWhereItStopped) {
  // What an interrupted pull leaves: the first half of the model in the hidden download folder.
  fs::path partial = voices.path / (".pull-" + duo) / (duo + ".onnx");
  fs::create_directories(partial.parent_path());
  fs::path model = site.root / duo_dir / (duo + ".onnx");
  auto half = fs::file_size(model) / 2;
  {
    std::ifstream in(model, std::ios::binary);
    std::string bytes(half, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(half));
    std::ofstream(partial, std::ios::binary) << bytes;
  }
  auto pulled = pull(duo);
  ASSERT_EQ(pulled.status, 0) << pulled.err;
  auto log = front->access_log();
  EXPECT_NE(log.find("GET /" + duo_dir + duo + ".onnx HTTP/1.1 206 " + std::to_string(fs::file_size(model) - half)), std::string::npos)
      << "only the rest was asked for:\n" << log;
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
  EXPECT_FALSE(fs::exists(partial.parent_path())) << "the download folder is gone once installed";
}

TEST_F(VoicePull, AFullDiskIsSaidBeforeAnythingIsDownloaded) {
  scratch_dir small("small-disk");
  if (::mount("tmpfs", small.path.c_str(), "tmpfs", 0, "size=512k") != 0) GTEST_SKIP() << "a small file system to fill needs root (mount)";
  struct unmount {
    const fs::path& at;
    ~unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmounted_at_end{small.path};
  const std::string into_small = " --catalog-url " + url() + " --cache-dir " + cache.path.string() + " --voices-dir " + small.path.string();
  auto big = run_rtts("voices pull en_US-big-medium" + into_small);
  EXPECT_EQ(big.status, 1);
  EXPECT_NE(big.err.find("not enough disk space"), std::string::npos) << big.err;
  EXPECT_EQ(downloads_of(duo_dir + "en_US-big-medium.onnx"), 0);
  auto fits = run_rtts("voices pull " + duo + into_small);
  EXPECT_EQ(fits.status, 0) << fits.err;
}

TEST_F(VoicePull, TwoPullsOfOneVoiceDownloadItOnce) {
  auto first = std::async(std::launch::async, [&] { return pull(duo); });
  auto second = std::async(std::launch::async, [&] { return pull(duo); });
  auto a = first.get(), b = second.get();
  EXPECT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 1);
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
}

TEST_F(VoicePull, OfflineTheCachedCatalogueOrALocalMirrorServes) {
  const std::string remote = url();
  ASSERT_EQ(run_rtts("voices list --available " + flags(remote)).status, 0); // fetched and cached
  front.reset();                                                              // the network is gone
  auto cached = run_rtts("voices list --available " + flags(remote));
  EXPECT_EQ(cached.status, 0) << cached.err;
  EXPECT_NE(cached.out.find(duo), std::string::npos);
  EXPECT_NE(cached.err.find("cached"), std::string::npos) << cached.err;
  // An air-gapped mirror: the catalogue as a file, the voices beside it; still verified.
  auto mirrored = pull(duo, (site.root / "voices.json").string());
  ASSERT_EQ(mirrored.status, 0) << mirrored.err;
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
  EXPECT_EQ(pull("en_US-corrupt-medium", (site.root / "voices.json").string()).status, 1);
}

namespace {

std::vector<json::object> events_of(const std::string& body) {
  std::vector<json::object> out;
  std::size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    auto end = body.find("\n\n", at);
    out.push_back(json::parse(body.substr(at + 6, end - at - 6)).as_object());
    at = end;
  }
  return out;
}

} // namespace

TEST_F(VoicePull, TheServerPullsOverHttpAndRelaysTheProgress) {
  rtts_server server({"--engines", "espeak,piper", "--workers", "1", "--voices-dir", voices.path.string(), "--cache-dir", cache.path.string(),
                      "--catalog-url", url(), "--admin-key", "root"});
  auto pull_over_http = [&](const std::string& body, const std::string& key = "root") {
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Authorization"] = "Bearer " + key;
    return server.post("/v1/audio/voices/pull", body, headers);
  };
  EXPECT_EQ(pull_over_http(R"({"id":")" + duo + R"("})", "").status, 401u);
  EXPECT_EQ(pull_over_http(R"({"id":"--catalog-url=/etc/passwd"})").status, 400u) << "never an option of the pull";
  EXPECT_EQ(pull_over_http(R"({"name":"x"})").status, 400u);
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 0);

  auto r = pull_over_http(R"({"id":")" + duo + R"("})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  auto events = events_of(r.body);
  ASSERT_GE(events.size(), 3u) << r.body;
  bool progressed = false;
  for (const auto& e : events)
    progressed |= e.at("event") == "progress" && std::string(e.at("file").as_string()) == duo + ".onnx" && e.at("bytes") == e.at("total");
  EXPECT_TRUE(progressed) << r.body;
  EXPECT_EQ(events[events.size() - 2].at("event"), "installed");
  EXPECT_EQ(events.back().at("event"), "done");
  // Usable at once: the engine was started (its first voice) before the last event.
  auto spoken = server.get(tts_target("Pulled through the server.", "engine=piper&voice=" + duo + "/alice"));
  ASSERT_EQ(spoken.status, 200u) << spoken.body;
  EXPECT_GT(decode_wav(spoken.body).seconds(), 0.5);

  auto unknown = events_of(pull_over_http(R"({"id":"xx_XX-nobody-low"})").body);
  ASSERT_GE(unknown.size(), 2u);
  EXPECT_EQ(unknown.front().at("event"), "error");
  EXPECT_EQ(unknown.front().at("code"), "unknown_voice");
  EXPECT_EQ(unknown.back().at("event"), "failed");
}

namespace {

std::string code_of(const std::string& body) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("error")) return {};
  const auto& code = parsed.at("error").at("code");
  return code.is_string() ? std::string(code.as_string()) : std::string();
}

} // namespace

TEST_F(VoicePull, WithoutAutoPullAnUnknownVoiceIsA404AndNothingIsDownloaded) {
  rtts_server server({"--engines", "espeak,piper", "--workers", "1", "--voices-dir", voices.path.string(), "--cache-dir", cache.path.string(),
                      "--catalog-url", url()});
  auto before = front->access_log();
  auto r = server.get(tts_target("Not without asking.", "engine=piper&voice=" + duo + "/alice"));
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_FALSE(code_of(r.body).empty()) << r.body;
  auto openai = server.post("/v1/audio/speech", R"({"model":"tts-1","input":"Not without asking.","voice":"piper:)" + duo + R"("})");
  EXPECT_EQ(openai.status, 400u) << openai.body; // the piper engine is not running: no voice of it to name
  EXPECT_EQ(front->access_log(), before) << "neither the catalogue nor a voice was fetched";
  EXPECT_TRUE(installed().empty());
}

TEST_F(VoicePull, WithAutoPullARequestInstallsACatalogueVoiceFirst) {
  const std::string log = (cache.path / "server.log").string();
  rtts_server server({"--engines", "espeak,piper", "--workers", "1", "--voices-dir", voices.path.string(), "--cache-dir", cache.path.string(),
                      "--catalog-url", url(), "--auto-pull"},
                     log);
  // Two requests for the voice at once, through two routes: one download, both served with it
  // (the engine starts with its first voice).
  auto first = std::async(std::launch::async, [&] { return server.get(tts_target("Fetched on first use.", "engine=piper&voice=" + duo + "/alice")); });
  auto second = std::async(std::launch::async, [&] {
    return server.post("/v1/audio/speech", R"({"model":"tts-1","input":"Fetched once for both.","voice":"piper:)" + duo + R"(/bob","response_format":"wav"})");
  });
  auto a = first.get(), b = second.get();
  ASSERT_EQ(a.status, 200u) << a.body;
  ASSERT_EQ(b.status, 200u) << b.body;
  auto alice = decode_wav(a.body), bob = decode_wav(b.body);
  EXPECT_GT(alice.seconds(), 0.5);
  EXPECT_GT(bob.seconds(), 0.5);
  EXPECT_GT(alice.rms(), 100.0) << "speech, not silence";
  EXPECT_EQ(downloads_of(duo_dir + duo + ".onnx"), 1);
  std::ifstream in(log);
  std::string said((std::istreambuf_iterator<char>(in)), {});
  auto pulls = [&](const std::string& id) {
    int n = 0;
    for (std::size_t at = 0; (at = said.find("installing piper voice " + id + " ", at)) != std::string::npos; ++at) ++n;
    return n;
  };
  EXPECT_EQ(pulls(duo), 1) << "one pull for both requests:\n" << said;
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
  EXPECT_NE(server.get("/voices?engine=piper").body.find(duo + "/bob"), std::string::npos);

  // A name the catalogue does not have: 404 naming where the choices are; the catalogue's list,
  // read once, answers again without fetching anything.
  auto unknown = server.get(tts_target("Nobody.", "engine=piper&voice=xx_XX-nobody-low"));
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_EQ(code_of(unknown.body), "unknown_voice");
  EXPECT_NE(unknown.body.find("available=1"), std::string::npos) << unknown.body;
  auto fetched = front->access_log();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(server.get(tts_target("Nobody.", "engine=piper&voice=xx_XX-nobody-" + std::to_string(i))).status, 404u);
  EXPECT_EQ(front->access_log(), fetched) << "made-up names start no download";

  // In the catalogue but not what it describes: refused with the reason, nothing installed.
  auto corrupt = server.get(tts_target("Corrupt.", "engine=piper&voice=en_US-corrupt-medium"));
  EXPECT_EQ(corrupt.status, 503u) << corrupt.body;
  EXPECT_EQ(code_of(corrupt.body), "voice_pull_failed");
  EXPECT_NE(corrupt.body.find("md5"), std::string::npos) << corrupt.body;
  EXPECT_EQ(installed(), std::vector<std::string>{duo});
}

namespace {

int shell(const std::string& command) { return std::system(command.c_str()); }

} // namespace

// Home Assistant picks voices from Wyoming's describe: with --auto-pull the catalogue's voices are
// there too, marked not installed (as wyoming-piper lists them), and one spoken is then installed.
TEST_F(VoicePull, WithAutoPullWyomingOffersTheCatalogueAsNotInstalled) {
  auto wyoming_port = free_port();
  rtts_server server({"--engines", "espeak,piper", "--workers", "1", "--voices-dir", voices.path.string(), "--cache-dir", cache.path.string(),
                      "--catalog-url", url(), "--auto-pull", "--wyoming", "127.0.0.1:" + std::to_string(wyoming_port)});
  auto describe = [&] {
    std::map<std::string, bool> listed; // name -> installed
    wyoming_client c(wyoming_port);
    c.send("describe");
    auto info = c.read();
    if (!info) return listed;
    for (const auto& v : info->data.at("tts").as_array()[0].at("voices").as_array())
      listed[std::string(v.at("name").as_string())] = v.at("installed").as_bool();
    return listed;
  };
  std::map<std::string, bool> before;
  for (int i = 0; i < 100 && !before.contains("piper:" + duo); ++i) {
    before = describe();
    if (!before.contains("piper:" + duo)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(before.contains("piper:" + duo)) << "the catalogue is read at start-up";
  EXPECT_FALSE(before["piper:" + duo]);
  EXPECT_FALSE(before["piper:en_US-big-medium"]);
  EXPECT_FALSE(before.contains("piper:en_US-unverified-low")) << "what cannot be verified is not offered";
  EXPECT_TRUE(before["espeak:en-us"]);

  // Home Assistant asks for it as listed: installed, spoken, and listed as installed from then on.
  wyoming_client c(wyoming_port);
  c.send("synthesize", json::object{{"text", "Installed for Home Assistant."}, {"voice", {{"name", "piper:" + duo + "/alice"}}}});
  std::string pcm;
  for (;;) {
    auto e = c.read();
    ASSERT_TRUE(e) << "the connection ended early";
    ASSERT_NE(e->type, "error") << json::serialize(e->data);
    if (e->type == "audio-chunk") pcm += e->payload;
    if (e->type == "audio-stop") break;
  }
  EXPECT_GT(pcm.size(), 22050u) << "over half a second of 22 kHz speech";
  auto after = describe();
  EXPECT_TRUE(after["piper:" + duo + "/alice"]);
  EXPECT_FALSE(after.contains("piper:" + duo)) << "no longer offered as not installed";
  EXPECT_FALSE(after["piper:en_US-big-medium"]);
}

// sherpa-onnx's packages: a GitHub release's asset list (name, size, SHA-256 digest, download URL)
// served by the test's own HTTPS server, with archives the test packs itself.
TEST_F(VoicePull, SherpaPackagesFromAReleaseAreVerifiedUnpackedAndUsed) {
  fs::path packages = site.root / "packages";
  fs::create_directories(packages);
  const std::string source = test_voices() + "/voices";
  ASSERT_EQ(shell("tar -cjf '" + (packages / "kokoro-tones.tar.bz2").string() + "' -C '" + source + "' kokoro-tones"), 0);
  for (const char* copy : {"kokoro-nodigest", "kokoro-bad", "matcha-tones"})
    fs::copy_file(packages / "kokoro-tones.tar.bz2", packages / (std::string(copy) + ".tar.bz2"));
  // A package whose entry climbs out of the folder it is unpacked into.
  ASSERT_EQ(shell("python3 -c \"import io, sys, tarfile\n"
                  "t = tarfile.open(sys.argv[1], 'w:bz2')\n"
                  "e = tarfile.TarInfo('kokoro-evil/../../rtts-evil.txt'); e.size = 4; t.addfile(e, io.BytesIO(b'evil'))\n"
                  "t.close()\" '" + (packages / "kokoro-evil.tar.bz2").string() + "'"),
            0);
  json::array assets;
  for (const std::string name : {"kokoro-tones", "kokoro-nodigest", "kokoro-bad", "kokoro-evil", "matcha-tones"}) {
    fs::path file = packages / (name + ".tar.bz2");
    json::value digest(json::string("sha256:" + digest_by("sha256sum", file)));
    if (name == "kokoro-nodigest") digest = nullptr; // uploaded before GitHub computed digests
    if (name == "kokoro-bad") digest = json::string("sha256:" + std::string(64, '0'));
    assets.push_back({{"name", name + ".tar.bz2"}, {"size", fs::file_size(file)}, {"digest", digest}, {"browser_download_url", url("packages/" + name + ".tar.bz2")}});
  }
  std::ofstream(site.root / "release.json") << json::serialize(json::object{{"tag_name", "tts-models"}, {"assets", assets}});
  fs::permissions(site.root / "release.json", fs::perms::others_read, fs::perm_options::add);
  for (auto& e : fs::directory_iterator(packages)) fs::permissions(e.path(), fs::perms::others_read, fs::perm_options::add);
  fs::permissions(packages, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  const std::string both = flags(url()) + " --catalog-url " + url("release.json");

  // Both catalogues listed; what has no digest, and Matcha (its vocoder comes separately), not.
  auto listed = run_rtts("voices list --available --json " + both);
  ASSERT_EQ(listed.status, 0) << listed.err;
  std::map<std::string, std::string> offered;
  auto listing = json::parse(listed.out);
  for (const auto& v : listing.as_array()) offered[std::string(v.at("id").as_string())] = std::string(v.at("engine").as_string());
  EXPECT_EQ(offered[duo], "piper");
  EXPECT_EQ(offered["kokoro-tones"], "kokoro");
  EXPECT_FALSE(offered.contains("kokoro-nodigest"));
  EXPECT_FALSE(offered.contains("matcha-tones"));

  auto bad = run_rtts("voices pull kokoro-bad " + both);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("sha256"), std::string::npos) << bad.err;
  auto evil = run_rtts("voices pull kokoro-evil " + both);
  EXPECT_EQ(evil.status, 1);
  EXPECT_NE(evil.err.find("outside"), std::string::npos) << evil.err;
  EXPECT_FALSE(fs::exists(voices.path.parent_path() / "rtts-evil.txt"));
  EXPECT_FALSE(fs::exists(voices.path / "rtts-evil.txt"));
  EXPECT_TRUE(installed().empty());

  rtts_server server({"--engines", "espeak,kokoro", "--workers", "1", "--voices-dir", voices.path.string(), "--voices-poll-ms", "200",
                      "--cache-dir", (cache.path / "converted").string()});
  auto pulled = run_rtts("voices pull kokoro-tones " + both);
  ASSERT_EQ(pulled.status, 0) << pulled.err;
  EXPECT_NE(pulled.out.find("installed kokoro voice kokoro-tones"), std::string::npos) << pulled.out;
  EXPECT_EQ(installed(), std::vector<std::string>{"kokoro-tones"});
  EXPECT_EQ(downloads_of("packages/kokoro-tones.tar.bz2"), 1);
  ASSERT_TRUE([&] {
    for (int i = 0; i < 300; ++i) {
      if (server.get("/voices?engine=kokoro").body.find("kokoro-tones/am_tone") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }()) << "the engine started with its first voice, without a restart";
  auto r = server.get(tts_target("A package, unpacked and speaking.", "engine=kokoro&voice=kokoro-tones/am_tone"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto audio = decode_wav(r.body);
  EXPECT_GT(audio.seconds(), 0.5);
  EXPECT_GT(audio.rms(), 100.0);
}
