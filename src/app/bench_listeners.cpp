#include "app/bench_listeners.hpp"

#include "core/report_failure.hpp"

#include "app/bench_load.hpp"
#include "app/player_clock.hpp"
#include "client/server_process.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rtts::app {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

// Plain sentences of everyday length; each listener's text starts at another one.
const char* const sentences[] = {
    "The old lighthouse stood at the edge of the cliff, its white walls weathered by a hundred winters.",
    "Every night, the keeper climbed the spiral stairs to light the great lamp.",
    "Its beam swept across the dark water to guide the fishing boats home.",
    "Nobody in the village could remember a night when the light had failed.",
    "Your train to the city leaves from platform four in ten minutes.",
    "Please hold the line, and the next free agent will answer your call shortly.",
    "Turn left at the next junction, then keep right for two hundred metres.",
    "The meeting has moved to three o'clock on Thursday, in the large room on the second floor.",
    "Once upon a time, in a kingdom by the sea, there lived a princess who loved to read.",
    "Every evening she climbed the tallest tower with a lantern and a book.",
};

std::string listener_text(unsigned k, std::size_t chars) {
  std::string text;
  constexpr std::size_t n = std::size(sentences);
  for (std::size_t i = k % n; text.size() < chars; i = (i + 1) % n) text += std::string(sentences[i]) + " ";
  return text;
}

std::string tts_target(const listener_options& o, const std::string& text) {
  std::string t = "/tts?text=" + client::url_encode(text);
  if (!o.voice.empty()) t += "&voice=" + client::url_encode(o.voice);
  if (!o.engine.empty()) t += "&engine=" + client::url_encode(o.engine);
  return t;
}

// Seconds of speech per character of the listeners' texts, for this voice: one request alone.
result<double> seconds_per_char(const client::endpoint& at, const listener_options& o) {
  std::string text = listener_text(0, 600);
  client::http_request req;
  req.target = tts_target(o, text);
  std::size_t bytes = 0;
  auto r = client::fetch(at, req, [&](std::string_view piece) {
    bytes += piece.size();
    return true;
  });
  if (!r) return r.error();
  if (r->status != 200 || !r->complete) return make_error(error_kind::unavailable, "the calibration request failed: HTTP " + std::to_string(r->status));
  int rate = std::atoi(r->header("x-audio-sample-rate").c_str());
  if (rate <= 0 || bytes <= 44) return make_error(error_kind::unavailable, "the calibration request gave no audio");
  return (static_cast<double>(bytes - 44) / 2 / rate) / static_cast<double>(text.size());
}

// The sum of every series of a counter in a Prometheus text page.
double metric_sum(const std::string& page, const std::string& name) {
  double sum = 0;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(name) && (line.size() > name.size() && (line[name.size()] == '{' || line[name.size()] == ' ')))
      sum += std::atof(line.c_str() + line.rfind(' ') + 1);
  return sum;
}

double server_metric(const client::endpoint& at, const std::string& name) {
  client::http_request req;
  req.target = "/metrics";
  auto r = client::fetch(at, req);
  return r && r->status == 200 ? metric_sum(r->body, name) : 0;
}

struct listener_outcome {
  enum class end { pending, completed, failed, refused } how = end::pending;
  player_clock player{player_clock::seconds(0.3)};
  clock_type::time_point asked{};
  double audio_seconds = 0;
  std::string error;
};

asio::awaitable<void> listen(asio::ip::tcp::endpoint server, std::string target, std::string host, clock_type::time_point arrival,
                             listener_outcome& out) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer wait(ex, arrival);
  co_await wait.async_wait(no_throw);
  auto fail = [&](std::string why) {
    out.how = listener_outcome::end::failed;
    out.error = std::move(why);
  };
  out.asked = clock_type::now();
  beast::tcp_stream stream(ex);
  stream.expires_after(60s);
  if (auto [ec] = co_await stream.async_connect(server, no_throw); ec) co_return fail("connect: " + ec.message());
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, host);
  if (auto [ec, n] = co_await http::async_write(stream, req, no_throw); ec) co_return fail("write: " + ec.message());
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, no_throw); ec) co_return fail("read: " + ec.message());
  const auto& head = parser.get();
  if (head.result_int() == 429) {
    out.how = listener_outcome::end::refused;
    co_return;
  }
  if (head.result_int() != 200) co_return fail("HTTP " + std::to_string(head.result_int()));
  int rate = std::atoi(std::string(head["X-Audio-Sample-Rate"]).c_str());
  if (rate <= 0) co_return fail("no X-Audio-Sample-Rate");
  std::size_t header_left = 44; // the WAV header comes first; only audio counts
  char chunk[16384];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    stream.expires_after(60s);
    // As a player: what has arrived plays now (async_read would wait until the chunk is full).
    auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, no_throw);
    if (ec && ec != http::error::need_buffer) co_return fail("stream cut short: " + ec.message());
    std::size_t got = sizeof chunk - parser.get().body().size;
    std::size_t skip = std::min(got, header_left);
    header_left -= skip;
    if (got > skip) {
      double seconds = static_cast<double>(got - skip) / 2 / rate;
      out.player.arrived(clock_type::now(), player_clock::seconds(seconds));
      out.audio_seconds += seconds;
    }
  }
  out.how = out.audio_seconds > 0 ? listener_outcome::end::completed : listener_outcome::end::failed;
  if (out.audio_seconds <= 0) out.error = "no audio";
}

} // namespace

