// Inputs of 4 KB and more are planned (SSML, segmentation, normalization) on the compute pool,
// so that the network thread keeps serving every other client meanwhile (docs/architecture.md;
// a 98 KB document took the network thread ~100 ms before). What is tested here is that the
// path works and changes nothing: a document planned there says exactly what the same words
// planned on the network thread say, on the speech routes and on /normalize; /metrics shows
// where each plan ran. (How long others wait is a measurement, not a test: no timing thresholds.)
#include "server_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

using namespace rtts::testing;

TEST(Planning, ALargeInputPlannedElsewhereSaysWhatItWouldSayInline) {
  rtts_server server({"--engines", "espeak"});
  // Over 4 KB, mostly an SSML comment: planned on the compute pool; the short one inline.
  const std::string words = "Hello there, 2026-11-29 at 9:30 am.";
  const std::string padded = "<speak><!--" + std::string(4200, 'x') + "-->" + words + "</speak>";
  const std::string plain = "<speak>" + words + "</speak>";
  auto speak = [&](const std::string& input) {
    auto r = server.post("/v1/audio/speech", boost::json::serialize(boost::json::object{{"input", input}, {"response_format", "pcm"}}));
    EXPECT_EQ(r.status, 200u) << r.body.substr(0, 200);
    return r.body;
  };
  auto plans_on = [&](const std::string& thread) {
    const std::string sample = "rtts_plan_seconds_count{thread=\"" + thread + "\"} ";
    auto metrics = server.get("/metrics").body;
    auto at = metrics.find(sample);
    return at == std::string::npos ? 0 : std::stoi(metrics.substr(at + sample.size()));
  };
  auto elsewhere = speak(padded);
  EXPECT_EQ(plans_on("compute_pool"), 1);
  EXPECT_EQ(plans_on("network_thread"), 0);
  EXPECT_GT(elsewhere.size(), 22050u * 2) << "real speech, over a second";
  EXPECT_TRUE(elsewhere == speak(plain));
  EXPECT_EQ(plans_on("compute_pool"), 1);
  EXPECT_EQ(plans_on("network_thread"), 1);
  // /normalize describes the same fragments (it renders a large plan on the compute pool too).
  auto fragments = [&](const std::string& input) {
    auto r = server.post("/normalize", boost::json::serialize(boost::json::object{{"text", input}}));
    EXPECT_EQ(r.status, 200u) << r.body.substr(0, 200);
    std::vector<std::string> texts;
    auto described = boost::json::parse(r.body);
    for (const auto& f : described.at("fragments").as_array()) texts.emplace_back(f.at("text").as_string());
    return texts;
  };
  auto described = fragments(padded);
  EXPECT_FALSE(described.empty());
  EXPECT_EQ(described, fragments(plain));
  // A large plain text too (no SSML): 5 KB of sentences, every one planned.
  std::string many;
  while (many.size() < 5000) many += "The lamp was lit at 9:30 pm. ";
  EXPECT_EQ(fragments(many).size(), 5000 / std::string("The lamp was lit at 9:30 pm. ").size() + 1);
  EXPECT_EQ(plans_on("compute_pool"), 3);
  EXPECT_EQ(plans_on("network_thread"), 2);
}
