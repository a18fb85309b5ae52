// The Wyoming listener: accepts connections and gives each a session (wyoming_session.hpp).
#include "wyoming/wyoming_server.hpp"

#include "core/report_failure.hpp"
#include "net/listen.hpp"
#include "session/session_registry.hpp"
#include "wyoming/wyoming_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace rtts::wyoming {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct wyoming_server::impl : std::enable_shared_from_this<impl> {
  asio::io_context& io;
  asio::thread_pool& compute;
  server_config config;
  synth::synthesizer& synth;
  tcp::acceptor acceptor;
  session::session_registry sessions; // for the connection limit, drain and close_all
  bool stopping = false;

  impl(asio::io_context& io_, asio::thread_pool& compute_, const server_config& config_, synth::synthesizer& synth_)
      : io(io_), compute(compute_), config(config_), synth(synth_), acceptor(io_) {}

  static asio::awaitable<void> run_reader(std::shared_ptr<wyoming_session> s) { co_await s->reader(); }

  static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    while (!self->stopping) {
      boost::system::error_code ec;
      tcp::socket socket = co_await self->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto s = std::make_shared<wyoming_session>(self->synth, self->compute, self->config, std::move(socket));
      if (self->sessions.open() >= self->config.max_connections) {
        s->refuse(make_error(error_kind::unavailable, "too many connections (limit " + std::to_string(self->config.max_connections) + ")",
                             "too_many_connections"));
        s->start(self->io.get_executor());
        continue;
      }
      self->sessions.add(s);
      s->start(self->io.get_executor());
      asio::co_spawn(self->io, run_reader(s), report_failure{"a Wyoming session's reader"});
    }
  }
};

wyoming_server::wyoming_server(asio::io_context& io, asio::thread_pool& compute, const server_config& config, synth::synthesizer& synth)
    : impl_(std::make_shared<impl>(io, compute, config, synth)) {}

wyoming_server::~wyoming_server() { stop(); }

result<unsigned> wyoming_server::listen(const std::string& host, unsigned port) { return net::listen_on(impl_->acceptor, host, port); }

void wyoming_server::start() { asio::co_spawn(impl_->io, impl::accept_loop(impl_), report_failure{"the Wyoming accept loop"}); }

void wyoming_server::stop() {
  impl_->stopping = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->sessions.drain_all();
}

void wyoming_server::close_all() { impl_->sessions.close_all(); }

std::size_t wyoming_server::active_connections() const { return impl_->sessions.open(); }

std::size_t wyoming_server::busy_sessions() const { return impl_->sessions.busy(); }

} // namespace rtts::wyoming
