// Word, sentence and mark events against the real binary: their times against the audio they
// came with (words inside speech, the comma's pause between two words), their offsets against
// the text the client sent (normalized dates, three units, text sent in pieces), their order
// (before the audio that holds their start) on SSE, both WebSockets and after a barge-in.
#include "audio_check.hpp"
#include "client/ws_client.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

using namespace rtts::testing;
using rtts::client::ws_client;
namespace json = boost::json;

namespace {

class WordTiming : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--workers", "2", "--engines", "espeak,flite,festival"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;
};
rtts_server* WordTiming::server = nullptr;

double number(const json::object& o, std::string_view key) { return o.at(key).to_number<double>(); }
std::size_t count(const json::object& o, std::string_view key) { return static_cast<std::size_t>(o.at(key).to_number<double>()); }
std::string text_of(const json::object& o) { return std::string(o.at("text").as_string()); }

int rate_of(const rtts_server& s, const std::string& engine, const std::string& voice) {
  auto voices = json::parse(s.get("/voices?detail=1&engine=" + engine).body);
  for (const auto& v : voices.as_array())
    if (v.at("id") == voice.c_str()) return static_cast<int>(v.at("sample_rate").as_int64());
  return 0;
}

// Root mean square of the samples in [from, to) seconds.
double rms(const std::vector<std::int16_t>& pcm, int rate, double from, double to) {
  auto b = static_cast<std::size_t>(std::max(0.0, from) * rate), e = std::min(pcm.size(), static_cast<std::size_t>(to * rate));
  if (e <= b) return 0;
  double sum = 0;
  for (auto i = b; i < e; ++i) sum += static_cast<double>(pcm[i]) * pcm[i];
  return std::sqrt(sum / static_cast<double>(e - b));
}

std::vector<std::string> words_of(const sse_answer& a) {
  std::vector<std::string> out;
  for (const auto& w : a.of_type("speech.word")) out.push_back(text_of(w));
  return out;
}

} // namespace

TEST_F(WordTiming, WordStartsFallInsideSpeechAndTheCommaPauseLiesBetweenWords) {
  const std::string text = "Hello world, how are you today?";
  for (auto [engine, voice] : {std::pair{"espeak", "en-us"}, std::pair{"flite", "slt"}, std::pair{"flite", "kal16"}, std::pair{"festival", "kal"}}) {
    SCOPED_TRACE(std::string(engine) + " " + voice);
    auto r = server->get(tts_target(text, std::string("timestamps=word&format=pcm&engine=") + engine + "&voice=" + voice));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    auto answer = read_sse(r.body);
    const int rate = rate_of(*server, engine, voice);
    ASSERT_GT(rate, 0);
    auto pcm = samples_of_pcm(answer.audio);
    const double duration = static_cast<double>(pcm.size()) / rate;
    ASSERT_GT(duration, 1.0);
    EXPECT_EQ(words_of(answer), (std::vector<std::string>{"Hello", "world", "how", "are", "you", "today"}));
    auto words = answer.of_type("speech.word");
    ASSERT_EQ(words.size(), 6u);
    double loud = rms(pcm, rate, 0, duration);
    // The comma's pause: between "world" ending and "how" starting there is silence.
    double gap_from = number(words[1], "end"), gap_to = number(words[2], "start");
    EXPECT_GT(gap_to - gap_from, 0.05) << "the comma pause separates the words";
    double silence = rms(pcm, rate, gap_from + 0.01, gap_to - 0.01);
    EXPECT_LT(silence, loud * 0.03) << "and it is silent";
    double previous_end = 0;
    for (const auto& w : words) {
      SCOPED_TRACE(text_of(w));
      EXPECT_EQ(count(w, "offset"), text.find(text_of(w)));
      EXPECT_EQ(count(w, "length"), text_of(w).size());
      double start = number(w, "start"), end = number(w, "end");
      EXPECT_LT(start, end);
      EXPECT_GE(start, previous_end - 0.0011) << "words do not overlap";
      EXPECT_LE(end, duration + 0.001);
      // Sound right after the start, well above the pause's silence (onsets such as the "h" of
      // "how" are soft), and the word as a whole is speech.
      EXPECT_GT(rms(pcm, rate, start, start + 0.04), std::max(4 * silence, loud * 0.02));
      EXPECT_GT(rms(pcm, rate, start, end), loud * 0.3);
      previous_end = end;
    }
  }
}

