// `rtts bench` itself: a short run against a real server checks the report's structure and
// that errors are counted, not that anything is fast.
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

using namespace rtts::testing;
namespace json = boost::json;

namespace {

struct bench_run {
  int status = -1;
  json::object report;
};

bench_run run_bench(const std::string& args) {
  std::string out = "/tmp/rtts-bench-" + std::to_string(::getpid()) + ".json";
  int raw = std::system((std::string(RTTS_BINARY) + " bench --json " + args + " > " + out + " 2>/dev/null").c_str());
  std::ifstream in(out);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::remove(out.c_str());
  bench_run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  if (!text.empty()) r.report = json::parse(text).as_object(); // a refused run prints no report
  return r;
}

std::string corpus_file(const std::vector<std::string>& lines) {
  std::string path = "/tmp/rtts-corpus-" + std::to_string(::getpid()) + ".txt";
  std::ofstream out(path);
  for (const auto& l : lines) out << l << "\n";
  return path;
}

std::string url_of(const rtts_server& s) { return "http://" + s.endpoint().host + ":" + std::to_string(s.endpoint().port); }

} // namespace

TEST(Bench, ReportsEveryRouteAndScenario) {
  rtts_server server;
  auto corpus = corpus_file({"A short sentence for the benchmark.", "Another one, a little longer than the first."});
  auto r = run_bench("--url " + url_of(server) + " --routes tts,ws,stream,openai --concurrency 1,3 --requests 2 --corpus " + corpus);
  std::remove(corpus.c_str());
  EXPECT_EQ(r.status, 0) << "a clean run exits 0";
  const auto& scenarios = r.report.at("scenarios").as_array();
  ASSERT_EQ(scenarios.size(), 8u); // 4 routes x 2 concurrency levels
  for (const auto& v : scenarios) {
    const auto& s = v.as_object();
    unsigned clients = static_cast<unsigned>(s.at("clients").as_int64());
    EXPECT_EQ(s.at("requests").as_int64(), clients * 2) << s.at("route");
    EXPECT_EQ(s.at("errors").as_int64(), 0);
    EXPECT_EQ(s.at("compared").as_int64(), s.at("requests").as_int64()) << "every answer byte-compared";
    EXPECT_EQ(s.at("correct").as_int64(), s.at("compared").as_int64());
    for (const char* p : {"p50", "p95", "p99"}) EXPECT_GT(s.at("first_audio_ms").at(p).to_number<double>(), 0) << p;
    EXPECT_GT(s.at("audio_seconds_per_second").to_number<double>(), 0);
    EXPECT_GT(s.at("rtf_p50").to_number<double>(), 1.0);
    EXPECT_GT(s.at("client_cpu_percent").to_number<double>(), 0) << "what the measuring client itself took";
  }
}

TEST(Bench, CountsErrors) {
  rtts_server server({"--max-text", "40"});
  auto corpus = corpus_file({"Short enough.", "This line is far longer than the forty characters the server accepts."});
  auto r = run_bench("--url " + url_of(server) + " --routes tts,openai --concurrency 2 --requests 2 --no-compare --corpus " + corpus);
  std::remove(corpus.c_str());
  EXPECT_EQ(r.status, 3) << "errors make the run fail";
  for (const auto& v : r.report.at("scenarios").as_array()) {
    const auto& s = v.as_object();
    EXPECT_EQ(s.at("requests").as_int64(), 4);
    EXPECT_EQ(s.at("errors").as_int64(), 2) << "half the corpus is over the limit";
    EXPECT_EQ(s.at("timeouts").as_int64(), 0);
    EXPECT_NE(std::string(s.at("sample_errors").at(0).as_string()).find("413"), std::string::npos);
  }
}

TEST(Bench, EngineOnlyNeedsNoServer) {
  auto corpus = corpus_file({"The engine alone, with no server in between."});
  auto r = run_bench("--engine-only --workers 1 --corpus " + corpus);
  std::remove(corpus.c_str());
  EXPECT_EQ(r.status, 0);
  const auto& e = r.report.at("engine_only").as_object();
  EXPECT_EQ(e.at("workers").as_int64(), 1);
  EXPECT_GT(e.at("fragments").as_int64(), 0);
  EXPECT_GT(e.at("audio_seconds_per_second").to_number<double>(), 1.0);
  EXPECT_GT(e.at("cpu_seconds").to_number<double>(), 0) << "the workers' CPU, for the comparison per CPU-second";
}

TEST(Bench, RefusesRemoteServersByDefault) {
  // Refused before any connection is tried: 192.0.2.1 (TEST-NET-1) is never reached either way,
  // so only the refusal itself can make the message.
  std::string err = "/tmp/rtts-bench-remote-" + std::to_string(::getpid()) + ".txt";
  int raw = std::system((std::string(RTTS_BINARY) + " bench --url http://192.0.2.1:8000 > /dev/null 2> " + err).c_str());
  std::ifstream in(err);
  std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(err.c_str());
  EXPECT_EQ(WEXITSTATUS(raw), 1);
  EXPECT_NE(said.find("refusing to load a non-loopback server without --allow-remote"), std::string::npos) << said;
}

TEST(Bench, MeasuresAnyEngineAndItsVoices) {
  rtts_server server;
  auto corpus = corpus_file({"A short sentence for Flite.", "Another one for the second voice."});
  auto r = run_bench("--url " + url_of(server) + " --engine flite --voices slt,kal --routes tts,ws,openai --concurrency 2 --requests 2 --corpus " + corpus);
  std::remove(corpus.c_str());
  EXPECT_EQ(r.status, 0);
  for (const auto& v : r.report.at("scenarios").as_array()) {
    EXPECT_EQ(v.at("errors").as_int64(), 0) << v;
    EXPECT_EQ(v.at("correct").as_int64(), v.at("compared").as_int64()) << v;
    EXPECT_GT(v.at("audio_seconds_per_second").to_number<double>(), 0) << v;
  }
  auto refused = run_bench("--url " + url_of(server) + " --engine flite --routes tts --concurrency 1 --requests 1");
  EXPECT_NE(refused.status, 0) << "another engine's voices must be named";
}

