// Pronunciation lexicons through the server: --lexicon respells words on every route, word
// timestamps point at the word as written, SIGHUP rereads the files (keeping the old set when a
// file turns bad), and a bad file stops the start with its reason.
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace rtts::testing;

namespace {

std::string write_lexicon(const std::string& path, const std::string& alias) {
  std::ofstream(path) << R"(<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>W3C</grapheme><alias>)" << alias << R"(</alias></lexeme>
</lexicon>)";
  return path;
}

std::string normalized(const rtts_server& server, const std::string& text) {
  auto r = server.get("/normalize?text=" + rtts::client::url_encode(text));
  EXPECT_EQ(r.status, 200u) << r.body;
  boost::json::value v = boost::json::parse(r.body);
  return std::string(v.at("fragments").as_array().at(0).at("text").as_string());
}

} // namespace

TEST(Lexicons, AliasesAreSpokenAndTimedAsTheWordWritten) {
  const std::string path = write_lexicon("/tmp/rtts-lexicon-" + std::to_string(::getpid()) + ".pls", "World Wide Web Consortium");
  const std::string log_path = path + ".log";
  rtts_server server({"--workers", "1", "--lexicon", path}, log_path);
  auto with = server.get(tts_target("The W3C met."));
  auto spelled = server.get(tts_target("The World Wide Web Consortium met.", "normalize=0"));
  ASSERT_EQ(with.status, 200u);
  EXPECT_GT(with.body.size(), 44u + 22050u);
  EXPECT_TRUE(with.body == spelled.body) << "the alias is what the engine reads";
  EXPECT_TRUE(server.get(tts_target("The W3C met.", "normalize=0")).body != with.body) << "normalize=0: as written, no lexicon";
  // Every engine reads the alias: the same audio as the alias written out.
  for (const char* engine : {"flite", "festival"}) {
    auto on = server.get(tts_target("The W3C met.", std::string("engine=") + engine));
    ASSERT_EQ(on.status, 200u) << engine << ": " << on.body;
    EXPECT_TRUE(on.body == server.get(tts_target("The World Wide Web Consortium met.", std::string("normalize=0&engine=") + engine)).body) << engine;
    EXPECT_TRUE(on.body != server.get(tts_target("The W3C met.", std::string("normalize=0&engine=") + engine)).body) << engine;
  }

  auto timed = read_sse(server.get(tts_target("The W3C met.", "timestamps=word&format=pcm")).body);
  std::vector<std::string> words;
  for (const auto& w : timed.of_type("speech.word")) words.push_back(std::string(w.at("text").as_string()));
  EXPECT_EQ(words, (std::vector<std::string>{"The", "W3C", "met"})) << "four spoken words, one written word";

  // SIGHUP rereads the file; a broken file keeps the set in use.
  write_lexicon(path, "Web Consortium");
  ::kill(server.pid(), SIGHUP);
  std::string now;
  for (int i = 0; i < 100 && (now = normalized(server, "W3C")) != "Web Consortium"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(now, "Web Consortium");
  std::ofstream(path) << "<lexicon";
  ::kill(server.pid(), SIGHUP);
  // Wait until the server has tried (it says so), then check it kept the lexicons it had.
  auto log = [&] {
    std::ifstream in(log_path);
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  for (int i = 0; i < 200 && log().find("lexicons not reloaded") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(log().find("lexicons not reloaded, the previous ones stay: " + path + ": lexicon"), std::string::npos) << log();
  EXPECT_EQ(normalized(server, "W3C"), "Web Consortium") << "a broken file does not replace the lexicons in use";
  std::remove(path.c_str());
  std::remove(log_path.c_str());
}

TEST(Lexicons, ABrokenFileStopsTheStartWithItsReason) {
  const std::string path = "/tmp/rtts-lexicon-bad-" + std::to_string(::getpid()) + ".pls";
  std::ofstream(path) << "<lexicon xml:lang='en'><lexeme><alias>x</alias></lexeme></lexicon>";
  std::string err_path = path + ".err";
  int raw = std::system(("timeout 20 " RTTS_BINARY " serve --port 0 --workers 1 --lexicon " + path + " > /dev/null 2> " + err_path).c_str());
  std::ifstream in(err_path);
  std::string err{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) != 0);
  EXPECT_NE(err.find("without <grapheme>"), std::string::npos) << err;
  EXPECT_NE(err.find(path + ": "), std::string::npos) << "names the file: " << err;
  EXPECT_NE(err.find("line 1, column "), std::string::npos) << "and where in it: " << err;
  std::remove(path.c_str());
  std::remove(err_path.c_str());
}

TEST(Lexicons, PhonemeEntriesAreSaidByEspeakAndShownByNormalize) {
  // "tomato" said as eSpeak's own transcription of "hello"; "Flite" has both an alias and
  // phonemes, so every engine reads its alias.
  const std::string path = "/tmp/rtts-lexicon-ipa-" + std::to_string(::getpid()) + ".pls";
  std::ofstream(path) << R"(<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>tomato</grapheme><phoneme>həlˈoʊ</phoneme></lexeme>
  <lexeme><grapheme>Flite</grapheme><alias>Festival Lite</alias><phoneme>flaɪt</phoneme></lexeme>
</lexicon>)";
  rtts_server server({"--workers", "1", "--engines", "espeak,flite", "--lexicon", path});
  auto seconds = [&](const std::string& text, const std::string& query) {
    auto r = server.get(tts_target(text, "format=pcm&" + query));
    EXPECT_EQ(r.status, 200u) << r.body;
    return static_cast<double>(r.body.size() / 2) / (query.find("flite") != std::string::npos ? 16000 : 22050);
  };
  double as_hello = seconds("Say tomato now.", "engine=espeak"), hello = seconds("Say hello now.", "engine=espeak");
  double tomato = seconds("Say tomato now.", "engine=espeak&normalize=0");
  EXPECT_NEAR(as_hello, hello, 0.03 * hello) << "eSpeak NG says the lexicon's IPA";
  EXPECT_GT(std::abs(as_hello - tomato), 0.05 * tomato);
  EXPECT_EQ(server.get(tts_target("Say tomato now.", "format=pcm&engine=flite")).body,
            server.get(tts_target("Say tomato now.", "format=pcm&engine=flite&normalize=0")).body)
      << "Flite has no phoneme input: it reads the word";

  auto r = server.get("/normalize?text=" + rtts::client::url_encode("Flite says tomato."));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto fragment = boost::json::parse(r.body).at("fragments").at(0);
  EXPECT_EQ(fragment.at("text").as_string(), "Festival Lite says tomato.") << "an alias wins over phonemes";
  auto phonemes = fragment.at("phonemes").as_array();
  ASSERT_EQ(phonemes.size(), 1u);
  EXPECT_EQ(phonemes[0].at("text").as_string(), "tomato");
  EXPECT_EQ(phonemes[0].at("ipa").as_string(), "həlˈoʊ");
  EXPECT_EQ(phonemes[0].at("offset").to_number<int>(), 11);
  EXPECT_EQ(phonemes[0].at("length").to_number<int>(), 6);
  auto engines = boost::json::parse(server.get("/engines?detail=1").body).as_array();
  for (const auto& e : engines)
    EXPECT_EQ(e.at("capabilities").at("phonemes").as_bool(), e.at("name").as_string() == "espeak") << e.at("name").as_string();
  std::remove(path.c_str());
}

TEST(Lexicons, AnSsmlDocumentChoosesItsLexiconsByName) {
  const std::string dir = "/tmp/rtts-lexicons-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  write_lexicon(dir + "/acme.pls", "Acme Consortium");
  write_lexicon(dir + "/web.pls", "World Wide Web Consortium");
  rtts_server server({"--workers", "1", "--engines", "espeak", "--lexicon", dir + "/acme.pls", "--lexicon", dir + "/web.pls"});
  auto normalized_ssml = [&](const std::string& doc) {
    auto r = server.get("/normalize?ssml=true&text=" + rtts::client::url_encode(doc));
    EXPECT_EQ(r.status, 200u) << r.body;
    return std::string(boost::json::parse(r.body).at("fragments").at(0).at("text").as_string());
  };
  EXPECT_EQ(normalized(server, "W3C"), "Acme Consortium") << "without a choice: every lexicon, the first listed first";
  EXPECT_EQ(normalized_ssml("<speak><sub alias=\"Dubya three see\">W3C</sub> or W3C</speak>"), "Dubya three see or Acme Consortium")
      << "SSML's own <sub> comes before a lexicon's alias";
  EXPECT_EQ(normalized_ssml("<speak><lexicon uri=\"web\"/>W3C</speak>"), "World Wide Web Consortium");
  EXPECT_EQ(normalized_ssml("<speak><lexicon uri=\"https://example.com/lexicons/web.pls\"/>W3C</speak>"), "World Wide Web Consortium")
      << "a URI names a lexicon by its file name; nothing is fetched";
  auto unknown = server.get(tts_target("<speak><lexicon uri=\"medical\"/>W3C</speak>"));
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_NE(unknown.body.find("invalid_ssml_lexicon"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("acme, web"), std::string::npos) << "the error names the lexicons there are: " << unknown.body;
  std::filesystem::remove_all(dir);
}
