#include "text/source_map.hpp"

#include "core/ascii.hpp"

#include <algorithm>

namespace rtts::text {
namespace {


// The span holding output byte `at` (the last one for at == output size).
std::size_t span_index(const std::vector<text_span>& spans, std::size_t at) {
  auto it = std::upper_bound(spans.begin(), spans.end(), at, [](std::size_t v, const text_span& s) { return v < s.out_end; });
  return it == spans.end() ? spans.size() - 1 : static_cast<std::size_t>(it - spans.begin());
}

// Original range of output bytes [b, e) that all lie in span s.
std::pair<std::size_t, std::size_t> within(const text_span& s, std::size_t b, std::size_t e) {
  if (s.rewritten) return {s.in_begin, s.in_end};
  return {s.in_begin + (b - s.out_begin), s.in_begin + (e - s.out_begin)};
}

void add_span(std::vector<text_span>& out, text_span s) {
  // Neighbouring copied spans that continue each other are one span.
  if (!out.empty() && !s.rewritten && !out.back().rewritten && out.back().out_end == s.out_begin && out.back().in_end == s.in_begin) {
    out.back().out_end = s.out_end;
    out.back().in_end = s.in_end;
    return;
  }
  out.push_back(s);
}

} // namespace

source_map source_map::identity(std::size_t length, std::size_t base) {
  if (length == 0) return {};
  return source_map({text_span{0, length, base, base + length, false}});
}

std::pair<std::size_t, std::size_t> source_map::origin(std::size_t begin, std::size_t end) const {
  if (spans_.empty()) return {0, 0};
  end = std::max(end, begin + 1);
  const auto& first = spans_[span_index(spans_, begin)];
  const auto& last = spans_[span_index(spans_, end - 1)];
  auto b = within(first, std::min(begin, first.out_end - 1), std::min(begin, first.out_end - 1) + 1).first;
  auto e = within(last, std::min(end - 1, last.out_end - 1), std::min(end, last.out_end)).second;
  return {b, std::max(b, e)};
}

source_map source_map::then(const source_map& outer) const {
  std::vector<text_span> out;
  if (outer.spans_.empty()) return {};
  for (const auto& s : spans_) {
    if (s.in_end <= s.in_begin || s.rewritten) {
      // A rewrite (or an insertion) stays one unit over all the original it reaches.
      auto [b, e] = s.in_end > s.in_begin ? outer.origin(s.in_begin, s.in_end) : outer.origin(s.in_begin, s.in_begin + 1);
      if (s.in_end <= s.in_begin) e = b;
      add_span(out, {s.out_begin, s.out_end, b, e, true});
      continue;
    }
    // A copy: follow the outer spans piece by piece.
    for (std::size_t i = span_index(outer.spans_, s.in_begin); i < outer.spans_.size(); ++i) {
      const auto& o = outer.spans_[i];
      if (o.out_begin >= s.in_end) break;
      std::size_t b = std::max(o.out_begin, s.in_begin), e = std::min(o.out_end, s.in_end);
      if (b >= e) continue;
      auto [ob, oe] = within(o, b, e);
      add_span(out, {s.out_begin + (b - s.in_begin), s.out_begin + (e - s.in_begin), ob, oe, o.rewritten});
    }
  }
  return source_map(std::move(out));
}

void source_map::append(const text_span& span) { add_span(spans_, span); }

std::vector<std::pair<std::size_t, std::size_t>> source_map::units() const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& s : spans_)
    if (s.rewritten && s.out_end > s.out_begin) out.emplace_back(s.out_begin, s.out_end);
  return out;
}

located_piece locate_collapsed(std::string_view raw, std::size_t from, std::string_view piece) {
  located_piece result;
  std::vector<text_span> spans;
  std::size_t r = from;
  while (r < raw.size() && is_ascii_space(raw[r])) ++r;
  for (std::size_t p = 0; p < piece.size();) {
    if (piece[p] == ' ') {
      // One space stands for a run of white space in the raw text, or for none: the sentence
      // splitter joins "Wait!so" back as "Wait! so".
      std::size_t b = r;
      while (r < raw.size() && is_ascii_space(raw[r])) ++r;
      add_span(spans, {p, p + 1, b, r, r - b != 1 || raw[b] != ' '});
      ++p;
      continue;
    }
    std::size_t run = p;
    while (run < piece.size() && piece[run] != ' ') ++run;
    std::size_t n = run - p;
    if (raw.substr(r, n) != piece.substr(p, n)) return result;
    add_span(spans, {p, run, r, r + n, false});
    r += n;
    p = run;
  }
  result.map = source_map(std::move(spans));
  result.end = r;
  result.found = true;
  return result;
}

text_position text_position::advanced(std::string_view text) const {
  text_position p = *this;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;
    ++p.code_points;
    p.utf16 += c >= 0xF0 ? 2 : 1; // four-byte sequences are surrogate pairs in UTF-16
  }
  p.utf8 += text.size();
  return p;
}

text_position position_counter::at(std::size_t byte) {
  byte = std::min(byte, text_.size());
  if (byte < byte_) {
    byte_ = 0;
    at_ = base_;
  }
  at_ = at_.advanced(text_.substr(byte_, byte - byte_));
  byte_ = byte;
  return at_;
}

} // namespace rtts::text
