#pragma once
// Voices appear and leave without a restart. The voices folders are looked at every
// --voices-poll-ms (the directory walk runs on the compute pool); a change is acted on once it
// has stood still for one look, so a voice being copied in is never read half-written. Then the
// neural engines read their voices again (synthesizer::refresh_voices). SIGHUP looks at once.
// Polling, not inotify: it sees folders that do not exist yet and voices in subfolders alike,
// and a walk of a few dozen voices every two seconds costs nothing measurable.
#include "synth/synthesizer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace rtts::synth {

class voice_folder_watch : public std::enable_shared_from_this<voice_folder_watch> {
public:
  // Takes the folders' state now: call before the engines read their voices, so that nothing
  // installed in between is missed.
  voice_folder_watch(boost::asio::io_context& io, boost::asio::thread_pool& compute, synthesizer& synth, std::chrono::milliseconds interval);
  // Starts looking (after the engines have started).
  void start();
  // Looks at once and refreshes even if nothing seems changed (SIGHUP).
  void look_now();
  void stop();

private:
  static boost::asio::awaitable<void> run(std::shared_ptr<voice_folder_watch> self);
  boost::asio::awaitable<void> refresh(std::string state);

  boost::asio::io_context& io_;
  boost::asio::thread_pool& compute_;
  synthesizer& synth_;
  std::chrono::milliseconds interval_;
  std::vector<std::string> folders_;
  boost::asio::steady_timer wake_;
  std::string applied_, last_seen_;
  bool forced_ = false, started_ = false, stopped_ = false;
};

} // namespace rtts::synth
