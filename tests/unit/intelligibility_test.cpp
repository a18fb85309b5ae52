// The compiled-in intelligibility table: every measured voice is found with its word error
// rate, and /voices?detail=1 shows it; an unmeasured voice has none.
#include "api/catalogue_json.hpp"
#include "api/intelligibility.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts;

TEST(Intelligibility, MeasuredVoicesHaveTheirWordErrorRate) {
  const auto* bdl = api::intelligibility_of("rhvoice", "bdl");
  ASSERT_NE(bdl, nullptr);
  double wer = bdl->at("wer").as_double();
  EXPECT_GT(wer, 0.0);
  EXPECT_LT(wer, 1.5);
  EXPECT_TRUE(bdl->at("by_type").as_object().contains("dates"));
  EXPECT_EQ(bdl->at("measured").as_string(), "2026-12-02");
  EXPECT_NE(api::intelligibility_of("espeak", "en-us"), nullptr);
  EXPECT_EQ(api::intelligibility_of("espeak", "de"), nullptr) << "only English voices are measured";
  EXPECT_EQ(api::intelligibility_of("nope", "bdl"), nullptr);
}

TEST(Intelligibility, VoicesDetailShowsIt) {
  worker::worker_hello hello;
  hello.engine = "rhvoice";
  hello.sample_rate = 24000;
  hello.voices = {{"bdl", "Bdl", "en-us", "male", 0, {}, {}}, {"aleksandr", "Aleksandr", "ru", "male", 0, {}, {}}};
  boost::json::value v = boost::json::parse(api::voices_json(hello, true));
  const auto& voices = v.as_array();
  ASSERT_EQ(voices.size(), 2u);
  EXPECT_TRUE(voices[0].as_object().contains("intelligibility"));
  EXPECT_FALSE(voices[1].as_object().contains("intelligibility"));
}
