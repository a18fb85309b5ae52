// SSML through the real binary on every engine: pauses measured as silence, rate as duration,
// volume as RMS, voice and language switches byte for byte against the engine's own worker, say-as and
// sub against their words, marks as events; malformed and hostile documents refused on every
// route while the server keeps serving.
#include "audio_check.hpp"
#include "client/ws_client.hpp"
#include "direct_worker.hpp"
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

using namespace rtts::testing;
using rtts::client::ws_client;
namespace json = boost::json;

namespace {

class Ssml : public ::testing::Test {
protected:
  static void SetUpTestSuite() { server = new rtts_server({"--workers", "2", "--engines", "espeak,flite,festival"}); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static rtts_server* server;

  // Native-rate PCM of a document (or of plain text) on an engine and voice.
  static std::string pcm(const std::string& text, const std::string& engine, const std::string& voice, bool ssml = true) {
    auto r = server->get(tts_target(text, "format=pcm&engine=" + engine + "&voice=" + voice + (ssml ? "&ssml=1" : "")));
    EXPECT_EQ(r.status, 200u) << text << ": " << r.body;
    return r.body;
  }
  static int rate(const std::string& engine, const std::string& voice) {
    auto r = server->get(tts_target("x", "format=pcm&engine=" + engine + "&voice=" + voice));
    return std::stoi(r.header("x-audio-sample-rate"));
  }
};
rtts_server* Ssml::server = nullptr;

struct engine_voice {
  const char* engine;
  const char* voice;
  const char* other; // another voice of the same rate
};
constexpr engine_voice engines[] = {{"espeak", "en-us", "en-gb"}, {"flite", "slt", "rms"}, {"festival", "kal", nullptr}};

double seconds(const std::string& pcm, int rate) { return static_cast<double>(pcm.size() / 2) / rate; }

double rms(const std::string& pcm) {
  auto s = samples_of_pcm(pcm);
  double sum = 0;
  for (auto v : s) sum += static_cast<double>(v) * v;
  return s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
}

// The longest run of exact digital silence, in seconds.
double longest_silence(const std::string& pcm, int rate) {
  std::size_t best = 0, run = 0;
  for (auto v : samples_of_pcm(pcm)) {
    run = v == 0 ? run + 1 : 0;
    best = std::max(best, run);
  }
  return static_cast<double>(best) / rate;
}

std::string error_code(const rtts::client::http_response& r) {
  auto v = json::parse(r.body);
  return std::string(v.at("error").at("code").as_string());
}

} // namespace

TEST_F(Ssml, BreaksAreExactSilenceOnEveryEngine) {
  for (const auto& e : engines) {
    SCOPED_TRACE(e.engine);
    int r = rate(e.engine, e.voice);
    auto long_break = pcm(R"(<speak>One.<break time="1500ms"/>Two.</speak>)", e.engine, e.voice);
    auto short_break = pcm(R"(<speak>One.<break time="500ms"/>Two.</speak>)", e.engine, e.voice);
    // rtts inserts exactly the difference; the engines' own audio is the same both times.
    EXPECT_NEAR(seconds(long_break, r) - seconds(short_break, r), 1.0, 1.0 / r + 1e-9);
    EXPECT_GE(longest_silence(long_break, r), 1.5);
    auto strong = pcm(R"(<speak>One.<break strength="x-strong"/>Two.</speak>)", e.engine, e.voice);
    EXPECT_NEAR(seconds(strong, r) - seconds(short_break, r), 0.7, 1.0 / r + 1e-9);
  }
}

TEST_F(Ssml, ProsodyRateChangesDurationAndVolumeChangesLoudness) {
  for (const auto& e : engines) {
    SCOPED_TRACE(e.engine);
    int r = rate(e.engine, e.voice);
    const std::string words = "The quick brown fox jumps over the lazy dog.";
    auto plain = pcm(words, e.engine, e.voice, false);
    auto slow = pcm("<speak><prosody rate=\"x-slow\">" + words + "</prosody></speak>", e.engine, e.voice);
    auto fast = pcm("<speak><prosody rate=\"x-fast\">" + words + "</prosody></speak>", e.engine, e.voice);
    EXPECT_GT(seconds(slow, r) / seconds(plain, r), 1.4);
    EXPECT_LT(seconds(fast, r) / seconds(plain, r), 0.8);
    auto loud = pcm("<speak><prosody volume=\"+6dB\">" + words + "</prosody></speak>", e.engine, e.voice);
    auto soft = pcm("<speak><prosody volume=\"-6dB\">" + words + "</prosody></speak>", e.engine, e.voice);
    auto silent = pcm("<speak><prosody volume=\"silent\">" + words + "</prosody></speak>", e.engine, e.voice);
    EXPECT_EQ(loud.size(), plain.size()) << "volume is a gain: the timing stays";
    EXPECT_NEAR(rms(loud) / rms(plain), 1.995, 0.2); // a little less where peaks clip
    EXPECT_NEAR(rms(soft) / rms(plain), 0.501, 0.01);
    EXPECT_EQ(rms(silent), 0.0);
    auto emphasis = pcm("<speak><emphasis level=\"strong\">" + words + "</emphasis></speak>", e.engine, e.voice);
    EXPECT_GT(seconds(emphasis, r), seconds(plain, r)) << "strong emphasis is slower";
  }
}

TEST_F(Ssml, VoiceAndLangSwitchWithinOneRequest) {
  for (const auto& e : engines) {
    if (!e.other) continue;
    SCOPED_TRACE(e.engine);
    auto mixed = pcm(std::string("<speak>Good morning. <voice name=\"") + e.other + "\">Good evening.</voice></speak>", e.engine, e.voice);
    auto first = pcm("Good morning.", e.engine, e.voice, false);
    EXPECT_TRUE(mixed.substr(0, first.size()) == first) << "the first part is that voice alone";
    EXPECT_TRUE(mixed == said_as_one_stream(e.engine, {{"Good morning.", e.voice}, {"Good evening.", e.other}}))
        << "each part sounds exactly as the engine says it with that voice, in one stream";
  }
  auto french = pcm(R"(<speak>Hello. <lang xml:lang="fr">Bonjour.</lang></speak>)", "espeak", "en-us");
  EXPECT_TRUE(french == said_as_one_stream("espeak", {{"Hello.", "en-us"}, {"Bonjour.", "fr-fr"}}));
  // A language no voice of the engine speaks keeps the current voice.
  auto flite_french = pcm(R"(<speak><lang xml:lang="fr">Bonjour.</lang></speak>)", "flite", "slt");
  EXPECT_TRUE(flite_french == pcm("Bonjour.", "flite", "slt", false));
  // A voice of another rate is resampled to the stream's: Festival's slt (32 kHz) then kal (16 kHz).
  auto across = server->get(tts_target(R"(<speak>Hi. <voice name="kal">Hi.</voice></speak>)", "format=pcm&engine=festival&voice=slt&timestamps=word"));
  ASSERT_EQ(across.status, 200u) << across.body;
  EXPECT_EQ(across.header("x-audio-sample-rate"), "32000");
  auto answer = read_sse(across.body);
  auto kal_alone = pcm("Hi.", "festival", "kal", false);
  auto slt_alone = pcm("Hi.", "festival", "slt", false);
  double expected = seconds(slt_alone, 32000) + seconds(kal_alone, 16000);
  EXPECT_NEAR(seconds(answer.audio, 32000), expected, 0.01) << "the kal part keeps its length at 32 kHz";
  auto words = answer.of_type("speech.word");
  ASSERT_EQ(words.size(), 2u);
  EXPECT_GT(words[1].at("start").to_number<double>(), seconds(slt_alone, 32000) - 0.001) << "the second word is timed at the stream's rate";
  EXPECT_LT(words[1].at("end").to_number<double>(), expected + 0.001);
  auto unknown = server->get(tts_target(R"(<speak><voice name="nobody">Hi.</voice></speak>)"));
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(error_code(unknown), "invalid_ssml_voice");
}

TEST_F(Ssml, SayAsSubAndPhonemeAreTheirWords) {
  for (const auto& e : engines) {
    SCOPED_TRACE(e.engine);
    // eSpeak NG says the IPA (next test); the engines without phoneme input read the text.
    if (std::string(e.engine) == "espeak") continue;
    auto said = pcm(R"(<speak>Code <say-as interpret-as="characters">AB</say-as>, call <say-as interpret-as="telephone">555-0100</say-as>, <sub alias="World Wide Web">WWW</sub> <phoneme alphabet="ipa" ph="həlˈoʊ">tomato</phoneme>.</speak>)",
                    e.engine, e.voice);
    auto words = pcm("Code A B, call five five five, zero one zero zero, World Wide Web tomato.", e.engine, e.voice, false);
    EXPECT_TRUE(said == words);
  }
  auto ordinal = pcm(R"(<speak>The <say-as interpret-as="ordinal">3rd</say-as> of <say-as interpret-as="date" format="dmy">29/11/2026</say-as>.</speak>)", "espeak", "en-us");
  EXPECT_TRUE(ordinal == pcm("The third of November twenty-ninth, twenty twenty-six.", "espeak", "en-us", false));
}

TEST_F(Ssml, PhonemesAreSaidByEspeakAndTimedAsTheWordWritten) {
  // "tomato" said as /həlˈoʊ/ (eSpeak's own transcription of "hello") lasts as long as "hello",
  // not as long as "tomato".
  auto as_hello = pcm(R"(<speak>Say <phoneme alphabet="ipa" ph="həlˈoʊ">tomato</phoneme>.</speak>)", "espeak", "en-us");
  auto hello = pcm("Say hello.", "espeak", "en-us", false);
  auto tomato = pcm("Say tomato.", "espeak", "en-us", false);
  const int rate = 22050;
  ASSERT_GT(seconds(hello, rate), 0.5);
  EXPECT_NEAR(seconds(as_hello, rate), seconds(hello, rate), 0.03 * seconds(hello, rate));
  EXPECT_GT(std::abs(seconds(as_hello, rate) - seconds(tomato, rate)), 0.05 * seconds(tomato, rate));
  // Its word event points at the word as written, and a client's own [[ opens nothing.
  const std::string doc = R"(<speak>Say <phoneme ph="ˈhɛloʊ ˈwɜːld">xyzzy</phoneme> [[now]].</speak>)";
  auto r = server->get(tts_target(doc, "timestamps=word&format=pcm&engine=espeak&offset_units=utf8"));
  ASSERT_EQ(r.status, 200u) << r.body;
  std::vector<std::string> written;
  for (const auto& w : read_sse(r.body).of_type("speech.word")) {
    auto offset = static_cast<std::size_t>(w.at("offset").to_number<double>()), length = static_cast<std::size_t>(w.at("length").to_number<double>());
    written.push_back(doc.substr(offset, length));
  }
  EXPECT_EQ(written, (std::vector<std::string>{"Say", "xyzzy", "now"})) << "two IPA words are the one word written";
  // What is refused: another alphabet, no ph, something that is not IPA.
  for (const char* bad : {R"(<speak><phoneme alphabet="x-sampa" ph="t@">x</phoneme></speak>)", R"(<speak><phoneme>x</phoneme></speak>)",
                          R"(<speak><phoneme ph="[[t@]]">x</phoneme></speak>)", R"(<speak><phoneme ph="ta"><break/>x</phoneme></speak>)"}) {
    auto refused = server->get(tts_target(bad));
    EXPECT_EQ(refused.status, 400u) << bad;
    EXPECT_NE(refused.body.find("phoneme"), std::string::npos) << refused.body;
  }
}

TEST_F(Ssml, MarksAndWordsPointIntoTheDocument) {
  const std::string doc = R"(<speak>Hello <mark name="a"/>world.<break time="300ms"/><mark name="b"/>Bye &amp; out.</speak>)";
  auto r = server->get(tts_target(doc, "timestamps=word&format=pcm&engine=flite"));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto answer = read_sse(r.body);
  std::vector<std::string> order;
  for (const auto& e : answer.events) {
    std::string type(e.at("type").as_string());
    if (type == "speech.mark") order.push_back("mark:" + std::string(e.at("name").as_string()));
    if (type == "speech.word") order.push_back(std::string(e.at("text").as_string()));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"Hello", "mark:a", "world", "mark:b", "Bye", "&amp;", "out"}));
  auto marks = answer.of_type("speech.mark");
  auto words = answer.of_type("speech.word");
  ASSERT_EQ(marks.size(), 2u);
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(marks[0].at("offset").to_number<std::size_t>(), doc.find("<mark name=\"a\""));
  EXPECT_EQ(words[1].at("offset").to_number<std::size_t>(), doc.find("world"));
  EXPECT_EQ(words[4].at("offset").to_number<std::size_t>(), doc.find("out"));
  // Mark a stands where "world" starts; mark b after the pause, where "Bye" starts.
  EXPECT_NEAR(marks[0].at("start").to_number<double>(), words[1].at("start").to_number<double>(), 0.0011);
  EXPECT_GE(marks[1].at("start").to_number<double>(), words[1].at("end").to_number<double>() + 0.3);
  EXPECT_LE(marks[1].at("start").to_number<double>(), words[2].at("start").to_number<double>() + 0.0011);
}