listener_report run_listeners(const client::endpoint& at, const listener_options& o, pid_t server) {
  listener_report report;
  report.listeners = o.listeners;
  auto spc = seconds_per_char(at, o);
  if (!spc) {
    report.sample_errors.push_back(spc.error().message);
    report.failed = o.listeners;
    return report;
  }
  auto chars = static_cast<std::size_t>(std::ceil(o.speech_seconds / *spc));
  report.text_chars = static_cast<double>(chars);

  asio::io_context io(1);
  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto found = resolver.resolve(at.host, std::to_string(at.port), ec);
  if (ec || found.empty()) {
    report.sample_errors.push_back("cannot resolve " + at.host);
    report.failed = o.listeners;
    return report;
  }
  auto server_at = found.begin()->endpoint();
  std::string host = at.host + ":" + std::to_string(at.port);

  double misses_before = server_metric(at, "rtts_deadline_misses_total");
  long long ticks_before = client::tree_cpu_ticks(server);
  double cpu_before = cpu_seconds_of_this_process();
  std::vector<listener_outcome> outcomes(o.listeners);
  auto t0 = clock_type::now() + 50ms;
  for (unsigned k = 0; k < o.listeners; ++k) {
    outcomes[k].player = player_clock(player_clock::seconds(o.buffer_seconds));
    auto arrival = t0 + std::chrono::duration_cast<clock_type::duration>(
                            std::chrono::duration<double>(o.listeners > 1 ? o.arrivals_over * k / (o.listeners - 1) : 0));
    asio::co_spawn(io, listen(server_at, tts_target(o, listener_text(k, chars)), host, arrival, outcomes[k]), report_failure{"a bench listener"});
  }
  // Server memory, sampled on the same thread while the listeners run.
  bool running = true;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    asio::steady_timer tick(io);
    while (running && server > 0) {
      report.server_peak_rss_mb = std::max(report.server_peak_rss_mb, client::rss_kib(server) / 1024.0);
      tick.expires_after(50ms);
      co_await tick.async_wait(no_throw);
      running = std::any_of(outcomes.begin(), outcomes.end(), [](const auto& x) { return x.how == listener_outcome::end::pending; });
    }
  }, report_failure{"the bench's memory sampler"});
  io.run();
  report.wall_seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
  report.client_cpu_percent = 100 * (cpu_seconds_of_this_process() - cpu_before) / report.wall_seconds;
  if (server > 0) report.server_cpu_percent = client::cpu_percent(client::tree_cpu_ticks(server) - ticks_before, report.wall_seconds);
  report.server_deadline_misses = server_metric(at, "rtts_deadline_misses_total") - misses_before;

  for (const auto& x : outcomes) {
    switch (x.how) {
    case listener_outcome::end::completed: ++report.completed; break;
    case listener_outcome::end::refused: ++report.refused; break;
    default:
      ++report.failed;
      if (report.sample_errors.size() < 3) report.sample_errors.push_back(x.error);
    }
    if (x.player.started()) report.first_audio_ms.push_back(std::chrono::duration<double, std::milli>(x.player.first_audio() - x.asked).count());
    report.audio_seconds += x.audio_seconds;
    report.underruns += x.player.underruns();
    report.worst_gap_s = std::max(report.worst_gap_s, x.player.worst_gap().count());
    report.never_dry += x.how == listener_outcome::end::completed && x.player.underruns() == 0;
  }
  return report;
}

} // namespace rtts::app