TEST_F(WordTiming, EventsComeBeforeTheAudioHoldingTheirStart) {
  for (const char* engine : {"espeak", "flite", "festival"}) {
    SCOPED_TRACE(engine);
    auto r = server->get(tts_target("First sentence here. And a second, longer one follows it now.", std::string("timestamps=word&format=pcm&engine=") + engine));
    ASSERT_EQ(r.status, 200u);
    auto answer = read_sse(r.body);
    int native = std::stoi(r.header("x-audio-sample-rate"));
    std::size_t sentences = 0;
    for (std::size_t i = 0; i < answer.events.size(); ++i) {
      const auto& e = answer.events[i];
      if (e.at("type") == "speech.sentence") ++sentences;
      if (e.at("type") != "speech.word" && e.at("type") != "speech.sentence") continue;
      double audio_before = static_cast<double>(answer.audio_bytes_before[i] / 2) / native;
      EXPECT_LE(audio_before, number(e, "start") + 0.001) << json::serialize(e);
    }
    EXPECT_EQ(sentences, 2u);
    EXPECT_EQ(answer.events.back().at("type"), "speech.audio.done");
  }
}

TEST_F(WordTiming, OffsetsPointAtTheOriginalTextInTheUnitsAsked) {
  // A normalized date is one word pointing at all of it; an emoji before "Zoë" counts 1 code
  // point, 2 UTF-16 units and 4 bytes.
  const std::string text = "We met on 2026-11-29 \xF0\x9F\x98\x80 with Zo\xC3\xAB.";
  for (auto [units, date_offset, zoe_offset] : {std::tuple{"code_point", 10, 28}, std::tuple{"utf16", 10, 29}, std::tuple{"utf8", 10, 31}}) {
    SCOPED_TRACE(units);
    auto r = server->get(tts_target(text, std::string("timestamps=word&format=pcm&offset_units=") + units));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto answer = read_sse(r.body);
    auto words = answer.of_type("speech.word");
    std::map<std::string, json::object> by_text;
    for (const auto& w : words) by_text[text_of(w)] = w;
    ASSERT_TRUE(by_text.contains("2026-11-29")) << r.body.substr(0, 2000);
    EXPECT_EQ(count(by_text["2026-11-29"], "offset"), static_cast<std::size_t>(date_offset));
    EXPECT_EQ(count(by_text["2026-11-29"], "length"), 10u);
    ASSERT_TRUE(by_text.contains("Zo\xC3\xAB"));
    EXPECT_EQ(count(by_text["Zo\xC3\xAB"], "offset"), static_cast<std::size_t>(zoe_offset));
    EXPECT_EQ(count(by_text["Zo\xC3\xAB"], "length"), std::string(units) == "utf8" ? 4u : 3u);
    // The date's words ("November twenty-ninth, twenty twenty-six") are one event spanning them all.
    EXPECT_GT(number(by_text["2026-11-29"], "end") - number(by_text["2026-11-29"], "start"), 1.0);
  }
}