TEST(Bench, ListenerModePlaysEveryStream) {
  rtts_server server;
  auto r = run_bench("--url " + url_of(server) + " --listeners 6 --arrivals-over 0.5 --speech-seconds 4 --buffer 0.3");
  EXPECT_EQ(r.status, 0);
  const auto& l = r.report.at("listeners").as_object();
  EXPECT_EQ(l.at("listeners").as_int64(), 6);
  EXPECT_EQ(l.at("completed").as_int64(), 6);
  EXPECT_EQ(l.at("failed").as_int64(), 0);
  EXPECT_EQ(l.at("refused").as_int64(), 0);
  EXPECT_GT(l.at("text_chars").as_double(), 0);
  // Texts are sized to about 4 s of speech each (one calibration request measures the voice).
  EXPECT_GT(l.at("audio_seconds").as_double(), 6 * 3.0);
  EXPECT_LT(l.at("audio_seconds").as_double(), 6 * 8.0);
  EXPECT_EQ(l.at("never_dry").as_int64() == 6, l.at("underruns").as_int64() == 0) << "a listener that never ran dry had no underrun";
  for (const char* key : {"p50", "p95", "p99"}) EXPECT_GT(l.at("first_audio_ms").as_object().at(key).as_double(), 0) << key;
  for (const char* key : {"underruns", "worst_gap_s", "client_cpu_percent", "server_deadline_misses"}) EXPECT_TRUE(l.contains(key)) << key;
}

TEST(Bench, ListenerModeCountsRefusedStreams) {
  rtts_server server({"--max-streams", "2"});
  auto r = run_bench("--url " + url_of(server) + " --listeners 8 --arrivals-over 0 --speech-seconds 90");
  const auto& l = r.report.at("listeners").as_object();
  EXPECT_EQ(l.at("completed").as_int64() + l.at("refused").as_int64(), 8);
  EXPECT_GT(l.at("refused").as_int64(), 0) << "eight at once against a limit of two";
  EXPECT_GE(l.at("completed").as_int64(), 2);
}

TEST(Bench, DigitsCompareEspeaksReadingWithTheLanguagesWords) {
  auto r = run_bench("--digits");
  ASSERT_EQ(r.status, 0);
  std::map<std::string, json::object> by_language;
  for (const auto& row : r.report.at("digits").as_array()) by_language[std::string(row.at("language").as_string())] = row.as_object();
  EXPECT_GT(by_language.size(), 40u) << "every eSpeak language ICU has words for";
  // The languages of the normalizers are all measured, each number of the set once.
  for (const char* language : {"en-us", "de", "fr-fr", "es", "it", "nl", "pt", "pl", "ru"}) {
    ASSERT_TRUE(by_language.contains(language)) << language;
    const auto& row = by_language[language];
    EXPECT_EQ(row.at("total").to_number<int>(), 12) << language;
    EXPECT_EQ(row.at("agree").to_number<int>() + static_cast<int>(row.at("differences").as_array().size()), 12) << language;
  }
  // What the normalizers rely on, as this eSpeak NG reads it: French digits exactly as French
  // words; Russian ones not (why Russian integers are spelled by rtts: docs/benchmarks.md#digits).
  EXPECT_EQ(by_language["fr-fr"].at("agree").to_number<int>() >= 10, true);
  bool russian_million_misread = false;
  for (const auto& d : by_language["ru"].at("differences").as_array())
    russian_million_misread |= std::string(d.as_string()).starts_with("1000000:");
  EXPECT_TRUE(russian_million_misread) << "if eSpeak NG reads Russian millions right now, rtts need not spell Russian integers";
}

// The intelligibility listener (scripts/intelligibility, pocketsphinx) in its smoke form: one
// voice, three sentences, twice. The full run is a benchmark (docs/benchmarks.md#intelligibility).
TEST(Bench, IntelligibilitySmokeRunIsRepeatable) {
  rtts_server server({"--engines", "flite", "--engine", "flite"});
  auto run = [&](int n) {
    std::string out = "/tmp/rtts-intelligibility-" + std::to_string(::getpid()) + "-" + std::to_string(n) + ".json";
    std::string command = "python3 " RTTS_SOURCE_DIR "/scripts/intelligibility --url http://127.0.0.1:" + std::to_string(server.at().port) +
                          " --engines flite --voices slt --sentences 3 --json " + out + " > /dev/null 2>&1";
    int raw = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << command;
    std::ifstream in(out);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::remove(out.c_str());
    return text.empty() ? json::object{} : json::parse(text).as_object();
  };
  auto first = run(1), second = run(2);
  ASSERT_TRUE(first.contains("voices")) << "the script wrote its report";
  ASSERT_EQ(first.at("voices").as_array().size(), 1u);
  const auto& voice = first.at("voices").as_array()[0].as_object();
  EXPECT_EQ(voice.at("voice").as_string(), "slt");
  EXPECT_EQ(first.at("sentences").to_number<int>(), 3);
  double wer = voice.at("wer").to_number<double>();
  EXPECT_GE(wer, 0.0);
  EXPECT_LT(wer, 0.5) << "Flite's slt is understood (0.05 over the full set on this machine)";
  EXPECT_EQ(json::serialize(first.at("voices")), json::serialize(second.at("voices"))) << "the same WER twice on the same build";
}
