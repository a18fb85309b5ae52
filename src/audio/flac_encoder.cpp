// FLAC through libFLAC's stream encoder, with no seek callback: STREAMINFO goes out first with
// "total samples unknown", as a stream must, and frames follow as blocks fill.
#include "audio/encoder.hpp"

#include <FLAC/stream_encoder.h>

#include <vector>

namespace rtts::audio {
namespace {

class flac_encoder final : public encoder {
public:
  flac_encoder() : enc_(FLAC__stream_encoder_new()) {}
  ~flac_encoder() override {
    if (enc_) FLAC__stream_encoder_delete(enc_);
  }

  result<void> init(int sample_rate) {
    if (!enc_) return make_error(error_kind::internal, "FLAC encoder allocation failed");
    FLAC__stream_encoder_set_channels(enc_, 1);
    FLAC__stream_encoder_set_bits_per_sample(enc_, 16);
    FLAC__stream_encoder_set_sample_rate(enc_, static_cast<unsigned>(sample_rate));
    FLAC__stream_encoder_set_compression_level(enc_, 5);
    FLAC__stream_encoder_set_blocksize(enc_, 1152); // ~50 ms at 24 kHz: a short wait for the first frame
    FLAC__stream_encoder_set_streamable_subset(enc_, true);
    sink_ = &header_;
    auto status = FLAC__stream_encoder_init_stream(enc_, &flac_encoder::write, nullptr, nullptr, nullptr, this);
    if (status != FLAC__STREAM_ENCODER_INIT_STATUS_OK) return make_error(error_kind::internal, "FLAC encoder init failed");
    return {};
  }

  std::string header() override { return std::move(header_); }

  void encode(std::span<const std::int16_t> samples, std::string& out) override {
    if (samples.empty()) return;
    wide_.assign(samples.begin(), samples.end());
    sink_ = &out;
    FLAC__stream_encoder_process_interleaved(enc_, wide_.data(), static_cast<unsigned>(wide_.size()));
  }

  void finish(std::string& out) override {
    sink_ = &out;
    FLAC__stream_encoder_finish(enc_);
  }

private:
  static FLAC__StreamEncoderWriteStatus write(const FLAC__StreamEncoder*, const FLAC__byte buffer[], size_t bytes, uint32_t,
                                              uint32_t, void* self) {
    static_cast<flac_encoder*>(self)->sink_->append(reinterpret_cast<const char*>(buffer), bytes);
    return FLAC__STREAM_ENCODER_WRITE_STATUS_OK;
  }

  FLAC__StreamEncoder* enc_;
  std::string header_;
  std::string* sink_ = nullptr;
  std::vector<FLAC__int32> wide_;
};

} // namespace

result<std::unique_ptr<encoder>> make_flac_encoder(int sample_rate) {
  auto e = std::make_unique<flac_encoder>();
  if (auto ok = e->init(sample_rate); !ok) return ok.error();
  return std::unique_ptr<encoder>(std::move(e));
}

} // namespace rtts::audio
