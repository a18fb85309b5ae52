// The SSML parser and planner on any bytes: never a crash, a hang or an expansion; what it
// accepts maps every spoken byte into the document, places marks inside their text, and plans
// into non-empty valid UTF-8 fragments whose maps stay inside the document.
#include "fuzz_input.hpp"
#include "ssml/ssml_parser.hpp"
#include "synth/ssml_plan.hpp"
#include "text/utf8.hpp"

namespace {

void check_map(const rtts::text::source_map& map, std::size_t text_size, std::size_t doc_size) {
  rtts::fuzz::check(text_size == 0 || map.output_size() == text_size, "the map does not cover the text");
  for (const auto& s : map.spans()) rtts::fuzz::check(s.in_begin <= s.in_end && s.in_end <= doc_size, "a span points outside the document");
}

const rtts::worker::worker_hello& catalogue() {
  static const rtts::worker::worker_hello hello{
      "espeak", 22050, "en-us",
      {{"en-us", "English", "en-us", "male", 0, ""}, {"en-gb", "British", "en-gb", "male", 0, ""}, {"fr-fr", "French", "fr-fr", "male", 0, ""},
       {"mb-us1", "MBROLA", "en-us", "female", 16000, "estimated"}},
      {}};
  return hello;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view doc(reinterpret_cast<const char*>(data), size);
  rtts::ssml::limits limits{4096, 16, 200, 10.0};
  auto runs = rtts::ssml::parse(doc, limits);
  if (!runs) {
    rtts::fuzz::check(!runs.error().message.empty(), "a refusal without a message");
    return 0;
  }
  for (const auto& r : *runs) {
    check_map(r.map, r.text.size(), doc.size());
    rtts::fuzz::check(r.pause_before_s >= 0 && r.pause_before_s <= 10.0 * 200, "a pause out of range");
    for (const auto& m : r.marks) rtts::fuzz::check(m.at <= r.text.size() && m.source_offset < doc.size(), "a mark outside its text");
  }
  rtts::voice_options voice{"espeak", "en-us", 1.0, 1.0, true};
  auto plan = rtts::synth::plan_ssml(doc, voice, catalogue(), {}, limits);
  if (!plan) return 0; // a voice switch it refuses
  for (const auto& f : plan->fragments) {
    rtts::fuzz::check(!f.text.empty() && rtts::text::is_valid_utf8(f.text), "an empty or broken fragment");
    check_map(f.map, f.text.size(), doc.size());
    for (const auto& m : f.marks) rtts::fuzz::check(m.at <= f.text.size(), "a planned mark outside its fragment");
    auto [b, e] = f.map.origin(0, f.text.size());
    rtts::fuzz::check(b <= e && e <= doc.size(), "a fragment's origin is outside the document");
  }
  return 0;
}
