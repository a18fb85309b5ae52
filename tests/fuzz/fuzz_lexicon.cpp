// The PLS lexicon parser on any bytes: it accepts or refuses, never crashes; an accepted
// lexicon applied to a text keeps every byte of the text accounted for, in order.
#include "fuzz_input.hpp"
#include "ssml/pronunciation_lexicon.hpp"
#include "text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view document(reinterpret_cast<const char*>(data), size);
  auto lexicon = rtts::ssml::parse_lexicon(document, "fuzz");
  if (!lexicon) return 0;
  const std::string text = "The W3C met (RTTS) on 2026-11-29, rtts. " + std::string(lexicon->alias.empty() ? "" : lexicon->alias.begin()->first);
  rtts::ssml::lexicon_set set{*lexicon};
  auto n = rtts::ssml::apply_lexicons(text, lexicon->language, set);
  rtts::fuzz::check(n.has_value(), "a lexicon did not apply to its own language");
  std::size_t in_at = 0, out_at = 0;
  for (const auto& s : n->spans) {
    rtts::fuzz::check(s.in_begin == in_at && s.out_begin == out_at, "spans have a gap or overlap");
    in_at = s.in_end;
    out_at = s.out_end;
  }
  rtts::fuzz::check(in_at == text.size() && out_at == n->text.size(), "spans do not cover input and output");
  return 0;
}
