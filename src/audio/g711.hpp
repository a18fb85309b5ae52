#pragma once
// G.711 companding of one 16-bit sample (exposed for tests).
#include <cstdint>

namespace rtts::audio {

std::uint8_t mu_law(std::int16_t sample);
std::uint8_t a_law(std::int16_t sample);

} // namespace rtts::audio
