// The text log format: a client chooses several of its fields (engine, voice, format, route),
// and none of them may end the line, forge another, or pass for another field.
#include "api/request_log.hpp"

#include <gtest/gtest.h>

using namespace rtts::api;

namespace {
request_record speech_record(const std::string& engine, const std::string& voice) {
  request_record r;
  r.id = "abc";
  r.method = "GET";
  r.route = "/tts";
  r.status = 404;
  record_speech(r, {engine, voice, "wav", "text"});
  return r;
}
} // namespace

TEST(RequestLog, PlainFieldsAreWrittenAsTheyAre) {
  auto line = format_request(speech_record("espeak", "en-us"), log_format::text);
  EXPECT_NE(line.find(" abc GET /tts 404 "), std::string::npos) << line;
  EXPECT_NE(line.find(" engine=espeak voice=en-us format=wav chars=4"), std::string::npos) << line;
}

TEST(RequestLog, ClientFieldsCannotForgeALine) {
  auto line = format_request(speech_record("\n2026-12-02T00:00:00.000Z forged GET /admin 200", "a voice=b\r\x1b[31m\\"), log_format::text);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_NE(line.find(R"(engine="\x0a2026-12-02T00:00:00.000Z forged GET /admin 200")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"(voice="a voice=b\x0d\x1b[31m\x5c")"), std::string::npos) << line;
  // Bytes beyond ASCII are escaped too (no terminal control sequences in UTF-8's C1 range).
  auto utf8 = format_request(speech_record("espeak", "caf\xc3\xa9\xc2\x9b"), log_format::text);
  EXPECT_NE(utf8.find(R"(voice="caf\xc3\xa9\xc2\x9b")"), std::string::npos) << utf8;
}

TEST(RequestLog, JsonLinesQuoteEverything) {
  auto line = format_request(speech_record("\nforged", "v"), log_format::json);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find(R"("engine":"\nforged")"), std::string::npos) << line;
}
