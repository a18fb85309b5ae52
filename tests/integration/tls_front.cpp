#include "tls_front.hpp"

#include "client/http_client.hpp"
#include "server_fixture.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace rtts::testing {

namespace fs = std::filesystem;

tls_front tls_front::proxy_to(unsigned upstream_port) {
  return tls_front("      proxy_pass http://127.0.0.1:" + std::to_string(upstream_port) +
                   ";\n      proxy_http_version 1.1;\n      proxy_buffering off;\n", {});
}

tls_front tls_front::serving(const fs::path& root, const std::string& more) { return tls_front("      root " + root.string() + ";\n", more); }

tls_front::tls_front(const std::string& location, const std::string& more) {
  static std::atomic<int> made{0};
  dir_ = fs::temp_directory_path() / ("rtts-tls-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
  fs::create_directories(dir_);
  ::chmod(dir_.c_str(), 0777); // nginx workers may run as another user
  std::string d = dir_.string();
  std::string make_certs = "cd " + d + " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=rtts test CA' &&"
                           " openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' &&"
                           " printf 'subjectAltName=DNS:localhost\n' > ext.cnf &&"
                           " openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf &&"
                           " chmod 644 *.pem *.key";
  if (std::system(("(" + make_certs + ") > /dev/null 2>&1").c_str()) != 0) throw std::runtime_error("openssl could not make the test certificates");
  port_ = free_port();
  std::ofstream(dir_ / "nginx.conf")
      << "worker_processes 1;\npid " << d << "/nginx.pid;\nerror_log " << d << "/error.log warn;\nevents { worker_connections 64; }\n"
      << "http {\n  log_format brief '$request $status $body_bytes_sent';\n  access_log " << d << "/access.log brief;\n"
      << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
      << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n"
      << "  server {\n    listen 127.0.0.1:" << port_ << " ssl;\n    ssl_certificate " << d << "/server.pem;\n"
      << "    ssl_certificate_key " << d << "/server.key;\n    location / {\n" << location << "    }\n" << more << "  }\n}\n";
  std::vector<std::string> args{"/usr/sbin/nginx", "-p", d, "-e", d + "/error.log", "-c", d + "/nginx.conf", "-g", "daemon off;"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) throw std::runtime_error("cannot start nginx");
  for (int i = 0; i < 100; ++i) { // until it accepts connections
    if (rtts::client::fetch({"127.0.0.1", port_}, {}).has_value()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("nginx did not come up");
}

tls_front::tls_front(tls_front&& other) noexcept : dir_(std::move(other.dir_)), port_(other.port_), pid_(other.pid_) { other.pid_ = -1; }

tls_front::~tls_front() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGQUIT);
  ::waitpid(pid_, nullptr, 0);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string tls_front::access_log() const {
  std::ifstream in(dir_ / "access.log");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace rtts::testing
