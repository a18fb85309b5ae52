#include "pitch.hpp"

#include <algorithm>
#include <cmath>

namespace rtts::testing {

double median_f0(const std::vector<std::int16_t>& input, int input_rate) {
  // Speech pitch lives far below 4 kHz: average down to about 8 kHz first (a crude low-pass,
  // enough here) so the search costs a fraction.
  const int step = std::max(1, input_rate / 8000);
  const int sample_rate = input_rate / step;
  std::vector<std::int16_t> samples(input.size() / static_cast<std::size_t>(step));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    int sum = 0;
    for (int k = 0; k < step; ++k) sum += input[i * static_cast<std::size_t>(step) + static_cast<std::size_t>(k)];
    samples[i] = static_cast<std::int16_t>(sum / step);
  }
  const std::size_t frame = static_cast<std::size_t>(sample_rate) * 40 / 1000;
  const std::size_t hop = static_cast<std::size_t>(sample_rate) * 10 / 1000;
  const std::size_t min_lag = static_cast<std::size_t>(sample_rate / 500), max_lag = static_cast<std::size_t>(sample_rate / 45);
  double loudest = 0;
  for (auto s : samples) loudest = std::max(loudest, std::abs(static_cast<double>(s)));
  std::vector<double> f0s;
  for (std::size_t start = 0; start + frame + max_lag <= samples.size(); start += hop) {
    double energy = 0;
    for (std::size_t i = 0; i < frame; ++i) energy += static_cast<double>(samples[start + i]) * samples[start + i];
    if (std::sqrt(energy / static_cast<double>(frame)) < loudest * 0.05) continue; // silence and breath
    double best = 0;
    std::size_t best_lag = 0;
    for (std::size_t lag = min_lag; lag <= max_lag; ++lag) {
      double cross = 0, shifted = 0;
      for (std::size_t i = 0; i < frame; ++i) {
        double b = samples[start + i + lag];
        cross += static_cast<double>(samples[start + i]) * b;
        shifted += b * b;
      }
      double r = cross / std::sqrt(energy * shifted + 1e-9);
      if (r > best) best = r, best_lag = lag;
    }
    if (best > 0.6 && best_lag > 0) f0s.push_back(static_cast<double>(sample_rate) / static_cast<double>(best_lag));
  }
  if (f0s.empty()) return 0;
  std::nth_element(f0s.begin(), f0s.begin() + static_cast<std::ptrdiff_t>(f0s.size() / 2), f0s.end());
  return f0s[f0s.size() / 2];
}

} // namespace rtts::testing
