#pragma once
// `rtts bench --engine-only`: the engine's own limit, with no server in between. Starts
// `rtts worker` processes and drives them directly over the worker protocol with the same
// fragments the server would send. Server throughput is compared against this.
#include "app/bench_load.hpp"
#include "core/error.hpp"

#include <string>
#include <vector>

namespace rtts::app {

struct engine_only_result {
  unsigned workers = 0;
  unsigned fragments = 0;
  double audio_seconds = 0, wall_seconds = 0;
  double cpu_seconds = 0; // of the workers and their job processes
  double throughput() const { return wall_seconds > 0 ? audio_seconds / wall_seconds : 0; }
  double audio_per_cpu_second() const { return cpu_seconds > 0 ? audio_seconds / cpu_seconds : 0; }
};

result<engine_only_result> measure_engine_only(const std::string& executable, const std::string& engine, unsigned workers,
                                               const std::vector<bench_item>& corpus, unsigned rounds);

} // namespace rtts::app
