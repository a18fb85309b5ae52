#include "synth/voice_folder_watch.hpp"

#include "core/on_pool.hpp"

#include "core/report_failure.hpp"
#include "engines/neural/neural_engine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rtts::synth {
namespace asio = boost::asio;

voice_folder_watch::voice_folder_watch(asio::io_context& io, asio::thread_pool& compute, synthesizer& synth, std::chrono::milliseconds interval)
    : io_(io), compute_(compute), synth_(synth), interval_(interval), folders_(engines::neural::neural_settings::from_environment().voice_folders),
      wake_(io) {
  applied_ = last_seen_ = engines::neural::voice_folders_state(folders_);
}

void voice_folder_watch::start() {
  if (started_) return;
  started_ = true;
  asio::co_spawn(io_, run(shared_from_this()), report_failure{"the voices folder watch"});
}

void voice_folder_watch::look_now() {
  forced_ = true;
  wake_.cancel();
}

void voice_folder_watch::stop() {
  stopped_ = true;
  wake_.cancel();
}

asio::awaitable<void> voice_folder_watch::run(std::shared_ptr<voice_folder_watch> self) {
  while (!self->stopped_) {
    if (!self->forced_) {
      // With polling off, only SIGHUP wakes it (the timer then never fires by itself).
      self->wake_.expires_after(self->interval_.count() > 0 ? self->interval_ : std::chrono::hours(24 * 365));
      boost::system::error_code ec;
      co_await self->wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (self->stopped_) break;
    bool forced = std::exchange(self->forced_, false);
    // Named, not a temporary in the co_await expression (g++ 12 destroys those twice).
    auto look = [folders = self->folders_] { return engines::neural::voice_folders_state(folders); };
    auto state = co_await on_pool(self->compute_, std::move(look));
    // Acted on when asked, or when a change has held still since the last look.
    bool settled = state == self->last_seen_;
    self->last_seen_ = state;
    if (forced || (settled && state != self->applied_)) co_await self->refresh(std::move(state));
  }
}

asio::awaitable<void> voice_folder_watch::refresh(std::string state) {
  auto inventory = co_await on_pool(compute_, engines::take_neural_inventory);
  if (stopped_) co_return;
  std::fprintf(stderr, "rtts: voices folders changed: %s\n", inventory.summary.c_str());
  applied_ = std::move(state);
  co_await synth_.refresh_voices(std::move(inventory));
}

} // namespace rtts::synth
