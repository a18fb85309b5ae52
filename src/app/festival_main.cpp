// rtts-festival: the worker program of the Festival engine. Festival is linked here and only
// here, so the server and the other engines' workers never load it; the server starts this
// program (found next to `rtts`) as `rtts-festival worker --engine festival --fd 3` (and ignores
// --stream-processes: Festival keeps a process per fragment).
#include "engines/festival/festival_engine.hpp"
#include "worker/job_process.hpp"
#include "worker/worker_main.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  int fd = 3; // as `rtts worker`: the socket to the server is descriptor 3 unless --fd says otherwise
  std::string engine;
  for (int i = 1; i + 1 < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--fd") fd = std::atoi(argv[i + 1]);
    if (arg == "--engine") engine = argv[i + 1];
  }
  if (argc < 2 || std::string(argv[1]) != "worker" || fd < 0 || engine != "festival") {
    std::fprintf(stderr, "usage: rtts-festival worker --engine festival --fd N (started by `rtts serve`)\n");
    return 2;
  }
  // Festival keeps a process per fragment (engine_capabilities::stream_process is false).
  return rtts::worker::run_worker(rtts::engines::festival_engine::create(), fd, rtts::worker::job_processes::default_max_kept);
}
