#include "engines/neural/voice_archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace rtts::engines::neural {

namespace fs = std::filesystem;

namespace {

using reader = std::unique_ptr<archive, decltype(&archive_read_free)>;

result<reader> open_archive(const std::string& path) {
  reader a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return make_error(error_kind::invalid_request, path + " cannot be read as an archive: " + archive_error_string(a.get()), "not_a_voice");
  return a;
}

// Where an entry goes, relative to the folder unpacked into; empty when it would leave it.
fs::path contained(const char* name) {
  if (!name || !*name) return {};
  fs::path p(name);
  if (p.is_absolute()) return {};
  fs::path out;
  for (const auto& part : p) {
    if (part == "..") return {};
    if (part == "." || part.empty()) continue;
    out /= part;
  }
  return out;
}

std::string describe(archive* a) {
  const char* why = archive_error_string(a);
  return why ? why : "unreadable";
}

} // namespace

std::string voice_archive_stem(const std::string& file_name) {
  for (std::string_view end : {".tar.bz2", ".tbz2", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar", ".zip"})
    if (file_name.size() > end.size() && file_name.ends_with(end)) return file_name.substr(0, file_name.size() - end.size());
  return {};
}

result<void> unpack_voice_archive(const std::string& path, const fs::path& into, std::uint64_t max_bytes) {
  // First pass: every entry is checked before one byte is written.
  {
    auto a = open_archive(path);
    if (!a) return a.error();
    std::uint64_t total = 0;
    archive_entry* entry = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a->get(), &entry)) == ARCHIVE_OK) {
      const char* name = archive_entry_pathname(entry);
      auto type = archive_entry_filetype(entry);
      if (contained(name).empty() && !(type == AE_IFDIR && name && (std::string_view(name) == "./" || std::string_view(name) == ".")))
        return make_error(error_kind::invalid_request, path + ": entry '" + (name ? name : "") + "' would be written outside the voices folder; nothing unpacked",
                          "unsafe_archive");
      if (type != AE_IFREG && type != AE_IFDIR)
        return make_error(error_kind::invalid_request, path + ": entry '" + name + "' is a link or a special file; a voice is files and folders; nothing unpacked",
                          "unsafe_archive");
      if (archive_entry_hardlink(entry))
        return make_error(error_kind::invalid_request, path + ": entry '" + std::string(name) + "' is a hard link; nothing unpacked", "unsafe_archive");
      if (archive_entry_size_is_set(entry)) total += static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(entry)));
      if (total > max_bytes)
        return make_error(error_kind::payload_too_large, path + " unpacks to more than " + std::to_string(max_bytes >> 20) + " MB; nothing unpacked",
                          "archive_too_large");
    }
    if (rc != ARCHIVE_EOF) return make_error(error_kind::invalid_request, path + " is damaged: " + describe(a->get()), "not_a_voice");
  }
  // Second pass: written by hand into `into` (regular files and folders only, as checked), and
  // counted again: the sizes a header declares are not what a crafted archive must deliver.
  auto a = open_archive(path);
  if (!a) return a.error();
  std::uint64_t written = 0;
  std::vector<char> buffer(1 << 16);
  archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a->get(), &entry)) == ARCHIVE_OK) {
    fs::path relative = contained(archive_entry_pathname(entry));
    if (relative.empty()) continue; // "./"
    fs::path target = into / relative;
    std::error_code ec;
    if (archive_entry_filetype(entry) == AE_IFDIR) {
      fs::create_directories(target, ec);
      if (ec) return make_error(error_kind::engine_failure, "cannot create " + target.string() + ": " + ec.message(), "io_error");
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    // O_NOFOLLOW | O_EXCL: never through a link, never over a file an earlier entry wrote.
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST)
        return make_error(error_kind::invalid_request, path + ": '" + relative.string() + "' is in it twice", "unsafe_archive");
      return make_error(error_kind::engine_failure, "cannot write " + target.string() + ": " + std::strerror(errno), "io_error");
    }
    la_ssize_t n;
    while ((n = archive_read_data(a->get(), buffer.data(), buffer.size())) > 0) {
      written += static_cast<std::uint64_t>(n);
      if (written > max_bytes) {
        ::close(fd);
        return make_error(error_kind::payload_too_large, path + " unpacks to more than " + std::to_string(max_bytes >> 20) + " MB", "archive_too_large");
      }
      for (la_ssize_t done = 0; done < n;) {
        auto w = ::write(fd, buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
          int why = errno;
          ::close(fd);
          return make_error(error_kind::engine_failure, "writing " + target.string() + " failed: " + std::strerror(why), "io_error");
        }
        done += w;
      }
    }
    ::close(fd);
    if (n < 0) return make_error(error_kind::invalid_request, path + " is damaged: " + describe(a->get()), "not_a_voice");
  }
  if (rc != ARCHIVE_EOF) return make_error(error_kind::invalid_request, path + " is damaged: " + describe(a->get()), "not_a_voice");
  return {};
}

} // namespace rtts::engines::neural