TEST_F(Ssml, ADocumentOfOnlyAPauseIsThatSilence) {
  auto silence = pcm(R"(<speak><break time="1s"/></speak>)", "espeak", "en-us");
  EXPECT_EQ(silence.size(), 22050u * 2);
  EXPECT_EQ(rms(silence), 0.0);
  auto r = server->get(tts_target(R"(<speak><break time="1s"/><mark name="after"/></speak>)", "timestamps=sentence&format=pcm"));
  auto marks = read_sse(r.body).of_type("speech.mark");
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_DOUBLE_EQ(marks[0].at("start").to_number<double>(), 1.0);
  auto empty = server->get(tts_target("<speak> </speak>"));
  EXPECT_EQ(empty.status, 400u);
  EXPECT_EQ(error_code(empty), "empty_text");
}

TEST_F(Ssml, EveryRouteTakesSsml) {
  const std::string doc = R"(<speak>Hello <break time="200ms"/>there.</speak>)";
  auto expected = pcm(doc, "espeak", "en-us");
  // /tts recognizes a document by its start, without ssml=1.
  auto detected = server->get(tts_target(doc, "format=pcm"));
  EXPECT_TRUE(detected.body == expected);
  // OpenAI: input starting with <speak (and 22050 Hz asked so that the bytes compare).
  auto openai = server->post("/v1/audio/speech", json::serialize(json::object{{"input", doc}, {"voice", "espeak:en-us"}, {"response_format", "pcm"}, {"sample_rate", 22050}}));
  ASSERT_EQ(openai.status, 200u) << openai.body;
  EXPECT_TRUE(openai.body == expected);
  // ...and "ssml": true makes a document of anything, so plain text is refused.
  auto forced = server->post("/v1/audio/speech", R"({"input":"just text","ssml":true})");
  EXPECT_EQ(forced.status, 400u);
  EXPECT_EQ(error_code(forced), "invalid_ssml");
  // The stream WebSocket: each text message is one document.
  auto c = ws_client::connect(server->endpoint(), "/v1/audio/speech-stream");
  ASSERT_TRUE(c);
  ASSERT_TRUE((*c)->send_text(R"({"type":"config","ssml":true,"sample_rate":22050,"voice":"espeak:en-us"})"));
  ASSERT_TRUE((*c)->send_text(json::serialize(json::object{{"type", "text"}, {"text", doc}})));
  ASSERT_TRUE((*c)->send_text(R"({"type":"end"})"));
  std::string streamed;
  for (;;) {
    auto m = (*c)->read();
    ASSERT_TRUE(m) << m.error().message;
    if (m->binary) streamed += m->data;
    else if (json::parse(m->data).at("type") == "done") break;
    else ASSERT_NE(json::parse(m->data).at("type"), "error") << m->data;
  }
  EXPECT_TRUE(streamed == expected);
  // /ws (RealtimeTTS): a message that is a document.
  auto rt = ws_client::connect(server->endpoint(), "/ws");
  ASSERT_TRUE(rt);
  ASSERT_TRUE((*rt)->send_text(R"(<speak><audio src="x.wav"/></speak>)"));
  auto m = (*rt)->read();
  ASSERT_TRUE(m);
  EXPECT_NE(m->data.find("invalid_ssml"), std::string::npos) << m->data;
}

