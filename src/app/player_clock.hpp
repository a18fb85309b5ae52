#pragma once
// A player's view of a stream, for the listener benchmark: it starts playing `buffer` after the
// first audio arrives and plays in real time; audio that arrives after what it had has run out
// is an underrun (the listener heard a gap), and playing resumes when it arrives.
#include <algorithm>
#include <chrono>

namespace rtts::app {

class player_clock {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using seconds = std::chrono::duration<double>;

  explicit player_clock(seconds buffer) : buffer_(buffer) {}

  // `audio` seconds of audio arrived at `t` (times never go back).
  void arrived(time_point t, seconds audio) {
    if (!started_) {
      started_ = true;
      first_ = t;
      runs_out_ = t + std::chrono::duration_cast<time_point::duration>(buffer_);
    } else if (t > runs_out_) {
      seconds gap = t - runs_out_;
      ++underruns_;
      worst_gap_ = std::max(worst_gap_, gap);
      runs_out_ = t;
    }
    runs_out_ += std::chrono::duration_cast<time_point::duration>(audio);
  }

  bool started() const { return started_; }
  time_point first_audio() const { return first_; }
  unsigned underruns() const { return underruns_; }
  seconds worst_gap() const { return worst_gap_; }

private:
  seconds buffer_;
  bool started_ = false;
  time_point first_{};
  time_point runs_out_{}; // when the audio received so far will have been played
  unsigned underruns_ = 0;
  seconds worst_gap_{0};
};

} // namespace rtts::app
