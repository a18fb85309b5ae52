#include "synth/realtime_admission.hpp"

#include <algorithm>
#include <utility>

namespace rtts::synth {

bool fits_in_real_time(const std::vector<stream_demand>& streams, double capacity, double first_jobs) {
  // Where the work due grows (a stream's listener starts needing audio) and stops growing (its
  // audio is all due): between these points both sides are straight lines.
  std::vector<std::pair<double, double>> slope_changes; // (time, change of slope)
  slope_changes.reserve(2 * streams.size());
  for (const auto& s : streams) {
    if (s.cost <= 0 || s.seconds_left <= 0) continue;
    double from = std::max(0.0, s.lead);
    slope_changes.emplace_back(from, s.cost);
    slope_changes.emplace_back(from + s.seconds_left, -s.cost);
  }
  std::sort(slope_changes.begin(), slope_changes.end());
  double due = first_jobs, slope = 0, t = 0;
  constexpr double tolerance = 1e-9;
  for (const auto& [at, change] : slope_changes) {
    due += slope * (at - t);
    t = at;
    // At 0 nothing can be done yet: a stream due right now is at its limit already, and the
    // check where its audio is all due covers it.
    if (t > 0 && due > capacity * t + tolerance) return false;
    slope += change;
  }
  return true; // after the last change nothing more is due
}

double seconds_until_it_fits(std::vector<stream_demand> others, const stream_demand& added, double capacity, double first_jobs) {
  // Each of the others is made at its share of the workers, but never slower than real time
  // (admission promised it that), so it is done after seconds_left / rate.
  double total_cost = 0;
  for (const auto& s : others) total_cost += s.cost;
  auto done_after = [&](const stream_demand& s) {
    double share = total_cost > 0 ? capacity / total_cost : 1; // audio seconds per second each
    return s.seconds_left / std::max(1.0, share);
  };
  std::sort(others.begin(), others.end(), [&](const auto& a, const auto& b) { return done_after(a) < done_after(b); });
  // Fitting only gets easier as streams finish: find the fewest finished that make room.
  auto fits_without_first = [&](std::size_t finished) {
    std::vector<stream_demand> rest(others.begin() + static_cast<std::ptrdiff_t>(finished), others.end());
    rest.push_back(added);
    return fits_in_real_time(rest, capacity, first_jobs);
  };
  std::size_t lo = 0, hi = others.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (fits_without_first(mid)) hi = mid;
    else lo = mid + 1;
  }
  double wait = lo == 0 ? 0 : done_after(others[lo - 1]);
  return std::max(1.0, wait);
}

} // namespace rtts::synth