TEST_F(Ssml, MalformedAndHostileDocumentsAreRefusedCleanly) {
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY a \"haha\">";
  for (char c = 'b'; c <= 'k'; ++c) {
    laughs += std::string("<!ENTITY ") + c + " \"";
    for (int i = 0; i < 10; ++i) laughs += std::string("&") + static_cast<char>(c - 1) + ";";
    laughs += "\">";
  }
  laughs += "]><speak>&k;</speak>";
  std::string deep = "<speak>";
  for (int i = 0; i < 100; ++i) deep += "<prosody rate=\"fast\">";
  deep += "x";
  const std::pair<std::string, const char*> cases[] = {
      {R"(<speak><audio src="file:///etc/passwd"/></speak>)", "<audio> is not supported"},
      {R"(<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>)", "DOCTYPE"},
      {laughs, "DOCTYPE"},
      {deep, "nested deeper"},
      {"<speak>Hello <s>world</speak>", "line 1, column"},
      {"<speak>\n<prosody rate=\"warp\">x</prosody></speak>", "line 2"},
      {"<speak><script>alert(1)</script></speak>", "<script> is not an SSML element"},
  };
  for (const auto& [doc, message] : cases) {
    SCOPED_TRACE(doc.substr(0, 60));
    for (int route = 0; route < 2; ++route) {
      auto r = route == 0 ? server->get(tts_target(doc, "ssml=1"))
                          : server->post("/v1/audio/speech", json::serialize(json::object{{"input", doc}, {"ssml", true}}));
      EXPECT_EQ(r.status, 400u);
      EXPECT_EQ(r.header("content-type"), "application/json");
      EXPECT_EQ(error_code(r), "invalid_ssml");
      EXPECT_NE(r.body.find(message), std::string::npos) << r.body;
    }
  }
  // Over the text limit (100,000 characters said), and over the document limit (4x that in bytes).
  auto long_text = server->post("/v1/audio/speech", json::serialize(json::object{{"input", "<speak>" + std::string(100001, 'a') + "</speak>"}}));
  EXPECT_EQ(long_text.status, 413u);
  EXPECT_EQ(error_code(long_text), "text_too_long");
  std::string markup = "<speak>";
  while (markup.size() < 400100) markup += "<s></s>";
  auto long_document = server->post("/v1/audio/speech", json::serialize(json::object{{"input", markup + "</speak>"}}));
  EXPECT_EQ(long_document.status, 413u);
  EXPECT_EQ(error_code(long_document), "ssml_too_long");
  // Still serving, and nothing leaked into the next request's audio.
  EXPECT_EQ(server->get("/health").status, 200u);
  EXPECT_TRUE(pcm("<speak>Fine.</speak>", "espeak", "en-us") == pcm("Fine.", "espeak", "en-us", false));
}
