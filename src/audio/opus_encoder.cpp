// Ogg Opus through libopusenc's pull API: pages come out as soon as they are full or after at
// most 100 ms of audio, so the stream plays while it is produced.
#include "audio/encoder.hpp"

#include <opus/opusenc.h>

namespace rtts::audio {
namespace {

class opus_encoder final : public encoder {
public:
  opus_encoder(OggOpusComments* comments, OggOpusEnc* enc) : comments_(comments), enc_(enc) {}
  ~opus_encoder() override {
    ope_encoder_destroy(enc_);
    ope_comments_destroy(comments_);
  }

  std::string header() override {
    ope_encoder_flush_header(enc_);
    std::string out;
    take_pages(out, true);
    return out;
  }

  void encode(std::span<const std::int16_t> samples, std::string& out) override {
    if (samples.empty()) return;
    ope_encoder_write(enc_, samples.data(), static_cast<int>(samples.size()));
    take_pages(out, false);
  }

  void finish(std::string& out) override {
    ope_encoder_drain(enc_);
    take_pages(out, true);
  }

private:
  void take_pages(std::string& out, bool flush) {
    unsigned char* page = nullptr;
    opus_int32 length = 0;
    while (ope_encoder_get_page(enc_, &page, &length, flush ? 1 : 0))
      out.append(reinterpret_cast<const char*>(page), static_cast<std::size_t>(length));
  }

  OggOpusComments* comments_;
  OggOpusEnc* enc_;
};

} // namespace

result<std::unique_ptr<encoder>> make_opus_encoder(int sample_rate) {
  OggOpusComments* comments = ope_comments_create();
  ope_comments_add(comments, "ENCODER", "rtts");
  int err = 0;
  OggOpusEnc* enc = ope_encoder_create_pull(comments, sample_rate, 1, 0, &err);
  if (!enc) {
    ope_comments_destroy(comments);
    return make_error(error_kind::internal, std::string("opus encoder: ") + ope_strerror(err));
  }
  // Defaults are tuned for files (2 s look-ahead, 1 s pages); a live stream wants neither.
  ope_encoder_ctl(enc, OPE_SET_DECISION_DELAY(0));
  ope_encoder_ctl(enc, OPE_SET_MUXING_DELAY(4800)); // 100 ms at 48 kHz
  ope_encoder_ctl(enc, OPE_SET_COMMENT_PADDING(0));
  ope_encoder_ctl(enc, OPUS_SET_BITRATE(32000));
  ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
  // Complexity 5 of 10: about twice the speed of the default for speech that sounds the same
  // at 32 kbit/s; encoding must never be what limits the number of streams.
  ope_encoder_ctl(enc, OPUS_SET_COMPLEXITY(5));
  return std::unique_ptr<encoder>(new opus_encoder(comments, enc));
}

} // namespace rtts::audio
