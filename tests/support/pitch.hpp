#pragma once
// The pitch of speech, measured the way a listener hears it: the median fundamental frequency
// of its voiced frames. Tests use it to check that a pitch setting moves the voice the right way
// (two renderings merely differing proves nothing: eSpeak NG and Flite slt differ from call to
// call on their own).
#include <cstdint>
#include <vector>

namespace rtts::testing {

// Median F0 in Hz over 40 ms frames (10 ms apart) that are loud and periodic (normalized
// autocorrelation peak above 0.6 between 45 and 500 Hz); 0 if no frame is voiced.
double median_f0(const std::vector<std::int16_t>& samples, int sample_rate);

} // namespace rtts::testing
