// rtts: a real-time text-to-speech server. One binary, several subcommands.
#include "app/bench_command.hpp"
#include "app/client_commands.hpp"
#include "app/serve_command.hpp"
#include "app/voice_pull.hpp"
#include "app/voices_command.hpp"
#include "api/api_keys.hpp"
#include "api/request_log.hpp"
#include "core/config_file.hpp"
#include "engines/registry.hpp"
#include "worker/job_process.hpp"
#include "worker/worker_main.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

// Applies a config file to the `serve` flags it names. Flags given on the command line or through
// their environment variable win over the file (precedence: flag > environment > file > default);
// each value goes through the flag's own converter and validator, so a file accepts exactly what
// the command line does. Returns an error naming the first bad key.
rtts::result<void> apply_config_file(CLI::App& serve, const std::string& path) {
  auto entries = rtts::read_config_file(path);
  if (!entries) return entries.error();
  for (const auto& entry : *entries) {
    auto fail = [&](const std::string& why) {
      return rtts::make_error(rtts::error_kind::invalid_request, path + ": key '" + entry.key + "': " + why);
    };
    auto* option = entry.key == "config" || entry.key.empty() ? nullptr : serve.get_option_no_throw("--" + entry.key);
    if (!option) return fail("unknown (keys are the long flag names of `rtts serve --help`, without dashes)");
    if (option->count() > 0) continue;
    if (entry.values.size() > 1 && option->get_items_expected_max() <= 1) return fail("takes one value, not a list");
    try {
      for (const auto& value : entry.values) option->add_result(value);
      option->run_callback();
    } catch (const CLI::Error& e) {
      return fail(e.what());
    }
  }
  return {};
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"rtts: a real-time text-to-speech server"};
  app.require_subcommand(1);

  rtts::server_config config;
  auto* serve = app.add_subcommand("serve", "Serve the HTTP API");
  serve->add_option("--host", config.host, "Address to listen on")->envname("RTTS_HOST")->capture_default_str();
  serve->add_option("--port", config.port, "Port to listen on (0 = any free port)")->envname("RTTS_PORT")->capture_default_str();
  serve->add_option("--engine", config.engine, "Default engine")->envname("RTTS_ENGINE")->capture_default_str();
  serve->add_option("--engines", config.engines, "Engines to start (default: every engine usable here)")->envname("RTTS_ENGINES")->delimiter(',');
  serve->add_option("--voice", config.voice, "Default voice of the default engine (default: its English voice)")->envname("RTTS_VOICE");
  serve->add_option("--workers", config.workers, "Worker processes per engine (0 = one per core)")->envname("RTTS_WORKERS")->capture_default_str();
  serve->add_option("--compute-threads", config.compute_threads, "Threads for resampling and encoding (0 = one per core)")->envname("RTTS_COMPUTE_THREADS")->capture_default_str();
  serve->add_option("--fragment-timeout-ms", config.fragment_timeout_ms, "Watchdog: replace a worker stuck on one fragment this long")->envname("RTTS_FRAGMENT_TIMEOUT_MS")->capture_default_str();
  std::string log_format = "text";
  serve->add_option("--log-format", log_format, "Request log lines on stderr: text or json")->envname("RTTS_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  std::string log_level = "info";
  serve->add_option("--log-level", log_level, "info, or debug to log each request's text too")->envname("RTTS_LOG_LEVEL")->check(CLI::IsMember({"info", "debug"}))->capture_default_str();
  serve->add_option("--max-streams", config.max_streams, "Streams in flight per engine before new ones get 429")->envname("RTTS_MAX_STREAMS")->capture_default_str();
  serve->add_option("--admission-load", config.admission_load, "Refuse new streams (429) once the engine's measured speed could not keep the streams in synthesis in real time at this share of its workers (0 = off)")->envname("RTTS_ADMISSION_LOAD")->capture_default_str();
  serve->add_option("--listener-buffer-ms", config.listener_buffer_ms, "Audio a listener is assumed to buffer before playing: later fragments count as deadline misses")->envname("RTTS_LISTENER_BUFFER_MS")->capture_default_str();
  serve->add_option("--max-text", config.max_text_chars, "Longest text accepted, in characters")->envname("RTTS_MAX_TEXT")->capture_default_str();
  serve->add_option("--max-pause", config.max_pause_s, "Longest total of SSML pauses in one document, in seconds (413 above)")->envname("RTTS_MAX_PAUSE")->capture_default_str();
  serve->add_option("--max-request-line", config.max_request_line, "Longest request line, in bytes")->envname("RTTS_MAX_REQUEST_LINE")->capture_default_str();
  serve->add_option("--max-header-bytes", config.max_header_bytes, "Largest header block, in bytes")->envname("RTTS_MAX_HEADER_BYTES")->capture_default_str();
  serve->add_option("--max-body-bytes", config.max_body_bytes, "Largest request body, in bytes")->envname("RTTS_MAX_BODY_BYTES")->capture_default_str();
  serve->add_option("--max-connections", config.max_connections, "Open HTTP connections at most (503 above)")->envname("RTTS_MAX_CONNECTIONS")->capture_default_str();
  serve->add_option("--header-timeout", config.header_timeout_s, "Seconds to receive a request's headers once it began")->envname("RTTS_HEADER_TIMEOUT")->capture_default_str();
  serve->add_option("--request-timeout", config.request_timeout_s, "Seconds to receive a whole request, body included")->envname("RTTS_REQUEST_TIMEOUT")->capture_default_str();
  serve->add_option("--keepalive-timeout", config.keepalive_timeout_s, "Seconds an idle keep-alive connection is kept")->envname("RTTS_KEEPALIVE_TIMEOUT")->capture_default_str();
  serve->add_option("--write-timeout", config.write_timeout_s, "Seconds an HTTP client may take no bytes before it is dropped")->envname("RTTS_WRITE_TIMEOUT")->capture_default_str();
  serve->add_option("--ws-stalled-ms", config.ws_stalled_ms, "A WebSocket client that takes nothing this long is dropped")->envname("RTTS_WS_STALLED_MS")->capture_default_str();
  serve->add_option("--ws-max-connections", config.ws_max_connections, "Open WebSocket sessions at most")->envname("RTTS_WS_MAX_CONNECTIONS")->capture_default_str();
  serve->add_option("--ws-idle-timeout", config.ws_idle_timeout_s, "Seconds before a silent WebSocket is pinged and, unanswered, closed")->envname("RTTS_WS_IDLE_TIMEOUT")->capture_default_str();
  serve->add_option("--ws-max-queued", config.ws_max_queued, "Utterances queued per WebSocket session")->envname("RTTS_WS_MAX_QUEUED")->capture_default_str();
  serve->add_option("--wyoming", config.wyoming, "Also serve the Wyoming protocol on HOST:PORT (Home Assistant; usually 10200)")->envname("RTTS_WYOMING");
  serve->add_option("--marytts", config.marytts, "Also serve the MaryTTS API on HOST:PORT (usually 59125)")->envname("RTTS_MARYTTS");
  serve->add_option("--shutdown-grace-ms", config.shutdown_grace_ms, "How long in-flight streams may finish on SIGTERM")->envname("RTTS_SHUTDOWN_GRACE_MS")->capture_default_str();

  std::vector<std::string> api_keys, openai_voices;
  std::string api_key_file;
  serve->add_option("--api-key", api_keys, "Require 'Authorization: Bearer KEY' (repeatable)");
  serve->add_option("--catalog-url", config.catalog_urls, "Voice catalogue pulls read (repeatable; Piper's voices.json or a GitHub release of sherpa-onnx packages; default: Piper's and sherpa-onnx's)")->envname("RTTS_CATALOG_URL")->delimiter(',');
  serve->add_flag("--auto-pull", config.auto_pull, "A request for a Piper voice that is not installed but is in the catalogue installs it (verified) first; off: an unknown voice is a 404 and nothing is downloaded")->envname("RTTS_AUTO_PULL");
  serve->add_option("--admin-key", config.admin_key, "Key for changing the installed voices over HTTP (DELETE /v1/audio/voices/ID); without one that is refused")->envname("RTTS_ADMIN_KEY");
  serve->add_option("--api-key-file", api_key_file, "File with one API key per line")->envname("RTTS_API_KEY_FILE");
  serve->add_option("--cors-origin", config.cors_origins, "Also let this browser origin call the API (repeatable; '*' = any)")->envname("RTTS_CORS_ORIGINS")->delimiter(',');
  serve->add_option("--lexicon", config.lexicons, "W3C PLS file whose <alias> entries respell words of its xml:lang before synthesis (repeatable; reread on SIGHUP)")->envname("RTTS_LEXICONS")->delimiter(':')->check(CLI::ExistingFile);
  serve->add_option("--allowed-host", config.allowed_hosts, "Also serve requests whose Host is this name (repeatable; '*' = any). Loopback names and IP addresses always are")->envname("RTTS_ALLOWED_HOSTS")->delimiter(',');
  serve->add_flag("--allow-no-auth", config.allow_no_auth, "Listen on a non-loopback address without an API key (anyone who reaches it may use it)")->envname("RTTS_ALLOW_NO_AUTH");
  serve->add_option("--openai-voice", openai_voices, "Map an OpenAI voice name: NAME=engine:voice (repeatable)");
  // The `openai` engine's upstream. Passed to the worker processes through the environment.
  std::string proxy_url, proxy_key, proxy_model, proxy_voices;
  serve->add_option("--proxy-url", proxy_url, "Enable the openai engine: an OpenAI-compatible server, e.g. http://host:8880/v1")->envname("RTTS_PROXY_URL");
  serve->add_option("--proxy-key", proxy_key, "API key for --proxy-url")->envname("RTTS_PROXY_KEY");
  serve->add_option("--proxy-model", proxy_model, "Model the openai engine asks for (default tts-1)")->envname("RTTS_PROXY_MODEL");
  serve->add_option("--proxy-voices", proxy_voices, "Voices the openai engine offers, comma-separated (default: OpenAI's)")->envname("RTTS_PROXY_VOICES");
  // The neural engines' voices and runtime, passed to their workers through the environment.
  std::vector<std::string> voices_dirs;
  std::string neural_memory, neural_runtime, cache_dir;
  serve->add_option("--voices-dir", voices_dirs, "Folder of neural voices (repeatable; default ~/.local/share/rtts/voices)")->envname("RTTS_VOICES_DIRS")->delimiter(':');
  serve->add_option("--neural-memory", neural_memory, "MiB of neural models one worker keeps loaded (least recently used leave first; default 1024)")->envname("RTTS_NEURAL_MEMORY")->check(CLI::PositiveNumber);
  serve->add_option("--neural-runtime", neural_runtime, "The sherpa-onnx C API library (default: the one installed with rtts)")->envname("RTTS_NEURAL_RUNTIME");
  serve->add_option("--voices-poll-ms", config.voices_poll_ms, "How often the voices folders are looked at for voices installed or removed (0: only on SIGHUP)")->envname("RTTS_VOICES_POLL_MS")->capture_default_str();
  serve->add_option("--cache-dir", cache_dir, "Where converted Piper voices are kept (default ~/.cache/rtts)")->envname("RTTS_CACHE_DIR");
  std::string config_file;
  serve->add_option("--config", config_file, "JSON file of flag names and values (flags and environment win)")->envname("RTTS_CONFIG");

  std::string engine;
  int fd = 3;
  std::size_t stream_processes = rtts::worker::job_processes::default_max_kept;
  auto* worker = app.add_subcommand("worker", "Run one engine worker (started by `rtts serve`)");
  worker->add_option("--engine", engine, "Engine to run")->required();
  worker->add_option("--fd", fd, "Socket to the server")->capture_default_str();
  worker->add_option("--stream-processes", stream_processes, "Job processes kept for streams at most (the server's --max-streams)")
      ->capture_default_str();

  rtts::app::bench_options bench_options;
  auto* bench = app.add_subcommand("bench", "Measure latency, correctness under concurrency, start-up and memory");
  bench->add_option("--url", bench_options.url, "Server to measure (default: start one on a free port)");
  bench->add_option("--workers", bench_options.workers, "Workers per engine (spawned server and --engine-only)");
  bench->add_option("--routes", bench_options.routes, "Routes to load: tts, ws, stream, openai, stream-words (stream with word timestamps)")->delimiter(',');
  bench->add_option("--concurrency", bench_options.concurrency, "Concurrent clients per scenario")->delimiter(',');
  bench->add_option("--requests", bench_options.requests, "Requests per client per scenario")->capture_default_str();
  bench->add_option("--seconds", bench_options.seconds, "Run each scenario this long instead of a request count");
  bench->add_option("--corpus", bench_options.corpus, "Text file, one request text per line (default: built in)");
  bench->add_flag("!--no-compare", bench_options.compare, "Do not byte-compare answers with the same request made alone");
  bench->add_flag("--json", bench_options.json, "Print the report as JSON");
  bench->add_flag("--engine-only", bench_options.engine_only, "Measure the engine alone (worker processes, no server)");
  bench->add_flag("--digits", bench_options.digits, "Measure how eSpeak NG reads plain integers in each language ICU spells (no server)");
  bench->add_flag("--allow-remote", bench_options.allow_remote, "Allow --url to name a non-loopback server");
  bench->add_flag("--formats", bench_options.formats, "Also measure every output format of /v1/audio/speech");
  bench->add_option("--engine", bench_options.engine, "Engine to measure (default: espeak)");
  bench->add_option("--voices", bench_options.voices, "Voices of that engine the corpus cycles through (required for engines but espeak)")->delimiter(',');
  bench->add_option("--listeners", bench_options.listeners, "Listener mode: this many /tts streams played as a player plays them");
  bench->add_option("--arrivals-over", bench_options.arrivals_over, "Listener mode: seconds over which they arrive (0 = all at once)")->capture_default_str();
  bench->add_option("--speech-seconds", bench_options.speech_seconds, "Listener mode: seconds of speech per listener")->capture_default_str();
  bench->add_option("--buffer", bench_options.buffer_seconds, "Listener mode: seconds a player buffers before it starts playing")->capture_default_str();
  bench->add_flag("--websocket", bench_options.websocket, "Also measure /ws (first audio, 1000 idle connections, 64 sessions)");

  auto speak_flags = [](CLI::App* cmd, rtts::app::speak_options& o) {
    cmd->add_option("--url", o.url, "Server")->envname("RTTS_URL")->capture_default_str();
    cmd->add_option("--engine", o.engine, "Engine");
    cmd->add_option("--voice", o.voice, "Voice id (see `rtts voices`)");
    cmd->add_option("--speed", o.speed, "0.25-4.0")->capture_default_str();
    cmd->add_option("--pitch", o.pitch, "0.5-2.0")->capture_default_str();
    cmd->add_option("--sample-rate", o.sample_rate, "Output rate in Hz (default: the engine's)");
    cmd->add_option("-o,--output", o.output, "Write the audio to FILE (a WAV with exact sizes for wav/pcm)");
    cmd->add_flag("--play", o.play, "Play through the sound card as it arrives (default when there is no -o)");
  };
  rtts::app::say_options say_options;
  auto* say = app.add_subcommand("say", "Speak text through a server's /tts (text from the argument or stdin)");
  say->add_option("text", say_options.text, "Text to speak (default: stdin)");
  speak_flags(say, say_options);
  say->add_option("--format", say_options.format, "wav, pcm, mp3, opus, aac, flac, ulaw, alaw")->capture_default_str();
  say->add_flag("--openai", say_options.openai, "Use POST /v1/audio/speech instead of GET /tts");
  say->add_flag("--words", say_options.words, "Print each word's start and end time (seconds) and the word to stdout, as the audio arrives");

  rtts::app::ws_options ws_options;
  auto* ws = app.add_subcommand("ws", "Speak messages over the /ws WebSocket (or stream words with --stream)");
  ws->add_option("messages", ws_options.messages, "Messages, one utterance each (default: lines of stdin)");
  speak_flags(ws, ws_options);
  ws->add_flag("--stream", ws_options.stream, "Send the words one by one over /v1/audio/speech-stream");

  rtts::app::catalogue_options catalogue;
  auto* voices = app.add_subcommand("voices", "List a server's voices");
  auto* engines = app.add_subcommand("engines", "List a server's engines");
  for (auto* cmd : {voices, engines}) {
    cmd->add_option("--url", catalogue.url, "Server")->envname("RTTS_URL")->capture_default_str();
    cmd->add_flag("--json", catalogue.json, "Print the server's JSON");
  }
  voices->add_option("--engine", catalogue.engine, "Engine (default: the server's default)");
  // The neural voices installed here, managed from the files: `rtts voices list | import | rm`.
  rtts::app::voice_folder_options installed;
  std::vector<std::string> import_paths, remove_ids;
  auto* voices_list = voices->add_subcommand("list", "List the neural voices installed in the voices folders");
  auto* voices_import = voices->add_subcommand("import", "Install voices you have: a Piper X.onnx (with X.onnx.json) or a voice's folder");
  voices_import->add_option("paths", import_paths, "Files or folders")->required();
  auto* voices_rm = voices->add_subcommand("rm", "Remove installed voices (a running server lets streams using one finish)");
  voices_rm->add_option("ids", remove_ids, "Voice ids (engine:id when several engines have the id)")->required();
  for (auto* cmd : {voices_list, voices_import, voices_rm})
    cmd->add_option("--voices-dir", installed.folders, "Voices folder (repeatable; default: RTTS_VOICES_DIRS or ~/.local/share/rtts/voices); import installs into the first")
        ->delimiter(':');
  voices_list->add_flag("--json", installed.json, "Print JSON");
  rtts::app::pull_options pulling;
  std::vector<std::string> pull_ids;
  bool list_available = false;
  auto* voices_pull = voices->add_subcommand("pull", "Download voices from the catalogue, verify them and install them");
  voices_pull->add_option("ids", pull_ids, "Voice ids (rtts voices list --available)")->required();
  voices_pull->add_flag("--progress-json", pulling.progress_json, "Progress and outcome as JSON lines on stdout");
  voices_list->add_flag("--available", list_available, "List the catalogue's voices instead (installed ones marked)");
  for (auto* cmd : {voices_list, voices_pull}) {
    cmd->add_option("--catalog-url", pulling.catalog_urls, "Catalogue (repeatable): Piper's voices.json or a GitHub release of sherpa-onnx packages; https://..., or a local file (a mirror with the files beside it). Default: Piper's and sherpa-onnx's")
        ->envname("RTTS_CATALOG_URL")->delimiter(',');
    cmd->add_option("--cache-dir", pulling.cache_dir, "Where the last catalogue fetched is kept (default ~/.cache/rtts)")->envname("RTTS_CACHE_DIR");
  }
  voices_pull->add_option("--voices-dir", pulling.folders, "Voices folder to install into (default: RTTS_VOICES_DIRS or ~/.local/share/rtts/voices)")
      ->delimiter(':');

  CLI11_PARSE(app, argc, argv);
  if (*say) return rtts::app::say(say_options);
  if (*ws) return rtts::app::ws(ws_options);
  if (*voices_list && list_available) {
    pulling.folders = installed.folders;
    pulling.json = installed.json;
    return rtts::app::voices_available(pulling);
  }
  if (*voices_list) return rtts::app::voices_list(installed);
  if (*voices_pull) return rtts::app::voices_pull(pulling, pull_ids);
  if (*voices_import) return rtts::app::voices_import(installed, import_paths);
  if (*voices_rm) return rtts::app::voices_remove(installed, remove_ids);
  if (*voices) return rtts::app::voices(catalogue);
  if (*engines) return rtts::app::engines(catalogue);
  if (*bench) return rtts::app::bench(bench_options);
  if (*serve) {
    if (!config_file.empty()) {
      if (auto applied = apply_config_file(*serve, config_file); !applied) {
        std::fprintf(stderr, "rtts: %s\n", applied.error().message.c_str());
        return 2;
      }
    }
    // Flags and config-file values reach the openai engine's workers as their environment.
    for (const auto& [name, value] : {std::pair{"RTTS_PROXY_URL", &proxy_url}, std::pair{"RTTS_PROXY_KEY", &proxy_key},
                                      std::pair{"RTTS_PROXY_MODEL", &proxy_model}, std::pair{"RTTS_PROXY_VOICES", &proxy_voices}})
      if (!value->empty()) ::setenv(name, value->c_str(), 1);
    std::string folders;
    for (const auto& f : voices_dirs) folders += (folders.empty() ? "" : ":") + f;
    for (const auto& [name, value] : {std::pair{"RTTS_VOICES_DIRS", &folders}, std::pair{"RTTS_NEURAL_MEMORY", &neural_memory},
                                      std::pair{"RTTS_NEURAL_RUNTIME", &neural_runtime}, std::pair{"RTTS_CACHE_DIR", &cache_dir}})
      if (!value->empty()) ::setenv(name, value->c_str(), 1);
    rtts::api::set_log_format(log_format == "json" ? rtts::api::log_format::json : rtts::api::log_format::text);
    rtts::api::set_log_level(log_level == "debug" ? rtts::api::log_level::debug : rtts::api::log_level::info);
    // Keys from flags, RTTS_API_KEYS (comma-separated) and a key file all count.
    config.api_keys = api_keys;
    if (const char* env = std::getenv("RTTS_API_KEYS")) {
      auto more = rtts::api::split_keys(env);
      config.api_keys.insert(config.api_keys.end(), more.begin(), more.end());
    }
    if (!api_key_file.empty()) {
      auto more = rtts::api::read_key_file(api_key_file);
      if (!more) {
        std::fprintf(stderr, "rtts: %s\n", more.error().message.c_str());
        return 2;
      }
      config.api_keys.insert(config.api_keys.end(), more->begin(), more->end());
    }
    for (const auto& mapping : openai_voices) {
      auto eq = mapping.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == mapping.size()) {
        std::fprintf(stderr, "rtts: --openai-voice wants NAME=engine:voice, got '%s'\n", mapping.c_str());
        return 2;
      }
      config.openai_voices[mapping.substr(0, eq)] = mapping.substr(eq + 1);
      config.openai_voices_configured.insert(mapping.substr(0, eq));
    }
    return rtts::app::serve(config);
  }
  if (*worker) return rtts::worker::run_worker(rtts::engines::create_engine(engine), fd, stream_processes);
  return EXIT_FAILURE;
}
