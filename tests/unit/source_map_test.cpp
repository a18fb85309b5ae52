// Maps from spoken text back to the client's text: white space collapsed by the segmenter,
// rewrites by the normalizer, and the two composed; positions in code points, UTF-16 and bytes.
#include "text/incremental_segmenter.hpp"
#include "text/source_map.hpp"

#include <gtest/gtest.h>

using namespace rtts::text;

namespace {
std::string_view original(std::string_view raw, const source_map& m, std::size_t b, std::size_t e) {
  auto [ob, oe] = m.origin(b, e);
  return raw.substr(ob, oe - ob);
}
} // namespace

TEST(SourceMap, LocatesCollapsedPieceAcrossWhiteSpaceRuns) {
  std::string raw = "  Hello,\n\n  world.\tNext  one.";
  auto first = locate_collapsed(raw, 0, "Hello, world.");
  ASSERT_TRUE(first.found);
  EXPECT_EQ(original(raw, first.map, 0, 6), "Hello,");
  EXPECT_EQ(original(raw, first.map, 7, 12), "world");
  EXPECT_EQ(raw.substr(first.end), "\tNext  one.");
  auto second = locate_collapsed(raw, first.end, "Next one.");
  ASSERT_TRUE(second.found);
  EXPECT_EQ(original(raw, second.map, 5, 8), "one");
  EXPECT_FALSE(locate_collapsed(raw, 0, "Hello world.").found);
}

TEST(SourceMap, ASpaceTheSplitterInsertedMapsToNothing) {
  std::string raw = "Wait!so";
  auto located = locate_collapsed(raw, 0, "Wait! so");
  ASSERT_TRUE(located.found);
  EXPECT_EQ(original(raw, located.map, 6, 8), "so");
  EXPECT_EQ(located.end, raw.size());
}

TEST(SourceMap, NormalizedDateMapsEveryWordToTheWholeDate) {
  std::string raw = "Due   2026-11-29, ok.";
  auto located = locate_collapsed(raw, 0, "Due 2026-11-29, ok.");
  ASSERT_TRUE(located.found);
  auto n = normalize("Due 2026-11-29, ok.");
  auto map = source_map(n.spans).then(located.map);
  auto twenty = n.text.find("twenty-ninth");
  ASSERT_NE(twenty, std::string::npos);
  EXPECT_EQ(original(raw, map, twenty, twenty + 12), "2026-11-29");
  auto november = n.text.find("November");
  EXPECT_EQ(original(raw, map, november, november + 8), "2026-11-29");
  EXPECT_EQ(original(raw, map, 0, 3), "Due");
  auto ok = n.text.find("ok");
  EXPECT_EQ(original(raw, map, ok, ok + 2), "ok");
  // The date is one unit for word timing.
  bool date_is_a_unit = false;
  for (auto [b, e] : map.units()) date_is_a_unit = date_is_a_unit || (b <= twenty && e >= twenty + 12 && b <= november);
  EXPECT_TRUE(date_is_a_unit);
}

TEST(TextPosition, CountsCodePointsUtf16AndBytes) {
  // "é" is 2 bytes, 1 UTF-16 unit; "😀" is 4 bytes, 2 UTF-16 units (a surrogate pair).
  std::string text = "é😀 x";
  position_counter count(text);
  auto x = count.at(text.find('x'));
  EXPECT_EQ(x.code_points, 3u);
  EXPECT_EQ(x.utf16, 4u);
  EXPECT_EQ(x.utf8, 7u);
  EXPECT_EQ(count.at(2).code_points, 1u); // backwards works too
  position_counter from_base(text, text_position{100, 50, 40});
  EXPECT_EQ(from_base.at(text.size()).in(rtts::offset_unit::code_point), 44u);
  EXPECT_EQ(from_base.at(text.size()).in(rtts::offset_unit::utf16), 55u);
}

TEST(IncrementalSegmenter, ReleasedPiecesKeepCountingAcrossMessages) {
  incremental_segmenter s;
  s.push("Hi  th");
  s.push("ere. ");
  auto first = s.take_ready_pieces();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].text, "Hi there.");
  EXPECT_EQ(first[0].raw, "Hi  there.");
  EXPECT_EQ(first[0].origin.code_points, 0u);
  s.push("Ça va? ");
  auto second = s.flush_pieces();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].raw, "Ça va?");
  EXPECT_EQ(second[0].origin.code_points, 11u);
  EXPECT_EQ(second[0].origin.utf8, 11u);
  s.push("dropped by a cancel");
  s.clear();
  s.push(" Après.");
  auto third = s.flush_pieces();
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].origin.code_points, 18u + 19u + 1u);
  EXPECT_EQ(third[0].origin.utf8, 19u + 19u + 1u);
}
