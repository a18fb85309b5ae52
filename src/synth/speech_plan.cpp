#include "synth/speech_plan.hpp"

#include "text/normalizer.hpp"

#include <algorithm>
#include <utility>

namespace rtts::synth {

namespace {

// The first byte of a map's output whose source is at or after `at` (the output's size if none).
std::size_t output_position(const text::source_map& map, std::size_t output_size, std::size_t at) {
  for (const auto& s : map.spans())
    if (s.in_end > at) return s.rewritten || at <= s.in_begin ? s.out_begin : s.out_begin + (at - s.in_begin);
  return output_size;
}

} // namespace

speech_plan plan_runs(std::vector<text_run> runs, std::shared_ptr<const std::string> source, bool normalize,
                      const text::segmenter_policy& policy, const ssml::lexicon_set* lexicons, const std::vector<std::string>* lexicon_names) {
  speech_plan plan;
  plan.source = std::move(source);
  double pause = 0;                 // pauses and marks waiting for the next fragment
  std::vector<planned_mark> waiting;
  for (auto& run : runs) {
    // A pause starts here: marks before it are said before it.
    if (run.settings.pause_before_s > 0 && !waiting.empty() && pause == 0)
      for (auto& m : waiting) m.before_pause = true;
    pause += run.settings.pause_before_s;
    std::vector<planned_mark> run_marks = std::move(run.settings.marks); // `at` = byte of run.text
    std::size_t from = 0, next_mark = 0;
    for (auto& piece : text::split_into_fragments(run.text, policy)) {
      auto located = text::locate_collapsed(run.text, from, piece);
      if (!located.found) continue; // cannot happen: the segmenter only collapses (or inserts) white space
      std::size_t piece_from = from;
      from = located.end;
      speech_fragment f;
      static_cast<fragment_settings&>(f) = run.settings;
      f.pause_before_s = std::exchange(pause, 0.0);
      f.marks = std::exchange(waiting, {});
      for (auto& m : f.marks) m.at = 0;
      std::vector<std::size_t> mark_in_piece;
      for (; next_mark < run_marks.size() && run_marks[next_mark].at < located.end; ++next_mark) {
        mark_in_piece.push_back(output_position(located.map, piece.size(), run_marks[next_mark].at));
        f.marks.push_back(std::move(run_marks[next_mark]));
      }
      // SSML <phoneme> words of this piece (a word the segmenter cut in two is read as written).
      for (const auto& p : run.phonemes)
        if (p.begin >= piece_from && p.end <= located.end)
          f.phonemes.push_back({output_position(located.map, piece.size(), p.begin), output_position(located.map, piece.size(), p.end), p.ipa});
      f.map = located.map.then(run.map);
      f.written = piece;
      f.text = std::move(piece);
      // A rewrite of the fragment's text: its map goes in front, marks and phoneme words move
      // with their words.
      auto rewritten = [&](text::normalized_text n) {
        text::source_map to_piece(std::move(n.spans));
        for (std::size_t i = 0; i < mark_in_piece.size(); ++i) mark_in_piece[i] = output_position(to_piece, n.text.size(), mark_in_piece[i]);
        for (auto& p : f.phonemes) {
          p.begin = output_position(to_piece, n.text.size(), p.begin);
          p.end = output_position(to_piece, n.text.size(), p.end);
        }
        f.map = to_piece.then(f.map);
        f.text = std::move(n.text);
      };
      // The operator's lexicons first (an alias may hold numbers the normalizer then reads).
      if (normalize && lexicons) {
        std::vector<phoneme_span> listed; // bytes of the text before the aliases
        if (auto respelled = ssml::apply_lexicons(f.text, f.language, *lexicons, &listed, lexicon_names)) {
          // A word with an SSML <phoneme> keeps it: the document is more specific than the lexicon.
          std::erase_if(listed, [&](const phoneme_span& l) {
            return std::any_of(f.phonemes.begin(), f.phonemes.end(), [&](const phoneme_span& p) { return l.begin < p.end && p.begin < l.end; });
          });
          f.phonemes.insert(f.phonemes.end(), listed.begin(), listed.end());
          std::sort(f.phonemes.begin(), f.phonemes.end(), [](const phoneme_span& a, const phoneme_span& b) { return a.begin < b.begin; });
          rewritten(std::move(*respelled));
        }
      }
      if (auto normalized = normalize ? text::normalize_in(f.text, f.language) : std::nullopt) rewritten(std::move(*normalized));
      std::erase_if(f.phonemes, [](const phoneme_span& p) { return p.end <= p.begin; });
      for (std::size_t i = 0; i < mark_in_piece.size(); ++i) f.marks[f.marks.size() - mark_in_piece.size() + i].at = mark_in_piece[i];
      plan.fragments.push_back(std::move(f));
    }
    // Marks after the run's last word: at the end of what was said last, unless a pause came
    // since (then they open the next fragment).
    for (; next_mark < run_marks.size(); ++next_mark) {
      if (!plan.fragments.empty() && pause == 0 && waiting.empty()) {
        run_marks[next_mark].at = plan.fragments.back().text.size();
        plan.fragments.back().marks.push_back(std::move(run_marks[next_mark]));
      } else {
        waiting.push_back(std::move(run_marks[next_mark]));
      }
    }
  }
  plan.pause_after_s = pause;
  plan.trailing_marks = std::move(waiting);
  return plan;
}

speech_plan plan_text(std::string_view text, bool normalize, const text::segmenter_policy& policy, std::string_view language,
                      const ssml::lexicon_set* lexicons) {
  auto source = std::make_shared<const std::string>(text);
  std::vector<text_run> runs;
  runs.push_back({std::string(text), text::source_map::identity(text.size()), {}, {}});
  runs.back().settings.language = std::string(language);
  return plan_runs(std::move(runs), std::move(source), normalize, policy, lexicons);
}

} // namespace rtts::synth
