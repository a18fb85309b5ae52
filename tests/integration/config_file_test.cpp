// `rtts serve --config FILE`: the file sets flags, flags and environment win over it, and a bad
// file stops start-up with a message that names the key.
#include "server_fixture.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

using namespace rtts::testing;

namespace {

class temp_config {
public:
  explicit temp_config(const std::string& text) : path_("/tmp/rtts-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".json") {
    std::ofstream(path_) << text;
  }
  ~temp_config() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

private:
  static inline int counter_ = 0;
  std::string path_;
};

struct start_failure {
  int status = -1;
  std::string err;
};

// Runs `rtts serve` expecting it to refuse to start.
start_failure serve_expecting_failure(const std::string& args, const std::string& env = "") {
  std::string err_path = "/tmp/rtts-config-err-" + std::to_string(::getpid());
  std::string command = env + " timeout 20 " RTTS_BINARY " serve --port 0 " + args + " > /dev/null 2> " + err_path;
  int raw = std::system(command.c_str());
  std::ifstream in(err_path);
  start_failure f{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}};
  std::remove(err_path.c_str());
  return f;
}

std::string words(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "word ";
  return text;
}

} // namespace

TEST(ConfigFile, SetsFlagsAndFlagsWin) {
  temp_config file(R"({
    // a 40-character limit, and an API key
    "max-text": 40,
    "api-key": ["from-the-file"],
  })");
  rtts_server from_file({"--config", file.path()});
  std::map<std::string, std::string> auth{{"Authorization", "Bearer from-the-file"}};
  rtts::client::http_request request;
  request.target = tts_target(words(20));
  request.headers = auth;
  auto long_text = rtts::client::fetch(from_file.endpoint(), request);
  ASSERT_TRUE(long_text);
  EXPECT_EQ(long_text->status, 413u) << "max-text from the file applies";
  EXPECT_EQ(from_file.get(tts_target("short")).status, 401u) << "api-key from the file applies";

  rtts_server overridden({"--config", file.path(), "--max-text", "1000"});
  request.target = tts_target(words(20));
  auto allowed = rtts::client::fetch(overridden.endpoint(), request);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200u) << "a flag beats the file";
}

TEST(ConfigFile, UnknownKeyStopsStartUpNamingIt) {
  temp_config file(R"({"port": 0, "max-streamz": 5})");
  auto f = serve_expecting_failure("--config " + file.path());
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find("'max-streamz'"), std::string::npos) << f.err;
  EXPECT_NE(f.err.find("unknown"), std::string::npos) << f.err;
}

TEST(ConfigFile, BadValueStopsStartUpNamingTheKey) {
  for (const char* text : {R"({"max-streams": "many"})", R"({"log-format": "yaml"})", R"({"workers": [1, 2]})"}) {
    temp_config file(text);
    auto f = serve_expecting_failure("--config " + file.path());
    EXPECT_EQ(f.status, 2) << text;
    std::string key = std::string(text).substr(2, std::string(text).find('"', 2) - 2);
    EXPECT_NE(f.err.find("'" + key + "'"), std::string::npos) << text << ": " << f.err;
  }
}

TEST(ConfigFile, SyntaxErrorAndMissingFileStopStartUp) {
  temp_config broken("{\n  \"port\": 0,\n  oops\n}");
  auto f = serve_expecting_failure("--config " + broken.path());
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find("line 3"), std::string::npos) << f.err;
  auto missing = serve_expecting_failure("", "RTTS_CONFIG=/nonexistent/rtts.json");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent/rtts.json"), std::string::npos) << missing.err;
}

TEST(ConfigFile, ValidatedLikeFlags) {
  temp_config file(R"({"header-timeout": 60, "request-timeout": 30})");
  auto f = serve_expecting_failure("--config " + file.path());
  EXPECT_EQ(f.status, 2);
  EXPECT_NE(f.err.find("--header-timeout"), std::string::npos) << f.err;
}
