#pragma once
// Sentences from text that arrives piece by piece (an LLM's tokens): a sentence is released as
// soon as its end is certain (more text follows its final punctuation), and a run without
// punctuation is cut at a clause or word boundary once it grows past a bound, so speech never
// waits on a model that forgot to punctuate.
#include "text/segmenter.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::text {

struct incremental_policy {
  std::size_t first_fragment_max_bytes = 120; // the first sentence is cut early at a clause...
  std::size_t min_cut_bytes = 24;             // ...but never into pieces shorter than this
  std::size_t max_pending_bytes = 200;        // an unpunctuated run is cut once it is this long
};

class incremental_segmenter {
public:
  explicit incremental_segmenter(incremental_policy policy = {}) : policy_(policy) {}

  void push(std::string_view text) { pending_ += text; }
  // Sentences (or cut pieces) whose end is certain, in order; they leave the buffer.
  std::vector<std::string> take_ready();
  // Everything still buffered, as if the text ended here.
  std::vector<std::string> flush();
  // Drops the buffer (barge-in).
  void clear() { pending_.clear(); }
  std::size_t buffered_bytes() const { return pending_.size(); }

private:
  incremental_policy policy_;
  std::string pending_;
  bool released_any_ = false;
};

} // namespace rtts::text
