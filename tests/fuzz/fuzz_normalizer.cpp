// The text normalizer on any valid UTF-8: output stays valid UTF-8, and its spans account for
// every input byte exactly once, in order (nothing dropped, nothing invented): copied spans are
// the input's bytes, rewritten ones cover whole tokens.
#include "fuzz_input.hpp"
#include "text/normalizer.hpp"
#include "text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!rtts::text::is_valid_utf8(input)) return 0;
  auto n = rtts::text::normalize(input);
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
