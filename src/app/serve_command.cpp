#include "app/serve_command.hpp"

#include "core/report_failure.hpp"

#include "marytts/routes.hpp"
#include "routes/route_table.hpp"
#include "server/http_server.hpp"
#include "synth/synthesizer.hpp"
#include "synth/voice_folder_watch.hpp"
#include "wyoming/wyoming_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

namespace rtts::app {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

struct serve_state {
  asio::io_context& io;
  server_config config;
  synth::synthesizer& synth;
  server::http_server& http;
  server::http_server& marytts;
  wyoming::wyoming_server& wyoming;
  synth::voice_folder_watch& voices;
  asio::thread_pool& compute;
  int exit_code = 0;
  bool draining = false;
};

// "HOST:PORT" or "[IPv6]:PORT" (checked by validate_config).
std::pair<std::string, unsigned> split_host_port(const std::string& hp) {
  auto colon = hp.rfind(':');
  std::string host = hp.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, static_cast<unsigned>(std::atoi(hp.c_str() + colon + 1))};
}

asio::awaitable<void> start_up(serve_state* s, std::chrono::steady_clock::time_point t0) {
  auto fail = [s](const error& e) {
    std::fprintf(stderr, "rtts: %s\n", e.message.c_str());
    s->exit_code = 1;
    s->io.stop();
  };
  auto started = co_await s->synth.start();
  if (!started) co_return fail(started.error());
  s->voices.start();
  // --auto-pull: the catalogues' voices are read now, for Wyoming's describe (in the background:
  // the network may be slow or absent).
  if (s->config.auto_pull) asio::co_spawn(s->io, s->synth.read_catalogues_ahead(s->compute), report_failure{"reading the voice catalogues"});
  auto port = s->http.listen();
  if (!port) co_return fail(port.error());
  s->http.start();
  // The optional listeners for Home Assistant and MaryTTS clients.
  if (!s->config.wyoming.empty()) {
    auto [host, wyoming_port] = split_host_port(s->config.wyoming);
    auto bound = s->wyoming.listen(host, wyoming_port);
    if (!bound) co_return fail(bound.error());
    s->wyoming.start();
    std::fprintf(stderr, "rtts: Wyoming on tcp://%s:%u (no authentication: trusted networks only)\n", host.c_str(), *bound);
    if (!is_loopback_host(host))
      std::fprintf(stderr, "rtts: WARNING: the Wyoming listener on %s has no authentication: anyone who can reach this address can use "
                           "it. Keep it on a trusted network.\n", host.c_str());
  }
  if (!s->config.marytts.empty()) {
    auto [host, marytts_port] = split_host_port(s->config.marytts);
    auto bound = s->marytts.listen(host, marytts_port);
    if (!bound) co_return fail(bound.error());
    s->marytts.start();
    std::fprintf(stderr, "rtts: MaryTTS on http://%s:%u\n", host.c_str(), *bound);
    if (!is_loopback_host(host))
      std::fprintf(stderr, "rtts: WARNING: the MaryTTS listener on %s has no authentication: anyone who can reach this address can use "
                           "it. Keep it on a trusted network.\n", host.c_str());
  }
  if (!is_loopback_host(s->config.host) && s->config.api_keys.empty()) // only with --allow-no-auth (validate_config)
    std::fprintf(stderr, "rtts: WARNING: listening on %s without an API key (--allow-no-auth): anyone who can reach this address can "
                         "use the server.\n", s->config.host.c_str());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  // Tests and scripts read this line to learn the port.
  std::printf("rtts: listening on http://%s:%u (engine %s, voice %s, ready in %lld ms)\n", s->config.host.c_str(), *port,
              s->synth.default_engine().c_str(), s->synth.default_voice("").c_str(), static_cast<long long>(ms));
  std::fflush(stdout);
}

