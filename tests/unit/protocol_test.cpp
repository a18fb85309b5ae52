#include "worker/protocol.hpp"

#include <gtest/gtest.h>

using namespace rtts;
using namespace rtts::worker;

TEST(Protocol, FramesRoundTripByteByByte) {
  std::string wire = encode_frame(frame_type::synthesize, 42, "payload") + encode_frame(frame_type::cancel, 42) +
                     encode_frame(frame_type::audio, 7, std::string("\x01\x00\xFF\x7F", 4));
  frame_decoder d;
  std::vector<frame> got;
  for (char c : wire) { // worst case: every read returns one byte
    d.feed(std::string_view(&c, 1));
    for (;;) {
      auto f = d.next();
      ASSERT_TRUE(f);
      if (!*f) break;
      got.push_back(std::move(**f));
    }
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].type, frame_type::synthesize);
  EXPECT_EQ(got[0].job, 42u);
  EXPECT_EQ(got[0].payload, "payload");
  EXPECT_EQ(got[1].type, frame_type::cancel);
  EXPECT_TRUE(got[1].payload.empty());
  EXPECT_EQ(got[2].job, 7u);
  EXPECT_EQ(got[2].payload, std::string("\x01\x00\xFF\x7F", 4));
}

TEST(Protocol, LargeJobIdsSurvive) {
  frame_decoder d;
  d.feed(encode_frame(frame_type::done, 0x0123456789ABCDEFull));
  auto f = d.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->job, 0x0123456789ABCDEFull);
}

TEST(Protocol, RejectsBadLengths) {
  frame_decoder tiny;
  tiny.feed(std::string("\x02\x00\x00\x00\x01\x00", 6));
  EXPECT_FALSE(tiny.next());
  frame_decoder huge;
  huge.feed(std::string("\xFF\xFF\xFF\x7F", 4));
  EXPECT_FALSE(huge.next());
}

TEST(Protocol, ManyFramesKeepBufferBounded) {
  frame_decoder d;
  std::string audio(4000, 'x');
  for (int i = 0; i < 1000; ++i) {
    d.feed(encode_frame(frame_type::audio, 1, audio));
    auto f = d.next();
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->payload.size(), audio.size());
  }
  auto f = d.next();
  ASSERT_TRUE(f);
  EXPECT_FALSE(*f);
}

TEST(Protocol, WordRequestsAndEventsRoundTrip) {
  synthesize_request r{"on 2026-11-29 ok", {"en-us", 1.0, 1.0, {}}, true, {{3, 13}, {40, 50}}};
  auto back = synthesize_request_from_json(to_json(r));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->words);
  // A unit outside the text is dropped: it could only come from a broken server.
  EXPECT_EQ(back->units, (std::vector<std::pair<std::size_t, std::size_t>>{{3, 13}}));
  timed_word w{3, 13, 22050, 30000};
  auto word = timed_word_from_json(to_json(w));
  ASSERT_TRUE(word);
  EXPECT_EQ(word->begin, 3u);
  EXPECT_EQ(word->end, 13u);
  EXPECT_EQ(word->start_sample, 22050u);
  EXPECT_EQ(word->end_sample, 30000u);
  EXPECT_FALSE(timed_word_from_json(R"({"begin":5,"end":2,"start":0,"stop":0})"));
}

