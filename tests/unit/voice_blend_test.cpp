// Blended voice names, as Kokoro-FastAPI and RealtimeTTS write them, and the style-vector mix.
#include "engines/neural/voice_blend.hpp"

#include <gtest/gtest.h>

using namespace rtts::engines::neural;

TEST(VoiceBlend, BothSyntaxesWeightsNormalizedAndTheModelCarriedOver) {
  auto fastapi = parse_blend("kokoro-v1/af_bella(2)+af_sky(1)");
  ASSERT_TRUE(fastapi) << fastapi.error().message;
  ASSERT_EQ(fastapi->size(), 2u);
  EXPECT_EQ((*fastapi)[0].voice, "kokoro-v1/af_bella");
  EXPECT_EQ((*fastapi)[1].voice, "kokoro-v1/af_sky") << "a bare speaker belongs to the model named before it";
  EXPECT_DOUBLE_EQ((*fastapi)[0].weight, 2.0 / 3);
  EXPECT_DOUBLE_EQ((*fastapi)[1].weight, 1.0 / 3);
  auto realtimetts = parse_blend("0.7*kokoro-v1/af_bella + 0.3*other/am_adam");
  ASSERT_TRUE(realtimetts);
  EXPECT_EQ((*realtimetts)[1].voice, "other/am_adam");
  EXPECT_DOUBLE_EQ((*realtimetts)[0].weight, 0.7);
  auto unweighted = parse_blend("m/a+b+c");
  ASSERT_TRUE(unweighted);
  EXPECT_EQ(unweighted->size(), 3u);
  EXPECT_DOUBLE_EQ((*unweighted)[2].weight, 1.0 / 3);
  EXPECT_TRUE(looks_like_blend("a+b"));
  EXPECT_FALSE(looks_like_blend("kokoro-v1/af_bella"));
}

TEST(VoiceBlend, MalformedBlendsSayWhy) {
  for (const char* bad : {"a(0)+b", "a(-1)+b", "a(x)+b", "x*a+b", "a+", "+b", "a(2", "nan*a+b", "1e9*a+b", "a"}) {
    auto r = parse_blend(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "invalid_blend") << bad;
    EXPECT_EQ(r.error().param, "voice");
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
}

TEST(VoiceBlend, StylesMixBlockByBlock) {
  // Three speakers of two values each.
  std::vector<float> all{1, 2, 10, 20, 100, 200};
  auto mixed = mix_styles(all, 3, {{0, 0.5}, {2, 0.5}});
  EXPECT_EQ(mixed, (std::vector<float>{50.5f, 101.0f}));
  EXPECT_EQ(mix_styles(all, 3, {{1, 1.0}}), (std::vector<float>{10, 20}));
}
