// The text normalizer on any valid UTF-8, in English and in every language ICU spells (the first
// byte picks the language): output stays valid UTF-8, and its spans account for every input
// byte exactly once, in order (nothing dropped, nothing invented): copied spans are the input's
// bytes, rewritten ones cover whole tokens.
#include "fuzz_input.hpp"
#include "text/normalizer.hpp"
#include "text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view languages[] = {"en", "de", "fr", "es", "it", "nl", "pt", "pl", "ru"};
  if (size == 0) return 0;
  std::string_view language = languages[data[0] % std::size(languages)];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!rtts::text::is_valid_utf8(input)) return 0;
  auto normalized = rtts::text::normalize_in(input, language);
  rtts::fuzz::check(normalized.has_value(), "a language with rules gave none");
  auto& n = *normalized;
  rtts::fuzz::check(rtts::text::is_valid_utf8(n.text), "output is not valid UTF-8");
  std::size_t in_at = 0, out_at = 0;
  for (const auto& s : n.spans) {
    rtts::fuzz::check(s.in_begin == in_at && s.out_begin == out_at, "spans have a gap or overlap");
    rtts::fuzz::check(s.in_end > s.in_begin && s.out_end > s.out_begin, "empty span");
    if (!s.rewritten)
      rtts::fuzz::check(n.text.compare(s.out_begin, s.out_end - s.out_begin, input.substr(s.in_begin, s.in_end - s.in_begin)) == 0,
                        "a copied span changed");
    in_at = s.in_end;
    out_at = s.out_end;
  }
  rtts::fuzz::check(in_at == input.size() && out_at == n.text.size(), "spans do not cover input and output");
  return 0;
}
