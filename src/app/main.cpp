// rtts: a real-time text-to-speech server. One binary, several subcommands.
#include "app/serve_command.hpp"
#include "worker/worker_main.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  CLI::App app{"rtts: a real-time text-to-speech server"};
  app.require_subcommand(1);

  rtts::server_config config;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API");
  serve->add_option("--host", config.host, "Address to listen on")->envname("RTTS_HOST")->capture_default_str();
  serve->add_option("--port", config.port, "Port to listen on (0 = any free port)")->envname("RTTS_PORT")->capture_default_str();
  serve->add_option("--engine", config.engine, "Default engine")->envname("RTTS_ENGINE")->capture_default_str();
  serve->add_option("--voice", config.voice, "Default voice of the default engine (default: its English voice)")->envname("RTTS_VOICE");
  serve->add_option("--workers", config.workers, "Worker processes per engine (0 = one per core)")->envname("RTTS_WORKERS")->capture_default_str();
  serve->add_option("--max-text", config.max_text_chars, "Longest text accepted, in characters")->envname("RTTS_MAX_TEXT")->capture_default_str();
  serve->add_option("--max-request-line", config.max_request_line, "Longest request line, in bytes")->envname("RTTS_MAX_REQUEST_LINE")->capture_default_str();
  serve->add_option("--max-header-bytes", config.max_header_bytes, "Largest header block, in bytes")->envname("RTTS_MAX_HEADER_BYTES")->capture_default_str();
  serve->add_option("--shutdown-grace-ms", config.shutdown_grace_ms, "How long in-flight streams may finish on SIGTERM")->envname("RTTS_SHUTDOWN_GRACE_MS")->capture_default_str();

  std::string engine;
  int fd = 3;
  auto* worker = app.add_subcommand("worker", "Run one engine worker (started by `rtts serve`)");
  worker->add_option("--engine", engine, "Engine to run")->required();
  worker->add_option("--fd", fd, "Socket to the server")->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (*serve) return rtts::app::serve(config);
  if (*worker) return rtts::worker::run_worker(engine, fd);
  return EXIT_FAILURE;
}
