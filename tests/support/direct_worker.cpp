#include "direct_worker.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace rtts::testing {

using namespace rtts::worker;

direct_worker::direct_worker(const std::string& engine, const std::vector<std::string>& extra_args) {
  auto started = worker_connection::start(RTTS_BINARY, engine, extra_args);
  if (!started) throw std::runtime_error("the " + engine + " worker did not start: " + started.error().message);
  worker_ = std::move(*started);
}

void direct_worker::send(frame_type type, std::uint64_t job, const std::string& payload) {
  EXPECT_TRUE(worker_->send(type, job, payload)) << "the worker is gone";
}

std::string direct_worker::say(const std::string& text, const std::string& voice, std::uint64_t stream, bool last) {
  synthesize_request r{text, {voice, 1.0, 1.0, {}}, false, {}};
  r.stream = stream;
  r.last = last;
  std::uint64_t job = ++jobs_;
  send(frame_type::synthesize, job, to_json(r));
  std::string audio;
  while (auto f = worker_->next()) {
    if (f->job != job) continue;
    if (f->type == frame_type::audio) audio += f->payload;
    if (f->type == frame_type::done) return audio;
    if (f->type == frame_type::failed) break;
  }
  ADD_FAILURE() << "the fragment failed: " << text;
  return audio;
}

std::string said_as_one_stream(const std::string& engine, const std::vector<std::pair<std::string, std::string>>& fragments) {
  direct_worker w(engine);
  bool one_process = w.hello().capabilities.stream_process;
  std::string pcm;
  for (std::size_t i = 0; i < fragments.size(); ++i)
    pcm += w.say(fragments[i].first, fragments[i].second, one_process ? 1 : 0, i + 1 == fragments.size());
  return pcm;
}

} // namespace rtts::testing
