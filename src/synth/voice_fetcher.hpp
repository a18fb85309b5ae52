#pragma once
// --auto-pull: a request for a Piper, Kokoro or Kitten voice that is not installed but is in the
// voice catalogues installs it first and is then served, as wyoming-piper does on first use, but verified: the
// same `rtts voices pull` as the CLI and POST /v1/audio/voices/pull runs as a child (sizes and
// MD5 checked, installed atomically). Off by default: then an unknown voice is a 404 and nothing
// is downloaded.
//
// Every caller is on the network thread. Requests for one voice share one pull; pulls run one at
// a time (each is tens of megabytes: clients may not fill the disk and the link in parallel);
// names the catalogue does not have are refused from a list of its ids kept for ten minutes, so
// made-up names start no child.
#include "core/config.hpp"
#include "core/error.hpp"
#include "synth/wake_list.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtts::synth {

// The `rtts voices` commands the server runs as children (synth/self_command.hpp), pointed at
// its voices folders, cache and catalogues: `voices pull --progress-json -- ID` and
// `voices list --available --json`.
std::vector<std::string> pull_command(const server_config& config, const std::string& id);
std::vector<std::string> available_command(const server_config& config);

class voice_fetcher {
public:
  explicit voice_fetcher(const server_config& config) : config_(config) {}

  // Installs catalogue voice `id` of `engine` in the first voices folder (done at once when it is
  // there). not_found ("unknown_voice") when the catalogues have no such voice of that engine,
  // unavailable when no catalogue can be read or the pull failed (with the pull's reason).
  boost::asio::awaitable<result<void>> fetch(std::string engine, std::string id, boost::asio::thread_pool& compute);

  // A voice the catalogues offer.
  struct offer {
    std::string engine, language;
  };
  // What the catalogues offered when last read, by id (empty before the first read).
  const std::map<std::string, offer>& offered() const { return catalogue_; }
  // Reads the catalogues now rather than at the first pull (start-up with --auto-pull), so that
  // Wyoming's describe can offer their voices as not installed, as wyoming-piper does.
  boost::asio::awaitable<void> read_ahead(boost::asio::thread_pool& compute);

private:
  struct pending {
    std::optional<result<void>> outcome;
    wake_list done;
  };
  boost::asio::awaitable<result<void>> pull(const std::string& engine, const std::string& id, boost::asio::thread_pool& compute);
  boost::asio::awaitable<result<void>> read_catalogue(boost::asio::thread_pool& compute);

  server_config config_;
  std::map<std::string, std::shared_ptr<pending>> pulling_; // by voice id
  bool busy_ = false;                                       // a pull (or catalogue read) is running
  wake_list turn_;
  std::map<std::string, offer> catalogue_; // the ids the catalogues can verify
  std::chrono::steady_clock::time_point catalogue_read_{};
  bool catalogue_known_ = false;
};

} // namespace rtts::synth
