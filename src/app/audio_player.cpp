#include "app/audio_player.hpp"

#include <portaudio.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>

namespace rtts::app {
namespace {

struct portaudio_api {
  decltype(&::Pa_Initialize) initialize;
  decltype(&::Pa_Terminate) terminate;
  decltype(&::Pa_GetDefaultOutputDevice) default_output;
  decltype(&::Pa_OpenDefaultStream) open_default_stream;
  decltype(&::Pa_StartStream) start_stream;
  decltype(&::Pa_WriteStream) write_stream;
  decltype(&::Pa_StopStream) stop_stream;
  decltype(&::Pa_CloseStream) close_stream;
  decltype(&::Pa_GetErrorText) error_text;
};

template <class F> bool bind(void* lib, const char* name, F& out) {
  out = reinterpret_cast<F>(::dlsym(lib, name));
  return out != nullptr;
}

const portaudio_api* portaudio() {
  static const portaudio_api* api = []() -> const portaudio_api* {
    static portaudio_api a;
    void* lib = ::dlopen("libportaudio.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return nullptr;
    bool ok = bind(lib, "Pa_Initialize", a.initialize) && bind(lib, "Pa_Terminate", a.terminate) &&
              bind(lib, "Pa_GetDefaultOutputDevice", a.default_output) && bind(lib, "Pa_OpenDefaultStream", a.open_default_stream) &&
              bind(lib, "Pa_StartStream", a.start_stream) && bind(lib, "Pa_WriteStream", a.write_stream) &&
              bind(lib, "Pa_StopStream", a.stop_stream) && bind(lib, "Pa_CloseStream", a.close_stream) &&
              bind(lib, "Pa_GetErrorText", a.error_text);
    return ok ? &a : nullptr;
  }();
  return api;
}

} // namespace

struct audio_player::impl {
  const portaudio_api* pa = nullptr;
  PaStream* stream = nullptr;
};

audio_player::audio_player(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

audio_player::~audio_player() {
  if (impl_->stream) {
    impl_->pa->stop_stream(impl_->stream); // waits for what is buffered to play out
    impl_->pa->close_stream(impl_->stream);
  }
  impl_->pa->terminate();
}

result<std::unique_ptr<audio_player>> audio_player::open(int sample_rate) {
  const portaudio_api* pa = portaudio();
  if (!pa) return make_error(error_kind::unavailable, "cannot play: PortAudio (libportaudio2) is not installed");
  // ALSA and JACK print pages of probing noise to stderr on machines without sound; the one
  // line that matters is ours.
  int saved_stderr = ::dup(2);
  int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) ::dup2(null, 2);
  PaError init = pa->initialize();
  PaDeviceIndex device = init == paNoError ? pa->default_output() : paNoDevice;
  if (saved_stderr >= 0) {
    ::dup2(saved_stderr, 2);
    ::close(saved_stderr);
  }
  if (null >= 0) ::close(null);
  if (init != paNoError) return make_error(error_kind::unavailable, std::string("cannot play: ") + pa->error_text(init));
  auto i = std::make_unique<impl>();
  i->pa = pa;
  if (device == paNoDevice) {
    pa->terminate();
    return make_error(error_kind::unavailable, "cannot play: this machine has no audio output device (use -o FILE to save instead)");
  }
  if (PaError e = pa->open_default_stream(&i->stream, 0, 1, paInt16, sample_rate, paFramesPerBufferUnspecified, nullptr, nullptr);
      e != paNoError) {
    pa->terminate();
    return make_error(error_kind::unavailable, std::string("cannot open the audio device: ") + pa->error_text(e));
  }
  pa->start_stream(i->stream);
  return std::unique_ptr<audio_player>(new audio_player(std::move(i)));
}

void audio_player::play(std::span<const std::int16_t> samples) {
  if (!samples.empty()) impl_->pa->write_stream(impl_->stream, samples.data(), static_cast<unsigned long>(samples.size()));
}

} // namespace rtts::app
