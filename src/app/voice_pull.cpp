#include "app/voice_pull.hpp"

#include "app/file_download.hpp"
#include "app/voices_command.hpp"

#include "client/http_client.hpp"
#include "engines/neural/neural_engine.hpp"
#include "engines/neural/piper_catalogue.hpp"
#include "engines/neural/sherpa_release_catalogue.hpp"
#include "engines/neural/voice_files.hpp"
#include "engines/neural/voice_install.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace rtts::app {

namespace fs = std::filesystem;
namespace neural = engines::neural;

namespace {

// Where a catalogue's relative path is: beside the catalogue (its URL's folder, or a mirror's).
std::string beside(const std::string& catalogue, const std::string& relative) {
  auto slash = catalogue.rfind('/');
  std::string base = slash == std::string::npos ? std::string(".") : catalogue.substr(0, slash);
  if (!is_remote(catalogue)) return base + "/" + relative;
  std::string encoded;
  for (unsigned char c : relative) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') encoded.push_back(static_cast<char>(c));
    else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      encoded += hex;
    }
  }
  return base + "/" + encoded;
}

std::string cache_dir_of(const pull_options& o) { return o.cache_dir.empty() ? neural::neural_settings::from_environment().cache_dir : o.cache_dir; }

std::vector<std::string> catalogues_of(const pull_options& o) {
  if (!o.catalog_urls.empty()) return o.catalog_urls;
  return {piper_catalog_url, neural::sherpa_release_url};
}

// Where a fetched catalogue is kept: one file per URL.
fs::path cached_copy(const pull_options& o, const std::string& url) {
  std::uint64_t h = 1469598103934665603ull; // FNV-1a
  for (unsigned char c : url) h = (h ^ c) * 1099511628211ull;
  char name[40];
  std::snprintf(name, sizeof name, "catalogue-%016llx.json", static_cast<unsigned long long>(h));
  return fs::path(cache_dir_of(o)) / name;
}

// One catalogue: fetched (and cached), else the cached copy, or a local file; every file's
// location made absolute.
result<std::vector<neural::catalogue_voice>> load_one(const pull_options& o, const std::string& url) {
  std::string text;
  if (is_remote(url)) {
    fs::path cached = cached_copy(o, url);
    unsigned status = 0;
    // GitHub's API answers only clients that name themselves.
    auto response = get_following(url, {{"User-Agent", "rtts"}, {"Accept", "application/json"}}, {}, [&](const client::http_response& head) { status = head.status; });
    if (response && status == 200 && response->complete) {
      text = response->body;
      std::error_code ec;
      fs::create_directories(cached.parent_path(), ec);
      std::ofstream(cached, std::ios::binary) << text;
    } else {
      text = neural::read_text(cached);
      std::string why = !response ? response.error().message : "HTTP " + std::to_string(status);
      if (text.empty()) return make_error(error_kind::unavailable, "the voice catalogue " + url + " could not be fetched (" + why + ") and none is cached", "catalog_unavailable");
      std::fprintf(stderr, "rtts: the voice catalogue %s could not be fetched (%s); using the copy cached in %s\n", url.c_str(), why.c_str(), cached.c_str());
    }
  } else {
    text = neural::read_text(url);
    if (text.empty()) return make_error(error_kind::not_found, "cannot read the catalogue " + url, "catalog_unavailable");
  }
  auto voices = neural::is_release_document(text) ? neural::parse_sherpa_release(text) : neural::parse_piper_catalogue(text);
  if (!voices) return make_error(voices.error().kind, url + ": " + voices.error().message, voices.error().code);
  for (auto& v : *voices)
    for (auto& f : v.files)
      if (f.url.empty()) f.url = beside(url, f.path);
  return voices;
}

// Every catalogue's voices, the first catalogue's first for an id offered twice. One that cannot
// be read is skipped with a warning while another can.
result<std::vector<neural::catalogue_voice>> load_catalogue(const pull_options& o) {
  std::vector<neural::catalogue_voice> all;
  std::set<std::string> seen;
  std::optional<error> failed;
  for (const auto& url : catalogues_of(o)) {
    auto voices = load_one(o, url);
    if (!voices) {
      std::fprintf(stderr, "rtts: %s\n", voices.error().message.c_str());
      failed = voices.error();
      continue;
    }
    for (auto& v : *voices)
      if (seen.insert(v.id).second) all.push_back(std::move(v));
  }
  if (all.empty() && failed) return *failed;
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return all;
}

// Held while one voice is pulled into one folder: a second pull of it waits, then finds it installed.
class pull_lock {
public:
  explicit pull_lock(const fs::path& file) : path_(file) {
    fd_ = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~pull_lock() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());
    ::close(fd_);
  }
  bool held() const { return fd_ >= 0; }

private:
  fs::path path_;
  int fd_ = -1;
};

// Said before a byte is downloaded, not as a write failing half-way through a gigabyte: what is
// left to download, and as much again for installing it (the copy into place, or the unpacked
// package, which sherpa-onnx's bzip2 barely shrinks).
result<void> check_room(const neural::catalogue_voice& v, const fs::path& staging) {
  std::uint64_t needed = 0;
  std::error_code ec;
  for (const auto& f : v.files) {
    fs::path partial = staging / f.name;
    std::uint64_t have = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
    needed += (f.size > have ? f.size - have : 0) + f.size;
  }
  auto space = fs::space(staging, ec);
  if (ec || space.available >= needed) return {};
  return make_error(error_kind::engine_failure, "not enough disk space in " + staging.parent_path().string() + " for " + v.id + ": it needs " +
                                                    megabytes(needed) + " (download and install), " + megabytes(space.available) + " are free",
                    "disk_full");
}

