#pragma once
// libavcodec, loaded on first use with dlopen. Linking it would map ~70 codec libraries into
// every rtts process at start-up (measured: +12 MB RSS per process, 14 -> 45 ms start-up), for a
// format most clients never ask for; loading it lazily costs that once, in the server only.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace rtts::audio {

struct libav_api {
  decltype(&::avcodec_find_encoder) avcodec_find_encoder;
  decltype(&::avcodec_alloc_context3) avcodec_alloc_context3;
  decltype(&::avcodec_open2) avcodec_open2;
  decltype(&::avcodec_send_frame) avcodec_send_frame;
  decltype(&::avcodec_receive_packet) avcodec_receive_packet;
  decltype(&::avcodec_free_context) avcodec_free_context;
  decltype(&::av_packet_alloc) av_packet_alloc;
  decltype(&::av_packet_free) av_packet_free;
  decltype(&::av_packet_unref) av_packet_unref;
  decltype(&::av_channel_layout_default) av_channel_layout_default;
  decltype(&::av_channel_layout_copy) av_channel_layout_copy;
  decltype(&::av_frame_alloc) av_frame_alloc;
  decltype(&::av_frame_free) av_frame_free;
  decltype(&::av_frame_get_buffer) av_frame_get_buffer;
  decltype(&::av_frame_make_writable) av_frame_make_writable;
  decltype(&::av_opt_set) av_opt_set;
};

// The loaded API, or nullptr if the libraries are not installed. Thread-safe; loads once.
const libav_api* libav();

} // namespace rtts::audio
