// The pool's admission by real-time capacity and the measurements it rests on: each voice's
// speed (audio seconds per wall second, audio per character) and the price of a first job, from
// the jobs themselves (see engine_pool.hpp and synth/realtime_admission.hpp).
#include "synth/engine_pool.hpp"

#include "metrics/registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rtts::synth {

// Recent jobs weigh most (the machine's load changes): each job's weight fades by 1 % per job
// after it, so the last ~100 jobs make the figure.
constexpr double fade = 0.99;

bool engine_pool::still_synthesizing(const std::weak_ptr<speech_stream>& w) {
  auto s = w.lock();
  return s && !s->cancelled() && s->unsynthesized_chars() > 0;
}

double engine_pool::cost_of(const std::string& voice) const {
  if (auto it = speeds_.find(voice); it != speeds_.end() && it->second.audio_per_second() > 0) return 1 / it->second.audio_per_second();
  double sum = 0;
  for (const auto& [id, speed] : speeds_) sum += speed.audio_per_second() > 0 ? 1 / speed.audio_per_second() : 0;
  return speeds_.empty() ? 0 : sum / static_cast<double>(speeds_.size());
}

std::vector<stream_demand> engine_pool::in_synthesis() const {
  std::vector<stream_demand> out;
  auto now = std::chrono::steady_clock::now();
  for (const auto& w : in_synthesis_) {
    if (!still_synthesizing(w)) continue;
    auto s = w.lock();
    const auto& voice = s->voice().voice;
    if (!s->has_audio()) { // its first fragment is queued or in synthesis: no listener yet
      out.push_back(not_yet_begun(voice, s->unsynthesized_chars(), s->first_fragment_chars()));
      continue;
    }
    double lead = std::chrono::duration<double>(s->playback_deadline() - now).count();
    out.push_back({cost_of(voice), static_cast<double>(s->unsynthesized_chars()) * audio_per_char(voice), std::max(0.0, lead)});
  }
  return out;
}

stream_demand engine_pool::not_yet_begun(const std::string& voice, std::size_t chars, std::size_t first_chars) const {
  // Its first fragment is the price of starting it (first_job_work); its listener needs the rest
  // once that fragment and the listener's buffer have played.
  double per_char = audio_per_char(voice);
  first_chars = std::min(first_chars, chars);
  return {cost_of(voice), static_cast<double>(chars - first_chars) * per_char,
          static_cast<double>(first_chars) * per_char + std::chrono::duration<double>(settings_.listener_buffer).count()};
}

double engine_pool::first_job_work() const { return first_jobs_ > 0 ? first_job_wall_s_ / first_jobs_ : 0; }

double engine_pool::audio_per_char(const std::string& voice) const {
  if (auto it = speeds_.find(voice); it != speeds_.end() && it->second.audio_per_char() > 0) return it->second.audio_per_char();
  double sum = 0, n = 0;
  for (const auto& [id, speed] : speeds_)
    if (speed.audio_per_char() > 0) sum += speed.audio_per_char(), ++n;
  return n > 0 ? sum / n : 0;
}

result<void> engine_pool::admit(const std::string& voice, std::size_t chars, std::size_t first_chars, double load) const {
  if (load <= 0 || cost_of(voice) <= 0) return {}; // off, or nothing measured yet: the first streams teach us
  auto streams = in_synthesis();
  if (streams.empty()) return {}; // alone, a stream is served as fast as the engine goes
  // The first jobs still to run (new streams', this one's included) are done before the others'
  // next fragments: each costs what first jobs cost, one short fragment with the whole price of a job.
  std::size_t waiting_to_begin = 1;
  for (const auto& w : in_synthesis_)
    if (auto s = w.lock(); s && still_synthesizing(w) && !s->has_begun()) ++waiting_to_begin;
  double first_jobs = static_cast<double>(waiting_to_begin) * first_job_work();
  auto added = not_yet_begun(voice, chars, first_chars);
  double ready = static_cast<double>(std::count_if(workers_.begin(), workers_.end(), [](const auto& w) { return w && w->ready(); }));
  double capacity = ready * load;
  auto with_it = streams;
  with_it.push_back(added);
  if (fits_in_real_time(with_it, capacity, first_jobs)) return {};
  metrics::global().admission_refusals.inc({settings_.engine});
  auto e = make_error(error_kind::overloaded,
                      "the " + settings_.engine + " engine is at its real-time capacity (" + std::to_string(*in_flight_) +
                          " streams); try again in a moment",
                      "over_capacity");
  e.retry_after_s = static_cast<unsigned>(std::clamp(std::ceil(seconds_until_it_fits(std::move(streams), added, capacity, first_jobs)), 1.0, 600.0));
  return e;
}

void engine_pool::measure(const job& j) {
  if (j.loaded_voice || j.samples == 0 || j.chars == 0) return;
  double audio = static_cast<double>(j.samples) / info_.rate_of(j.voice);
  double wall = j.earlier_slices_s + std::chrono::duration<double>(std::chrono::steady_clock::now() - j.started).count();
  if (wall <= 0) return;
  if (j.first_of_stream) measure_first_job(wall);
  auto& speed = speeds_[j.voice];
  speed.audio_s = speed.audio_s * fade + audio;
  speed.wall_s = speed.wall_s * fade + wall;
  speed.chars = speed.chars * fade + static_cast<double>(j.chars);
}

void engine_pool::measure_first_job(double wall_s) {
  first_job_wall_s_ = first_job_wall_s_ * fade + wall_s;
  first_jobs_ = first_jobs_ * fade + 1;
}

void engine_pool::log_lateness(const speech_stream& s) const {
  if (s.deadline_misses() == 0) return;
  std::fprintf(stderr, "rtts: a %s stream (voice %s) ran late: %u time%s its audio began or went on after a real-time listener's audio ran out, at worst by %.0f ms\n",
               settings_.engine.c_str(), s.voice().voice.c_str(), s.deadline_misses(), s.deadline_misses() == 1 ? "" : "s", s.worst_lateness_s() * 1000);
}

} // namespace rtts::synth