TEST(Protocol, SynthesizeRequestJson) {
  synthesize_request r{"Hello \"world\"\n", {"en-us", 1.5, 0.75, {}}, false, {}};
  auto back = synthesize_request_from_json(to_json(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, r.text);
  EXPECT_EQ(back->params.voice, "en-us");
  EXPECT_DOUBLE_EQ(back->params.speed, 1.5);
  EXPECT_DOUBLE_EQ(back->params.pitch, 0.75);
  EXPECT_FALSE(back->words);
  EXPECT_EQ(back->stream, 0u) << "a fragment of no stream";
  EXPECT_TRUE(back->last) << "...ends its job process";
  EXPECT_FALSE(synthesize_request_from_json("not json"));
}

TEST(Protocol, SynthesizeRequestNamesItsStream) {
  synthesize_request r{"Second sentence.", {"en-us", 1.0, 1.0, {}}, false, {}};
  r.stream = 42;
  r.last = false;
  auto back = synthesize_request_from_json(to_json(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream, 42u);
  EXPECT_FALSE(back->last);
  r.last = true;
  EXPECT_TRUE(synthesize_request_from_json(to_json(r))->last);
  // Not a stream id: ignored, the fragment is one of no stream.
  EXPECT_EQ(synthesize_request_from_json(R"({"text":"a","voice":"v","stream":-3,"last":false})")->stream, 0u);
  EXPECT_EQ(synthesize_request_from_json(R"({"text":"a","voice":"v","stream":"7"})")->stream, 0u);
}

TEST(Protocol, AStreamsFragmentMayPauseAndBeResumed) {
  synthesize_request r{"A long sentence.", {"en-us", 1.0, 1.0, {}}, false, {}};
  r.stream = 5;
  EXPECT_EQ(synthesize_request_from_json(to_json(r))->pause_after, 0u) << "by default a job never pauses";
  r.pause_after = 22050;
  EXPECT_EQ(synthesize_request_from_json(to_json(r))->pause_after, 22050u);
  // Only a fragment of a stream can pause: its process is kept while it waits.
  EXPECT_EQ(synthesize_request_from_json(R"({"text":"a","voice":"v","pause_after":100})")->pause_after, 0u);
  EXPECT_EQ(synthesize_request_from_json(R"({"text":"a","voice":"v","stream":2,"pause_after":-4})")->pause_after, 0u);
  EXPECT_EQ(pause_after_from_resume(resume_payload(4410)), 4410u);
  EXPECT_EQ(pause_after_from_resume(resume_payload(0)), 0u);
  EXPECT_EQ(pause_after_from_resume("garbage"), 0u) << "a malformed resume goes on to the end";
}

TEST(Protocol, HelloJson) {
  worker_hello h{"flite", 16000, "slt", {{"slt", "CMU US SLT", "en-us", "female", 0, "", ""}, {"kal", "CMU US KAL", "en-us", "", 8000, "estimated", "no model"}},
                 {true, false, true, true, false, "exact", false, false, true}};
  auto back = worker_hello_from_json(to_json(h));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->word_timing_of("slt"), "exact");
  EXPECT_EQ(back->word_timing_of("kal"), "estimated");
  EXPECT_EQ(back->engine, "flite");
  EXPECT_EQ(back->sample_rate, 16000);
  ASSERT_EQ(back->voices.size(), 2u);
  EXPECT_EQ(back->voices[0].name, "CMU US SLT");
  EXPECT_EQ(back->voices[1].gender, "");
  EXPECT_EQ(back->voices[0].broken, "");
  EXPECT_EQ(back->voices[1].broken, "no model") << "a broken voice says why";
  EXPECT_EQ(back->rate_of("slt"), 16000) << "a voice without its own rate has the engine's";
  EXPECT_EQ(back->rate_of("kal"), 8000);
  EXPECT_EQ(back->rate_of("unknown"), 16000);
  const auto& c = back->capabilities;
  EXPECT_TRUE(c.thread_safe);
  EXPECT_FALSE(c.repeatable_in_process);
  EXPECT_TRUE(c.may_exit_process);
  EXPECT_FALSE(c.pitch) << "rtts shifts its pitch";
  EXPECT_TRUE(c.streams_within_sentence);
  EXPECT_FALSE(c.ssml);
  EXPECT_EQ(c.word_timing, "exact");
  EXPECT_TRUE(c.stream_process);
  EXPECT_FALSE(worker_hello_from_json(R"({"engine":"x","sample_rate":0,"voices":[]})"));
}

TEST(Protocol, ErrorJsonKeepsKind) {
  auto e = error_from_json(to_json(make_error(error_kind::not_found, "no such voice", "unknown_voice", "voice")));
  EXPECT_EQ(e.kind, error_kind::not_found);
  EXPECT_EQ(e.message, "no such voice");
  EXPECT_EQ(e.code, "unknown_voice");
  EXPECT_EQ(error_from_json("garbage").kind, error_kind::engine_failure);
  for (auto kind : {error_kind::invalid_request, error_kind::not_found, error_kind::unavailable, error_kind::overloaded, error_kind::engine_failure})
    EXPECT_EQ(error_from_json(to_json(make_error(kind, "x"))).kind, kind) << "every kind an engine reports survives the trip";
}