bool installed_in(const fs::path& folder, const std::string& id) {
  for (const auto& v : neural::scan_voice_folders({folder.string()}, neural::system_espeak_data()))
    if (v.id == id) return true;
  return false;
}

result<void> pull_one(const neural::catalogue_voice& v, const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return make_error(error_kind::engine_failure, "cannot create the voices folder " + folder.string() + ": " + ec.message(), "io_error");
  pull_lock lock(folder / (".pull-" + v.id + ".lock"));
  if (!lock.held()) return make_error(error_kind::engine_failure, "cannot write in " + folder.string() + ": " + std::strerror(errno), "io_error");
  if (installed_in(folder, v.id)) {
    if (progress_json()) json_line({{"event", "installed"}, {"id", v.engine + ":" + v.id}, {"already", true}});
    else std::printf("%s is installed in %s\n", v.id.c_str(), folder.c_str());
    return {};
  }
  // Kept between attempts, so that an interrupted pull continues where it stopped.
  fs::path staging = folder / (".pull-" + v.id);
  fs::create_directories(staging, ec);
  if (auto room = check_room(v, staging); !room) return room.error();
  for (const auto& f : v.files) {
    fs::path dest = staging / f.name;
    if (auto got = download(f.url, dest, f.size); !got) return got.error();
    auto size = fs::file_size(dest, ec);
    const bool md5 = !f.md5.empty();
    std::string digest = digest_of(dest, md5 ? digest_kind::md5 : digest_kind::sha256), expected = md5 ? f.md5 : f.sha256;
    const char* kind = md5 ? "md5" : "sha256";
    if (ec || size != f.size || digest != expected) {
      fs::remove(dest, ec);
      return make_error(error_kind::invalid_request, f.name + " is not the file the catalogue describes (" + std::to_string(size) + " bytes, " + kind + " " + digest +
                                                         "; expected " + std::to_string(f.size) + " bytes, " + kind + " " + expected + "): not installed",
                        "checksum_mismatch");
    }
  }
  auto installed = neural::import_voice((staging / v.files.front().name).string(), folder.string());
  fs::remove_all(staging, ec);
  if (!installed) return installed.error();
  if (progress_json()) {
    json_line({{"event", "installed"}, {"id", std::string(neural::family_name(installed->kind)) + ":" + installed->id}, {"language", installed->language},
               {"sample_rate", installed->sample_rate}, {"bytes", installed->bytes}});
    return {};
  }
  std::printf("installed %s voice %s (%s, %d Hz, %s) in %s\n", neural::family_name(installed->kind), installed->id.c_str(), installed->language.c_str(),
              installed->sample_rate, megabytes(installed->bytes).c_str(), folder.c_str());
  return {};
}

} // namespace

int voices_pull(const pull_options& o, const std::vector<std::string>& ids) {
  auto folders = voice_folders(o.folders);
  if (folders.empty()) {
    std::fprintf(stderr, "rtts: no voices folder (--voices-dir)\n");
    return 2;
  }
  set_progress_json(o.progress_json);
  auto catalogue = load_catalogue(o);
  if (!catalogue) {
    if (progress_json()) json_line({{"event", "error"}, {"code", catalogue.error().code}, {"message", catalogue.error().message}});
    std::fprintf(stderr, "rtts: %s\n", catalogue.error().message.c_str());
    return 1;
  }
  int failed = 0;
  for (const auto& id : ids) {
    auto found = std::find_if(catalogue->begin(), catalogue->end(), [&](const auto& v) { return v.id == id; });
    if (found == catalogue->end()) {
      std::string message = "the catalogue has no voice '" + id + "' it can verify (rtts voices list --available)";
      if (progress_json()) json_line({{"event", "error"}, {"id", id}, {"code", "unknown_voice"}, {"message", message}});
      std::fprintf(stderr, "rtts: %s\n", message.c_str());
      ++failed;
      continue;
    }
    if (auto pulled = pull_one(*found, folders.front()); !pulled) {
      if (progress_json()) json_line({{"event", "error"}, {"id", id}, {"code", pulled.error().code}, {"message", pulled.error().message}});
      std::fprintf(stderr, "rtts: %s: %s\n", id.c_str(), pulled.error().message.c_str());
      ++failed;
    }
  }
  return failed ? 1 : 0;
}

int voices_available(const pull_options& o) {
  auto catalogue = load_catalogue(o);
  if (!catalogue) {
    std::fprintf(stderr, "rtts: %s\n", catalogue.error().message.c_str());
    return 1;
  }
  std::set<std::string> installed;
  for (const auto& v : neural::scan_voice_folders(voice_folders(o.folders), neural::system_espeak_data())) installed.insert(v.id);
  if (o.json) {
    boost::json::array out;
    for (const auto& v : *catalogue)
      out.push_back({{"id", v.id}, {"engine", v.engine}, {"language", v.language}, {"quality", v.quality}, {"speakers", v.speakers},
                     {"bytes", v.bytes()}, {"installed", installed.contains(v.id)}});
    std::printf("%s\n", boost::json::serialize(out).c_str());
    return 0;
  }
  std::printf("%-8s %-40s %-8s %-8s %8s %10s  %s\n", "ENGINE", "VOICE", "LANGUAGE", "QUALITY", "SPEAKERS", "SIZE", "INSTALLED");
  for (const auto& v : *catalogue)
    std::printf("%-8s %-40s %-8s %-8s %8s %10s  %s\n", v.engine.c_str(), v.id.c_str(), v.language.c_str(), v.quality.c_str(),
                v.speakers ? std::to_string(v.speakers).c_str() : "-", megabytes(v.bytes()).c_str(), installed.contains(v.id) ? "yes" : "");
  return 0;
}

} // namespace rtts::app
