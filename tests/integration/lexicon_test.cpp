// Pronunciation lexicons through the server: --lexicon respells words on every route, word
// timestamps point at the word as written, SIGHUP rereads the files (keeping the old set when a
// file turns bad), and a bad file stops the start with its reason.
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
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
  EXPECT_NE(log().find("lexicons not reloaded, the previous ones stay: lexicon"), std::string::npos) << log();
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
  std::remove(path.c_str());
  std::remove(err_path.c_str());
}
