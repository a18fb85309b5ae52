// Downloading one file for `rtts voices pull` (see file_download.hpp).
#include "app/file_download.hpp"

#include "app/voices_command.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url.hpp>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace rtts::app {
namespace fs = std::filesystem;

bool is_remote(const std::string& location) { return location.starts_with("http://") || location.starts_with("https://"); }

// GET `url`, following redirects (Hugging Face answers with one to its CDN); `on_body` gets
// only the final answer's body, `on_head` its head.
result<client::http_response> get_following(std::string url, const std::map<std::string, std::string>& headers,
                                            const client::body_callback& on_body, const client::head_callback& on_head) {
  for (int hop = 0; hop < 6; ++hop) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") || parsed->host_address().empty())
      return make_error(error_kind::invalid_request, "bad URL '" + url + "': expected http(s)://HOST/PATH", "invalid_url");
    client::endpoint to;
    to.tls = parsed->scheme() == "https";
    to.host = std::string(parsed->host_address());
    to.port = parsed->has_port() && parsed->port_number() ? parsed->port_number() : (to.tls ? 443 : 80);
    client::http_request request;
    request.target = parsed->encoded_target().empty() ? std::string("/") : std::string(parsed->encoded_target());
    request.headers = headers;
    request.timeout = std::chrono::seconds(60);
    bool redirect = false;
    std::string kept; // the body, when no callback takes it
    auto response = client::fetch(
        to, request,
        [&](std::string_view piece) {
          if (redirect) return true;
          if (on_body) return on_body(piece);
          kept.append(piece);
          return kept.size() < (64u << 20); // a catalogue, not a model
        },
        [&](const client::http_response& head) {
          redirect = head.status >= 300 && head.status < 400 && head.status != 304;
          if (!redirect && on_head) on_head(head);
        });
    if (!response) return make_error(error_kind::unavailable, "fetching " + url + " failed: " + response.error().message, "download_failed");
    if (!redirect) {
      if (!on_body) response->body = std::move(kept);
      return response;
    }
    const std::string where = response->header("location"); // the view below points into it
    auto location = boost::urls::parse_uri_reference(where);
    if (!location) return make_error(error_kind::unavailable, url + " redirected without a usable Location", "download_failed");
    boost::urls::url next;
    if (!boost::urls::resolve(*parsed, *location, next)) return make_error(error_kind::unavailable, url + " redirected to a bad URL", "download_failed");
    url = std::string(next.buffer());
  }
  return make_error(error_kind::unavailable, "too many redirects from " + url, "download_failed");
}

// The file's digest in lower-case hex (MD5 or SHA-256).
std::string digest_of(const fs::path& path, digest_kind which) {
  const EVP_MD* kind = which == digest_kind::md5 ? EVP_md5() : EVP_sha256();
  std::ifstream in(path, std::ios::binary);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), kind, nullptr);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &n);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    char two[3];
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

namespace {

// --progress-json: one JSON object per line on stdout (the server's pull route relays them).
// One pull per process, so a flag for the process.
bool json_lines = false;

} // namespace

void set_progress_json(bool on) { json_lines = on; }
bool progress_json() { return json_lines; }

void json_line(boost::json::object o) {
  std::printf("%s\n", boost::json::serialize(o).c_str());
  std::fflush(stdout);
}

namespace {

// A bar on a terminal, two plain lines otherwise (logs, pipes), or JSON lines.
class progress {
public:
  progress(std::string label, std::uint64_t total) : label_(std::move(label)), total_(total), tty_(::isatty(STDERR_FILENO)) {
    if (!tty_ && !json_lines) std::fprintf(stderr, "downloading %s (%s)\n", label_.c_str(), megabytes(total_).c_str());
  }
  void update(std::uint64_t have) {
    if ((!tty_ && !json_lines) || total_ == 0) return;
    int percent = static_cast<int>(have * 100 / total_);
    if (percent == shown_) return;
    shown_ = percent;
    if (json_lines) return json_line({{"event", "progress"}, {"file", label_}, {"bytes", have}, {"total", total_}});
    int filled = percent / 4;
    std::fprintf(stderr, "\r%-36.36s [%s%s] %3d%% %s", label_.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(25 - filled), ' ').c_str(), percent, megabytes(have).c_str());
  }
  void done() {
    if (tty_ && !json_lines) std::fprintf(stderr, "\n");
  }

private:
  std::string label_;
  std::uint64_t total_;
  bool tty_;
  int shown_ = -1;
};

} // namespace

// One file into `dest`, continuing a partial one (HTTP Range); sizes and digests are checked by
// the caller.
result<void> download(const std::string& from, const fs::path& dest, std::uint64_t size) {
  std::error_code ec;
  if (!is_remote(from)) { // a local mirror
    fs::copy_file(from, dest, fs::copy_options::overwrite_existing, ec);
    if (ec) return make_error(error_kind::unavailable, "copying " + from + " failed: " + ec.message(), "download_failed");
    return {};
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::uint64_t have = fs::exists(dest, ec) ? fs::file_size(dest, ec) : 0;
    if (have > size) {
      fs::remove(dest, ec);
      have = 0;
    }
    if (have == size) return {};
    std::map<std::string, std::string> headers;
    if (have > 0) headers["Range"] = "bytes=" + std::to_string(have) + "-";
    progress bar(dest.filename().string(), size);
    std::ofstream out;
    unsigned status = 0;
    bool write_failed = false;
    int write_errno = 0;
    std::uint64_t got = have;
    auto on_head = [&](const client::http_response& head) {
      status = head.status;
      // A 206 must continue where the file ends; anything else starts it again.
      bool resumes = status == 206 && head.header("content-range").starts_with("bytes " + std::to_string(have) + "-");
      if (status == 200 || resumes) {
        out.open(dest, std::ios::binary | (resumes ? std::ios::app : std::ios::trunc));
        got = resumes ? have : 0;
      }
    };
    auto on_body = [&](std::string_view piece) {
      if (!out.is_open()) return true; // an error page: not the voice
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      if (!out) {
        write_errno = errno;
        write_failed = true;
        return false;
      }
      got += piece.size();
      bar.update(got);
      return true;
    };
    auto response = get_following(from, headers, on_body, on_head);
    out.close();
    bar.done();
    if (write_failed) return make_error(error_kind::engine_failure, "writing " + dest.string() + " failed: " + std::strerror(write_errno), "io_error");
    if (!response) return response.error();
    if (status == 416) { // the server's file is not what was half-downloaded: start again
      fs::remove(dest, ec);
      continue;
    }
    if (status != 200 && status != 206)
      return make_error(error_kind::unavailable, "downloading " + from + ": HTTP " + std::to_string(status), "download_failed");
    if (!response->complete)
      return make_error(error_kind::unavailable, "the download of " + from + " was cut at " + megabytes(got) + " of " + megabytes(size) +
                                                     "; run the pull again to continue it", "download_cut");
    return {};
  }
  return make_error(error_kind::unavailable, "downloading " + from + " failed twice", "download_failed");
}

} // namespace rtts::app
