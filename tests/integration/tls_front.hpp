#pragma once
// nginx on loopback with TLS, its certificate for "localhost" from a CA of our own (made with the
// openssl tool): the system store does not trust it, SSL_CERT_FILE can. It either stands in front
// of an upstream (proxy_pass) or serves a folder of files (Range requests included), and logs
// every request it answered.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace rtts::testing {

class tls_front {
public:
  static tls_front proxy_to(unsigned upstream_port);
  // `more`: further nginx server-block lines (a redirecting location).
  static tls_front serving(const std::filesystem::path& root, const std::string& more = {});
  tls_front(tls_front&& other) noexcept;
  tls_front(const tls_front&) = delete;
  tls_front& operator=(const tls_front&) = delete;
  ~tls_front();

  std::string ca_file() const { return (dir_ / "ca.pem").string(); }
  unsigned port() const { return port_; }
  // The request lines and statuses nginx logged ("GET /a/b.onnx 206 1234"), one per line.
  std::string access_log() const;

private:
  tls_front(const std::string& location, const std::string& more);
  std::filesystem::path dir_;
  unsigned port_ = 0;
  pid_t pid_ = -1;
};

} // namespace rtts::testing
