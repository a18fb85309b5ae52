#include "synth/voice_fetcher.hpp"

#include "core/json_fields.hpp"
#include "engines/neural/neural_engine.hpp"
#include "synth/self_command.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

namespace rtts::synth {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// The arguments that point a `rtts voices ...` child at this server's store.
std::vector<std::string> store_args(const server_config& config) {
  auto settings = engines::neural::neural_settings::from_environment();
  std::vector<std::string> args{"--cache-dir", settings.cache_dir};
  for (const auto& url : config.catalog_urls) args.insert(args.end(), {"--catalog-url", url});
  for (const auto& f : settings.voice_folders) args.insert(args.end(), {"--voices-dir", f});
  return args;
}

} // namespace

std::vector<std::string> pull_command(const server_config& config, const std::string& id) {
  std::vector<std::string> args{"voices", "pull", "--progress-json"};
  auto store = store_args(config);
  args.insert(args.end(), store.begin(), store.end());
  args.insert(args.end(), {"--", id}); // never an option, whatever the id says
  return args;
}

std::vector<std::string> available_command(const server_config& config) {
  std::vector<std::string> args{"voices", "list", "--available", "--json"};
  auto store = store_args(config);
  args.insert(args.end(), store.begin(), store.end());
  return args;
}

asio::awaitable<result<void>> voice_fetcher::fetch(std::string engine, std::string id, asio::thread_pool& compute) {
  if (auto running = pulling_.find(id); running != pulling_.end()) {
    auto shared = running->second; // the pull already asked for: its outcome is this one's
    while (!shared->outcome) co_await shared->done.wait();
    co_return *shared->outcome;
  }
  auto mine = std::make_shared<pending>();
  pulling_.emplace(id, mine);
  while (busy_) co_await turn_.wait();
  busy_ = true;
  auto outcome = co_await pull(engine, id, compute);
  busy_ = false;
  turn_.wake_all();
  pulling_.erase(id);
  mine->outcome = outcome;
  mine->done.wake_all();
  co_return outcome;
}

asio::awaitable<void> voice_fetcher::read_ahead(asio::thread_pool& compute) {
  while (busy_) co_await turn_.wait();
  busy_ = true;
  co_await read_catalogue(compute); // an error is logged by the child and tried again at the first pull
  busy_ = false;
  turn_.wake_all();
}

asio::awaitable<result<void>> voice_fetcher::read_catalogue(asio::thread_pool& compute) {
  if (catalogue_known_ && std::chrono::steady_clock::now() - catalogue_read_ < 10min) co_return result<void>{};
  auto child = self_command::start(co_await asio::this_coro::executor, available_command(config_));
  if (!child) co_return child.error();
  auto listed = co_await (*child)->next_line(); // one line of JSON; nothing when it failed
  int status = co_await (*child)->exit_status(compute);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(listed.value_or(""), ec);
  if (status != 0 || ec || !parsed.is_array()) {
    if (catalogue_known_) co_return result<void>{}; // the last list read stands in
    co_return make_error(error_kind::unavailable, "the voice catalogue could not be read (see the server's log)", "catalog_unavailable");
  }
  catalogue_.clear();
  for (const auto& v : parsed.as_array())
    if (v.is_object()) {
      const auto& o = v.as_object();
      if (auto id = json_text(o, "id"), engine = json_text(o, "engine"); !id.empty() && !engine.empty())
        catalogue_.emplace(std::move(id), offer{std::move(engine), json_text(o, "language")});
    }
  catalogue_known_ = true;
  catalogue_read_ = std::chrono::steady_clock::now();
  co_return result<void>{};
}

asio::awaitable<result<void>> voice_fetcher::pull(const std::string& engine, const std::string& id, asio::thread_pool& compute) {
  if (auto read = co_await read_catalogue(compute); !read) co_return read.error();
  if (auto offered = catalogue_.find(id); offered == catalogue_.end() || offered->second.engine != engine)
    co_return make_error(error_kind::not_found, "no " + engine + " voice '" + id + "' is installed, and the voice catalogues have none of that name either"
                                                "; GET /v1/audio/voices?available=1 lists both", "unknown_voice", "voice");
  std::fprintf(stderr, "rtts: auto-pull: installing %s voice %s from the catalogue\n", engine.c_str(), id.c_str());
  auto child = self_command::start(co_await asio::this_coro::executor, pull_command(config_, id));
  if (!child) co_return child.error();
  std::string reason = "see the server's log";
  while (auto line = co_await (*child)->next_line()) {
    boost::system::error_code ec;
    auto event = boost::json::parse(*line, ec);
    const auto* message = !ec && event.is_object() ? event.as_object().if_contains("message") : nullptr;
    if (message && message->is_string()) reason = std::string(message->as_string());
  }
  if (int status = co_await (*child)->exit_status(compute); status != 0) {
    std::fprintf(stderr, "rtts: auto-pull of %s voice %s failed: %s\n", engine.c_str(), id.c_str(), reason.c_str());
    co_return make_error(error_kind::unavailable, "voice '" + id + "' is in the catalogue but could not be installed: " + reason, "voice_pull_failed", "voice");
  }
  co_return result<void>{};
}

} // namespace rtts::synth