asio::awaitable<void> shut_down(serve_state* s) {
  s->http.stop_accepting();
  s->marytts.stop_accepting();
  s->wyoming.stop();
  // Let in-flight streams finish, up to the grace period; then cut the rest.
  asio::steady_timer timer(s->io);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(s->config.shutdown_grace_ms);
  // Every listener drains alike: HTTP and WebSocket streams, MaryTTS answers, Wyoming sessions.
  auto busy = [s] { return s->http.active_requests() + s->marytts.active_requests() + s->wyoming.busy_sessions(); };
  while (busy() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(20ms);
    co_await timer.async_wait(asio::use_awaitable);
  }
  s->wyoming.close_all();
  s->voices.stop();
  s->synth.stop();
  s->io.stop();
}

} // namespace

int serve(const server_config& config) {
  auto t0 = std::chrono::steady_clock::now();
  if (auto ok = validate_config(config); !ok) {
    std::fprintf(stderr, "rtts: %s\n", ok.error().message.c_str());
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // Every connection is a descriptor: allow as many as the system lets this process have.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  std::error_code ec;
  auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::fprintf(stderr, "rtts: cannot find own executable: %s\n", ec.message().c_str());
    return 1;
  }

  asio::io_context io(1);
  // Encoding runs here, off the network thread; each stream's chain is used by one task at a
  // time (its session awaits each step), so streams spread over all threads without locks.
  asio::thread_pool compute(config.compute_threads ? config.compute_threads : std::max(1u, std::thread::hardware_concurrency()));
  synth::synthesizer synth(io.get_executor(), config, executable.string());
  server::http_server http(io, compute, config, synth, routes::rtts_routes);
  server::http_server marytts(io, compute, config, synth, rtts::marytts::marytts_routes);
  wyoming::wyoming_server wyoming(io, compute, config, synth);
  // Before the engines read their voices: nothing installed from here on is missed.
  auto voices = std::make_shared<synth::voice_folder_watch>(io, compute, synth, std::chrono::milliseconds(config.voices_poll_ms));
  serve_state state{io, config, synth, http, marytts, wyoming, *voices, compute};

  // First SIGTERM/SIGINT: drain (stop accepting, let streams finish up to the grace period).
  // A second one: exit at once.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code error, int) {
    if (error) return;
    if (state.draining) {
      std::fprintf(stderr, "rtts: second signal, exiting now\n");
      voices->stop();
      synth.stop();
      io.stop();
      return;
    }
    state.draining = true;
    std::fprintf(stderr, "rtts: shutting down (finishing streams for up to %u ms)\n", config.shutdown_grace_ms);
    asio::co_spawn(io, shut_down(&state), report_failure{"the shutdown"});
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);
  // SIGHUP: read the --lexicon files again on the compute pool (file reads and XML parsing stay
  // off the network thread), then swap them in on the network thread; all or none, the set in
  // use stays on a failure. The voices folders are looked at again too.
  asio::signal_set hangup(io, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_hangup = [&](boost::system::error_code error, int) {
    if (error) return;
    voices->look_now();
    asio::post(compute, [&] {
      auto read = ssml::read_lexicons(config.lexicons);
      asio::post(io, [&, read = std::move(read)]() mutable {
        if (!read) {
          std::fprintf(stderr, "rtts: lexicons not reloaded, the previous ones stay: %s\n", read.error().message.c_str());
          return;
        }
        std::size_t entries = 0;
        for (const auto& l : **read) entries += l.alias.size();
        synth.use_lexicons(std::move(*read));
        std::fprintf(stderr, "rtts: lexicons reloaded (%zu files, %zu entries)\n", config.lexicons.size(), entries);
      });
    });
    hangup.async_wait(on_hangup);
  };
  hangup.async_wait(on_hangup);
  asio::co_spawn(io, start_up(&state, t0), report_failure{"the start-up"});
  io.run();
  compute.join();
  return state.exit_code;
}

} // namespace rtts::app
