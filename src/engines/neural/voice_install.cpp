#include "engines/neural/voice_install.hpp"

#include "engines/neural/voice_archive.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

namespace {

std::string installed_ids(const std::vector<neural_voice>& voices) {
  std::string out;
  for (const auto& v : voices) out += (out.empty() ? "" : ", ") + std::string(family_name(v.kind)) + ":" + v.id;
  return out.empty() ? "none" : out;
}

// A scratch folder inside `folder`, hidden from the catalogue, removed when it goes out of scope.
struct staging_area {
  fs::path path;
  staging_area(const fs::path& folder, const std::string& what) : path(folder / ("." + what + "-" + std::to_string(::getpid()))) {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  ~staging_area() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

} // namespace

result<neural_voice> import_voice(const std::string& from, const std::string& folder_name) {
  fs::path source = fs::path(from).lexically_normal();
  if (source.filename().empty()) source = source.parent_path(); // "dir/"
  std::error_code ec;
  if (!fs::exists(source, ec)) return make_error(error_kind::not_found, "no such file or folder: " + from, "not_found");
  enum class kind { folder, piper_files, archive } what = kind::folder;
  std::vector<fs::path> files;
  std::string name; // an archive's is known once it is unpacked
  if (fs::is_directory(source, ec)) {
    name = source.filename().string();
  } else if (!voice_archive_stem(source.filename().string()).empty()) {
    what = kind::archive;
  } else {
    std::string model = source.string();
    if (model.ends_with(".onnx.json")) model.resize(model.size() - 5);
    if (!model.ends_with(".onnx"))
      return make_error(error_kind::invalid_request,
                        from + " is not a voice: give a Piper voice's X.onnx (with X.onnx.json next to it), a voice's folder or its archive (.tar.bz2, .tar.gz, .zip...)",
                        "not_a_voice");
    if (!fs::exists(model, ec) || !fs::exists(model + ".json", ec))
      return make_error(error_kind::invalid_request, "a Piper voice is two files, " + fs::path(model).filename().string() + " and " +
                                                         fs::path(model).filename().string() + ".json: one of them is missing next to the other",
                        "not_a_voice");
    what = kind::piper_files;
    files = {model, model + ".json"};
    name = fs::path(model).stem().string();
  }

  fs::path folder(folder_name);
  fs::create_directories(folder, ec);
  if (ec) return make_error(error_kind::engine_failure, "cannot create the voices folder " + folder.string() + ": " + ec.message(), "io_error");
  // Assembled and checked where the catalogue does not look; an upstream Piper voice goes into a
  // folder of its own, so that it too appears in one rename.
  staging_area staging(folder, "import-" + source.filename().string());
  if (what == kind::archive) {
    // A package is one folder (sherpa-onnx's are); loose files become a folder named after the archive.
    fs::path unpacked = staging.path / ".unpacked";
    fs::create_directories(unpacked, ec);
    if (ec) return make_error(error_kind::engine_failure, "cannot unpack into " + folder.string() + ": " + ec.message(), "io_error");
    if (auto done = unpack_voice_archive(source.string(), unpacked); !done) return done.error();
    std::vector<fs::path> top;
    for (const auto& e : fs::directory_iterator(unpacked, ec)) top.push_back(e.path());
    fs::path voice_dir = top.size() == 1 && fs::is_directory(top.front(), ec) ? top.front() : unpacked;
    name = voice_dir == unpacked ? voice_archive_stem(source.filename().string()) : voice_dir.filename().string();
    if (!name.empty() && !name.starts_with(".")) fs::rename(voice_dir, staging.path / name, ec);
    if (ec) return make_error(error_kind::engine_failure, "unpacking " + from + " failed: " + ec.message(), "io_error");
  }
  if (name.empty() || name.starts_with("."))
    return make_error(error_kind::invalid_request, "a voice's name may not be empty or start with '.': " + from, "not_a_voice");
  auto installed = scan_voice_folders({folder.string()}, system_espeak_data());
  bool taken = std::any_of(installed.begin(), installed.end(), [&](const neural_voice& v) { return v.id == name; });
  if (taken || fs::exists(folder / name, ec) || fs::exists(folder / (name + ".onnx"), ec))
    return make_error(error_kind::conflict, "a voice named '" + name + "' is already installed in " + folder.string() + " (rtts voices rm " + name + " first)",
                      "voice_exists");

  fs::path staged = staging.path / name;
  if (what != kind::archive) {
    fs::create_directories(what == kind::folder ? staging.path : staged, ec);
    if (!ec && what == kind::folder) fs::copy(source, staged, fs::copy_options::recursive, ec);
    for (const auto& f : files)
      if (!ec) fs::copy_file(f, staged / f.filename(), ec);
    if (ec) return make_error(error_kind::engine_failure, "copying " + from + " into " + folder.string() + " failed: " + ec.message(), "io_error");
  }
  auto found = scan_voice_folders({staging.path.string()}, system_espeak_data());
  if (found.size() != 1)
    return make_error(error_kind::invalid_request,
                      from + " is not a voice rtts can read (a Piper voice, or a sherpa-onnx Piper, Kokoro, Kitten or Matcha package)", "not_a_voice");
  if (!found.front().broken.empty())
    return make_error(error_kind::invalid_request, "voice '" + name + "' is broken, not installed: " + found.front().broken, "voice_broken");
  fs::rename(staged, folder / name, ec);
  if (ec) return make_error(error_kind::engine_failure, "installing " + name + " in " + folder.string() + " failed: " + ec.message(), "io_error");
  for (auto& v : scan_voice_folders({folder.string()}, system_espeak_data()))
    if (v.id == name) return v;
  return make_error(error_kind::engine_failure, "voice '" + name + "' was installed but is not found in " + folder.string(), "io_error");
}

result<neural_voice> remove_voice(const std::string& id, const std::vector<std::string>& folders) {
  std::string engine, wanted = id;
  if (auto colon = id.find(':'); colon != std::string::npos) {
    engine = id.substr(0, colon);
    wanted = id.substr(colon + 1);
  }
  auto installed = scan_voice_folders(folders, system_espeak_data());
  std::vector<const neural_voice*> matches;
  for (const auto& v : installed) {
    if (!engine.empty() && engine != family_name(v.kind)) continue;
    bool speaker = v.speakers.size() > 1 && wanted.starts_with(v.id + "/") &&
                   std::find(v.speakers.begin(), v.speakers.end(), wanted.substr(v.id.size() + 1)) != v.speakers.end();
    if (v.id == wanted || speaker) matches.push_back(&v);
  }
  if (matches.empty()) return make_error(error_kind::not_found, "no installed voice '" + id + "'; installed: " + installed_ids(installed), "unknown_voice");
  if (matches.size() > 1)
    return make_error(error_kind::conflict, "'" + id + "' names voices of several engines: say which, e.g. " +
                                                std::string(family_name(matches.front()->kind)) + ":" + wanted, "ambiguous_voice");
  const neural_voice& v = *matches.front();
  fs::path source(v.source);
  std::error_code ec;
  // An upstream Piper voice in a folder of its own is that folder (its source names the model).
  bool loose = std::any_of(folders.begin(), folders.end(), [&](const std::string& f) {
    return fs::weakly_canonical(f, ec) == fs::weakly_canonical(source.parent_path(), ec);
  });
  if (!fs::is_directory(source, ec) && !loose) source = source.parent_path();
  if (fs::is_directory(source, ec)) {
    // Gone from the catalogue in one step, then deleted.
    fs::path away = source.parent_path() / (".remove-" + v.id + "-" + std::to_string(::getpid()));
    fs::rename(source, away, ec);
    if (!ec) fs::remove_all(away, ec);
  } else {
    // The model first: without it the catalogue no longer sees a voice.
    fs::remove(source, ec);
    if (!ec) fs::remove(source.string() + ".json", ec);
  }
  if (ec) return make_error(error_kind::engine_failure, "removing " + source.string() + " failed: " + ec.message(), "io_error");
  return v;
}

} // namespace rtts::engines::neural
