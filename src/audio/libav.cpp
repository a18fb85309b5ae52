#include "audio/libav.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace rtts::audio {
namespace {

template <class F> bool bind(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  return out != nullptr;
}

const libav_api* load() {
  static libav_api api;
  // The sonames this build's headers describe, e.g. libavcodec.so.59 on Debian 12.
  std::string codec_name = "libavcodec.so." + std::to_string(LIBAVCODEC_VERSION_MAJOR);
  std::string util_name = "libavutil.so." + std::to_string(LIBAVUTIL_VERSION_MAJOR);
  void* codec = ::dlopen(codec_name.c_str(), RTLD_NOW | RTLD_LOCAL);
  void* util = ::dlopen(util_name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!codec || !util) return nullptr;
  bool ok = bind(codec, "avcodec_find_encoder", api.avcodec_find_encoder) &&
            bind(codec, "avcodec_alloc_context3", api.avcodec_alloc_context3) && bind(codec, "avcodec_open2", api.avcodec_open2) &&
            bind(codec, "avcodec_send_frame", api.avcodec_send_frame) &&
            bind(codec, "avcodec_receive_packet", api.avcodec_receive_packet) &&
            bind(codec, "avcodec_free_context", api.avcodec_free_context) && bind(codec, "av_packet_alloc", api.av_packet_alloc) &&
            bind(codec, "av_packet_free", api.av_packet_free) && bind(codec, "av_packet_unref", api.av_packet_unref) &&
            bind(util, "av_channel_layout_default", api.av_channel_layout_default) &&
            bind(util, "av_channel_layout_copy", api.av_channel_layout_copy) && bind(util, "av_frame_alloc", api.av_frame_alloc) &&
            bind(util, "av_frame_free", api.av_frame_free) && bind(util, "av_frame_get_buffer", api.av_frame_get_buffer) &&
            bind(util, "av_frame_make_writable", api.av_frame_make_writable) && bind(util, "av_opt_set", api.av_opt_set);
  return ok ? &api : nullptr;
}

} // namespace

const libav_api* libav() {
  static const libav_api* api = load(); // C++ guarantees one thread-safe initialisation
  return api;
}

} // namespace rtts::audio
