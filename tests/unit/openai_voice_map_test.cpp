// The OpenAI voice names follow the installed voices: neural English voices, best first, when
// there are any; eSpeak NG's accents otherwise; what --openai-voice set, always.
#include "api/openai_voice_map.hpp"

#include <gtest/gtest.h>

using namespace rtts;

namespace {

worker::worker_hello engine(const std::string& name, std::vector<std::pair<std::string, std::string>> voices) {
  worker::worker_hello h;
  h.engine = name;
  for (auto& [id, language] : voices) {
    engines::voice_info v;
    v.id = id;
    v.language = language;
    h.voices.push_back(v);
  }
  return h;
}

std::vector<const worker::worker_hello*> views(const std::vector<worker::worker_hello>& engines) {
  std::vector<const worker::worker_hello*> out;
  for (const auto& e : engines) out.push_back(&e);
  return out;
}

} // namespace

TEST(OpenAiVoiceMap, WithoutNeuralEnglishVoicesTheESpeakAccents) {
  server_config config;
  std::vector<worker::worker_hello> engines{engine("espeak", {{"en-us", "en-us"}}), engine("piper", {{"de_DE-thorsten-medium", "de-de"}})};
  auto map = api::openai_voice_map(config, views(engines));
  EXPECT_EQ(map, config.openai_voices);
}

TEST(OpenAiVoiceMap, NeuralEnglishVoicesBestFirstOneNameEach) {
  server_config config;
  std::vector<worker::worker_hello> engines{
      engine("espeak", {{"en-us", "en-us"}}),
      engine("piper", {{"en_US-amy-low", "en-us"}, {"en_US-lessac-high", "en-us"}, {"de_DE-thorsten-medium", "de-de"}}),
      engine("kokoro", {{"kokoro-en/af_bella", "en-us"}}),
  };
  auto map = api::openai_voice_map(config, views(engines));
  // Names in alphabetical order take the voices in order of rank, then round again.
  EXPECT_EQ(map.at("alloy"), "kokoro:kokoro-en/af_bella");
  EXPECT_EQ(map.at("ash"), "piper:en_US-lessac-high");
  EXPECT_EQ(map.at("ballad"), "piper:en_US-amy-low");
  EXPECT_EQ(map.at("cedar"), "kokoro:kokoro-en/af_bella");
  for (const auto& [name, target] : map) EXPECT_EQ(target.find("thorsten"), std::string::npos) << name << ": English voices only";
  // A name the operator set stays as set.
  config.openai_voices["alloy"] = "espeak:en-us";
  config.openai_voices_configured.insert("alloy");
  map = api::openai_voice_map(config, views(engines));
  EXPECT_EQ(map.at("alloy"), "espeak:en-us");
  EXPECT_EQ(map.at("ash"), "kokoro:kokoro-en/af_bella");
}
