#include "engines/neural/sherpa_onnx_api.hpp"
#include "engines/dynamic_library.hpp"

#include <cstring>
#include <filesystem>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

std::string find_sherpa_onnx(const std::string& explicit_path, const std::string& executable) {
  if (!explicit_path.empty()) return explicit_path;
  fs::path dir = fs::path(executable).parent_path();
  for (const auto& candidate : {dir / "sherpa-onnx" / "libsherpa-onnx-c-api.so", dir / ".." / "lib" / "rtts" / "sherpa-onnx" / "libsherpa-onnx-c-api.so"}) {
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate.lexically_normal().string();
  }
  return (dir / "sherpa-onnx" / "libsherpa-onnx-c-api.so").string();
}

result<const sherpa_onnx_api*> load_sherpa_onnx(const std::string& path) {
  auto unusable = [&](const std::string& why) {
    return make_error(error_kind::engine_failure, "the neural runtime (sherpa-onnx " + std::string(sherpa_onnx_version) + ") is not usable: " +
                                                      why + " (scripts/install-deps installs it; --neural-runtime names another)");
  };
  // RTLD_LOCAL: its private espeak-ng fork and ONNX Runtime stay out of the global namespace.
  void* library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) return unusable(::dlerror());
  static sherpa_onnx_api api;
  if (!bind_symbol(library, "SherpaOnnxGetVersionStr", api.version)) return unusable(path + " is not the sherpa-onnx C API");
  if (std::strcmp(api.version(), sherpa_onnx_version) != 0)
    return unusable(path + " is version " + api.version() + "; rtts is built against exactly " + sherpa_onnx_version);
  if (!bind_symbol(library, "SherpaOnnxCreateOfflineTts", api.create) || !bind_symbol(library, "SherpaOnnxDestroyOfflineTts", api.destroy) ||
      !bind_symbol(library, "SherpaOnnxOfflineTtsSampleRate", api.sample_rate) ||
      !bind_symbol(library, "SherpaOnnxOfflineTtsNumSpeakers", api.num_speakers) ||
      !bind_symbol(library, "SherpaOnnxOfflineTtsGenerateWithConfig", api.generate) ||
      !bind_symbol(library, "SherpaOnnxDestroyOfflineTtsGeneratedAudio", api.destroy_audio))
    return unusable(path + " lacks a function rtts needs");
  return &api;
}

} // namespace rtts::engines::neural
