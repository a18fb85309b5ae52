// G.711 µ-law and A-law (ITU-T G.711), the telephony encodings: one byte per 8 kHz sample.
#include "audio/g711.hpp"

#include "audio/encoder.hpp"

#include <algorithm>
#include <bit>

namespace rtts::audio {

std::uint8_t mu_law(std::int16_t sample) {
  constexpr int bias = 0x84, clip = 32635;
  int sign = sample < 0 ? 0x80 : 0;
  int magnitude = std::min(sample < 0 ? -static_cast<int>(sample) : static_cast<int>(sample), clip) + bias;
  // Segment = position of the top bit above bit 7 (magnitude is 132..32767 here).
  int segment = std::clamp(static_cast<int>(std::bit_width(static_cast<unsigned>(magnitude))) - 8, 0, 7);
  int mantissa = (magnitude >> (segment + 3)) & 0x0F;
  return static_cast<std::uint8_t>(~(sign | (segment << 4) | mantissa));
}

std::uint8_t a_law(std::int16_t sample) {
  int value = sample >> 3; // A-law works on 13 bits
  int mask = 0xD5;         // even bits inverted; sign bit set for non-negative values
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  if (value > 0xFFF) return static_cast<std::uint8_t>(0x7F ^ mask);
  int segment = std::max(0, static_cast<int>(std::bit_width(static_cast<unsigned>(value))) - 5);
  int mantissa = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
  return static_cast<std::uint8_t>(((segment << 4) | mantissa) ^ mask);
}

namespace {

class g711_encoder final : public encoder {
public:
  explicit g711_encoder(bool mu) : mu_(mu) {}
  std::string header() override { return {}; }
  void encode(std::span<const std::int16_t> samples, std::string& out) override {
    out.reserve(out.size() + samples.size());
    for (auto s : samples) out.push_back(static_cast<char>(mu_ ? mu_law(s) : a_law(s)));
  }
  void finish(std::string&) override {}
  bool heavy() const override { return false; }

private:
  bool mu_;
};

} // namespace

std::unique_ptr<encoder> make_g711_encoder(bool mu_law) { return std::make_unique<g711_encoder>(mu_law); }

} // namespace rtts::audio