TEST_F(WordTiming, OpenAiSseCarriesTheEventsAndOptionsAreChecked) {
  auto r = server->post("/v1/audio/speech",
                        R"({"input":"Good morning, Dave.","voice":"flite:rms","response_format":"pcm","stream_format":"sse","timestamps":"word"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto answer = read_sse(r.body);
  EXPECT_EQ(words_of(answer), (std::vector<std::string>{"Good", "morning", "Dave"}));
  EXPECT_FALSE(answer.audio.empty());
  auto sentence_only = read_sse(server->post("/v1/audio/speech",
                                             R"({"input":"One. Two.","response_format":"pcm","stream_format":"sse","timestamps":"sentence"})").body);
  EXPECT_TRUE(sentence_only.of_type("speech.word").empty());
  EXPECT_EQ(sentence_only.of_type("speech.sentence").size(), 2u);
  // Refusals: no SSE channel, unknown values.
  auto no_sse = server->post("/v1/audio/speech", R"({"input":"x","timestamps":"word"})");
  EXPECT_EQ(no_sse.status, 400u);
  EXPECT_EQ(json::parse(no_sse.body).at("error").at("code"), "timestamps_need_sse");
  EXPECT_EQ(server->post("/v1/audio/speech", R"({"input":"x","stream_format":"sse","timestamps":"phoneme"})").status, 400u);
  EXPECT_EQ(server->post("/v1/audio/speech", R"({"input":"x","stream_format":"sse","timestamps":"word","offset_units":"utf32"})").status, 400u);
  EXPECT_EQ(server->get(tts_target("x", "timestamps=yes")).status, 400u);
  // Without timestamps nothing changes: raw audio.
  auto plain = server->get(tts_target("Hello.", "format=pcm"));
  EXPECT_NE(plain.header("content-type"), "text/event-stream");
}

TEST_F(WordTiming, CatalogueSaysHowEachVoiceIsTimed) {
  for (const char* engine : {"espeak", "flite", "festival"}) {
    auto voices = json::parse(server->get(std::string("/voices?detail=1&engine=") + engine).body).as_array();
    for (const auto& v : voices) {
      std::string id(v.at("id").as_string());
      std::string timing(v.at("word_timing").as_string());
      EXPECT_EQ(timing, id.starts_with("mb-") ? "estimated" : "exact") << engine << " " << id;
    }
  }
}

TEST_F(WordTiming, SpeechStreamOffsetsKeepCountingAcrossPiecesAndMessages) {
  auto c = ws_client::connect(server->endpoint(), "/v1/audio/speech-stream");
  ASSERT_TRUE(c) << c.error().message;
  auto& ws = **c;
  ASSERT_TRUE(ws.send_text(R"({"type":"config","timestamps":"word","binary":true})"));
  // "Hello there. How are you today?" cut mid-word, with a double space kept as sent.
  const std::string full = "Hello  there. How are you today?";
  for (const char* piece : {"Hel", "lo  the", "re. How a", "re you today?"}) ASSERT_TRUE(ws.send_text(json::serialize(json::object{{"type", "text"}, {"text", piece}})));
  ASSERT_TRUE(ws.send_text(R"({"type":"end"})"));
  std::vector<json::object> words;
  std::size_t audio_bytes = 0;
  double last_start = -1;
  for (;;) {
    auto m = ws.read();
    ASSERT_TRUE(m) << m.error().message;
    if (m->binary) {
      audio_bytes += m->data.size();
      continue;
    }
    auto e = json::parse(m->data).as_object();
    if (e.at("type") == "done") break;
    ASSERT_NE(e.at("type"), "error") << m->data;
    if (e.at("type") != "word") continue;
    // Before its audio, and times keep growing across the two sentences.
    EXPECT_LE(static_cast<double>(audio_bytes / 2) / 24000.0, number(e, "start") + 0.001);
    EXPECT_GT(number(e, "start"), last_start);
    last_start = number(e, "start");
    words.push_back(e);
  }
  std::vector<std::string> expected = {"Hello", "there", "How", "are", "you", "today"};
  ASSERT_EQ(words.size(), expected.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(text_of(words[i]), expected[i]);
    EXPECT_EQ(count(words[i], "offset"), full.find(expected[i])) << expected[i];
  }
}

TEST_F(WordTiming, BargeInReportsTheLastWordHeardInFull) {
  auto c = ws_client::connect(server->endpoint(), "/v1/audio/speech-stream");
  ASSERT_TRUE(c) << c.error().message;
  auto& ws = **c;
  ASSERT_TRUE(ws.send_text(R"({"type":"config","timestamps":"word","engine":"flite","voice":"slt"})"));
  ASSERT_TRUE(ws.send_text(R"({"type":"text","text":"This is a rather long sentence that keeps going for quite a while so that we can interrupt it. "})"));
  ASSERT_TRUE(ws.send_text(R"({"type":"flush"})"));
  std::size_t audio_bytes = 0, words = 0;
  while (words < 4 || audio_bytes < 24000) { // some words and half a second of audio
    auto m = ws.read();
    ASSERT_TRUE(m);
    if (m->binary) audio_bytes += m->data.size();
    else if (json::parse(m->data).at("type") == "word") ++words;
  }
  ASSERT_TRUE(ws.send_text(R"({"type":"cancel"})"));
  for (;;) {
    auto m = ws.read();
    ASSERT_TRUE(m);
    if (m->binary) continue;
    auto e = json::parse(m->data).as_object();
    if (e.at("type") != "cancelled") continue;
    double heard = number(e, "samples_sent") / 24000.0;
    ASSERT_TRUE(e.contains("last_word")) << m->data;
    auto last = e.at("last_word").as_object();
    EXPECT_EQ(last.at("type"), "word");
    EXPECT_LE(number(last, "end"), heard + 0.001);
    EXPECT_GT(number(last, "end"), 0.0);
    break;
  }
}

TEST_F(WordTiming, RealtimeTtsWebSocketSendsWordsBeforeTheirAudio) {
  auto c = ws_client::connect(server->endpoint(), "/ws?timestamps=word");
  ASSERT_TRUE(c) << c.error().message;
  auto& ws = **c;
  ASSERT_TRUE(ws.send_text("Nice to meet you."));
  std::vector<std::string> words;
  std::size_t audio_bytes = 0;
  for (;;) {
    auto m = ws.read();
    ASSERT_TRUE(m);
    auto e = json::parse(m->data).as_object();
    if (e.contains("finalOutput")) break;
    if (e.contains("audioOutput")) {
      if (!e.at("audioOutput").as_object().contains("isHeader")) audio_bytes += base64_decode(e.at("audioOutput").at("audio").as_string()).size();
      continue;
    }
    if (e.at("type") != "word") continue;
    EXPECT_LE(static_cast<double>(audio_bytes / 2) / 22050.0, number(e, "start") + 0.001);
    words.push_back(text_of(e));
  }
  EXPECT_EQ(words, (std::vector<std::string>{"Nice", "to", "meet", "you"}));
}
