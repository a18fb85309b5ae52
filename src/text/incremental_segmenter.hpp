#pragma once
// Sentences from text that arrives piece by piece (an LLM's tokens): a sentence is released as
// soon as its end is certain (more text follows its final punctuation), and a run without
// punctuation is cut at a clause or word boundary once it grows past a bound, so speech never
// waits on a model that forgot to punctuate.
#include "text/segmenter.hpp"
#include "text/source_map.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::text {

struct incremental_policy {
  std::size_t first_fragment_max_bytes = 120; // the first sentence is cut early at a clause...
  std::size_t min_cut_bytes = 24;             // ...but never into pieces shorter than this
  std::size_t max_pending_bytes = 200;        // an unpunctuated run is cut once it is this long
};

// A released sentence, and the client's text it came from (white space as sent) with that
// text's position in everything pushed so far: word offsets keep counting across messages.
struct released_piece {
  std::string text; // white space collapsed
  std::string raw;
  text_position origin;
};

class incremental_segmenter {
public:
  explicit incremental_segmenter(incremental_policy policy = {}) : policy_(policy) {}

  void push(std::string_view text) { pending_ += text; }
  // Sentences (or cut pieces) whose end is certain, in order; they leave the buffer.
  std::vector<released_piece> take_ready_pieces();
  // Everything still buffered, as if the text ended here.
  std::vector<released_piece> flush_pieces();
  // The same, text only.
  std::vector<std::string> take_ready() { return texts(take_ready_pieces()); }
  std::vector<std::string> flush() { return texts(flush_pieces()); }
  // Drops the buffer (barge-in); positions keep counting past it.
  void clear() {
    consumed_ = consumed_.advanced(pending_);
    pending_.clear();
  }
  std::size_t buffered_bytes() const { return pending_.size(); }

private:
  static std::vector<std::string> texts(std::vector<released_piece> pieces);
  // Releases `sentence`, found at the start of the buffer, and drops its raw text from it.
  void release(std::string sentence, std::vector<released_piece>& out);

  incremental_policy policy_;
  std::string pending_;
  text_position consumed_; // of everything pushed, what has left the buffer
  bool released_any_ = false;
};

} // namespace rtts::text
