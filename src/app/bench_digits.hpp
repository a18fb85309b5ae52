#pragma once
// `rtts bench --digits`: how eSpeak NG reads plain integers in each of its languages. The
// normalizers leave plain integers ("42", "2026") to the engine; this measures whether that is
// right. For every eSpeak voice language that ICU spells, eSpeak's phonemes for the digits are
// compared with its phonemes for ICU's words of the same number: the same phonemes mean eSpeak
// reads the digits as the language's words (CLDR's spelling). Differences are listed for a
// reader of the language to judge (both may be right: "tausend" and "eintausend").
#include <string>
#include <vector>

namespace rtts::app {

struct digit_reading {
  std::string voice, language;
  unsigned agree = 0, total = 0; // numbers whose two readings have the same phonemes
  double similarity = 0;          // mean over the numbers of 1 - phoneme edit distance / length
  std::vector<std::string> differences; // "1000: [[t'aUz@nt]] / eintausend [[aIntaUz@nt]]"
};

// The numbers read (a fixed set: teens, compounds, hundreds, thousands, a year, a million).
const std::vector<long long>& digit_reading_numbers();

// One line per eSpeak voice language ICU has words for (its first voice), in-process.
std::vector<digit_reading> measure_digit_reading();

int bench_digits(bool json);

} // namespace rtts::app
