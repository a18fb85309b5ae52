#include "audio/resampler.hpp"

#include <soxr.h>

#include <cmath>
#include <stdexcept>

namespace rtts::audio {

struct resampler::state {
  soxr_t soxr = nullptr;
  ~state() { if (soxr) soxr_delete(soxr); }
};

resampler::resampler(int input_rate, int output_rate)
    : state_(std::make_unique<state>()), ratio_(static_cast<double>(output_rate) / input_rate) {
  soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
  // No dither: soxr's dither is random, so the same request would differ byte for byte from one
  // run to the next (and 16-bit speech does not need it).
  io.flags |= SOXR_NO_DITHER;
  // HQ keeps speech clean; its ~20 ms delay is paid once per stream, not per chunk.
  soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t err = nullptr;
  state_->soxr = soxr_create(input_rate, output_rate, 1, &err, &io, &quality, nullptr);
  if (err) throw std::runtime_error(std::string("soxr_create: ") + err);
}

resampler::~resampler() = default;

void resampler::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
  std::size_t capacity = static_cast<std::size_t>(std::ceil(in.size() * ratio_)) + 64;
  std::size_t base = out.size();
  out.resize(base + capacity);
  std::size_t done_in = 0, done_out = 0;
  soxr_process(state_->soxr, in.data(), in.size(), &done_in, out.data() + base, capacity, &done_out);
  out.resize(base + done_out);
}

void resampler::finish(std::vector<std::int16_t>& out) {
  for (;;) {
    std::size_t base = out.size(), done_out = 0;
    out.resize(base + 4096);
    soxr_process(state_->soxr, nullptr, 0, nullptr, out.data() + base, 4096, &done_out);
    out.resize(base + done_out);
    if (done_out == 0) break;
  }
}

} // namespace rtts::audio
