#pragma once
// Admission by real-time capacity: can earliest-deadline-first scheduling keep every stream
// ahead of its listener? Each stream needs `cost` seconds of one worker per second of audio
// (measured), has `seconds_left` of audio to make, and its listener needs the next of it in
// `lead` seconds. By time T, a stream must have made min(seconds_left, T - lead) more seconds of
// audio; the streams fit when that work, summed, never exceeds what the workers do by T
// (capacity x T) — the demand-bound test of EDF scheduling, checked where its slope changes.
// Short utterances ask for little (a burst of them fits), long listeners ask for their cost
// every second (a steady limit), and streams already far ahead ask for nothing until later.
#include <vector>

namespace rtts::synth {

struct stream_demand {
  double cost = 0;         // worker-seconds per second of audio
  double seconds_left = 0; // audio still to make
  double lead = 0;         // seconds until its listener needs more (0: now, or late)
};

// `capacity`: worker-seconds per second the streams may use. `first_jobs`: worker-seconds of
// new streams' first jobs, which the scheduler serves before the others' next fragments (their
// deadline is the moment they were asked for): work done first, with no deadline of its own (a
// slow first audio is a wait, not a gap in what a listener hears).
bool fits_in_real_time(const std::vector<stream_demand>& streams, double capacity, double first_jobs = 0);

// With `added` refused: after how many seconds it would fit, if the others were made at their
// share of the workers (at least real time) and so finished, the soonest first. At least 1.
double seconds_until_it_fits(std::vector<stream_demand> others, const stream_demand& added, double capacity, double first_jobs);

} // namespace rtts::synth
