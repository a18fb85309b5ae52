#pragma once
// The worker processes of one engine and the queue of streams waiting for them. Streams are
// served one fragment at a time, earliest playback deadline first, so a long text never blocks
// the streams behind it and new streams start at once; where the engine keeps a process per
// stream, a fragment is served in slices (its job pauses) while other streams wait. A stream
// whose client lags behind waits until it has taken its audio. A worker that dies fails the
// streams whose processes it held and is replaced.
#include "synth/realtime_admission.hpp"
#include "synth/speech_stream.hpp"
#include "synth/wake_list.hpp"
#include "worker/worker_process.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtts::synth {

struct pool_settings {
  std::string engine;
  std::string executable; // the rtts binary, started as `rtts worker`
  unsigned workers = 1;
  // Watchdog: a worker that has not finished a fragment after this long is killed and replaced,
  // and its stream ends with an error (engines can hang; the queue must keep flowing).
  std::chrono::milliseconds fragment_timeout{10000};
  // The same for a fragment whose worker first loads its voice (neural models: seconds each).
  std::chrono::milliseconds load_timeout{120000};
  // What a listener buffers before playing (--listener-buffer-ms), for admission.
  std::chrono::milliseconds listener_buffer{300};
  // Job processes a worker keeps for streams at most (engines with a process per stream): the
  // server's --max-streams, so that every stream it admits can have one.
  std::size_t stream_processes = 512;
  // While other streams wait, a job of an engine with a process per stream pauses after this
  // much audio (a stream's first job after its first piece), and the most urgent stream goes
  // next: a long fragment does not hold up new streams' first audio, and a burst of new streams
  // each get theirs before any gets more.
  std::chrono::milliseconds slice{1000};
};

class engine_pool : public std::enable_shared_from_this<engine_pool>, private worker::worker_listener {
public:
  engine_pool(boost::asio::any_io_executor ex, pool_settings settings);
  ~engine_pool() override;

  // Starts the workers and waits until all have said hello; after `timeout`, one is enough.
  boost::asio::awaitable<result<void>> start(std::chrono::milliseconds timeout);
  // start() in two halves, so that several engines start at once: spawn, then wait.
  void launch();
  boost::asio::awaitable<result<void>> wait_ready(std::chrono::milliseconds timeout);
  void stop();

  // The catalogue the workers reported.
  const worker::worker_hello& info() const { return info_; }
  bool has_voice(const std::string& id) const; // usable voices only
  // Installed voices that cannot be used, with the reason (voice_info::broken).
  const std::vector<engines::voice_info>& broken_voices() const { return broken_voices_; }
  const engines::voice_info* broken_voice(const std::string& id) const;
  std::vector<pid_t> worker_pids() const;

  struct stats {
    std::size_t workers = 0, ready = 0, busy = 0, waiting_streams = 0, streams_in_flight = 0;
    // Admission by real-time capacity: streams with text left to synthesize, and the share of the
    // ready workers' time they need to stay ahead of real-time listeners (1 = all of it).
    std::size_t streams_in_synthesis = 0;
    double realtime_load = 0;
    // Engines that load voices on use (neural): loads into the current workers, and what each holds.
    std::uint64_t voice_loads = 0;
    std::vector<std::vector<std::string>> resident_voices;
  };
  stats current_stats() const;

  // Admission by real-time capacity: whether one more stream of `voice` (`chars` of text, the
  // first fragment `first_chars` of them: a one-fragment utterance has no deadline to miss) can
  // be kept ahead of its listener together with the streams still in synthesis, in `load` of the
  // workers' time (synth/realtime_admission.hpp). Speeds are measured from the jobs (audio
  // seconds per wall second and per character, per voice); a voice not yet measured costs what
  // the engine's measured voices cost on average, and with nothing measured or nothing else in
  // synthesis a stream is admitted. The refusal says when to retry.
  result<void> admit(const std::string& voice, std::size_t chars, std::size_t first_chars, double load) const;
  // Has the workers read their installed voices again (voices added or removed by hand or by
  // `rtts voices`); the catalogue changes when the first answers. Streams in progress finish
  // with the voice they have, also one that was removed.
  void rescan();
  // Until the catalogue is the answer to the latest rescan (or `timeout`: no worker answered).
  boost::asio::awaitable<void> wait_rescanned(std::chrono::milliseconds timeout);
  // Queues the stream's fragments; audio arrives in the stream.
  void submit(const std::shared_ptr<speech_stream>& stream);
  // Streams admitted and not yet finished by their clients.
  std::size_t streams_in_flight() const { return *in_flight_; }

private:
  // Admitted, not cancelled, with text left to synthesize.
  static bool still_synthesizing(const std::weak_ptr<speech_stream>& w);
  struct job {
    std::shared_ptr<speech_stream> stream;
    std::shared_ptr<worker::worker_process> worker;
    std::shared_ptr<boost::asio::steady_timer> watchdog;
    bool timed_out = false;
    // For the speed measurements: what it said, how much audio came, since when.
    std::string voice;
    std::size_t chars = 0;
    std::uint64_t samples = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    bool loaded_voice = false; // the worker loaded the voice first: not a measure of speed
    bool first_of_stream = false;   // the stream's first job: its cost is the price of starting a stream
    bool paused = false;            // waits in its job process for the stream's next turn
    double earlier_slices_s = 0;    // wall time of its slices before the one since `started`
  };
  // Measured per voice: sums over recent jobs, older jobs fading out (a ratio of sums weighs
  // each job by its length, and one odd fragment does not swing it the way an average of
  // per-job ratios does). Speed = audio seconds per wall second of one worker.
  struct voice_speed {
    double audio_s = 0, wall_s = 0, chars = 0;
    double audio_per_second() const { return wall_s > 0 ? audio_s / wall_s : 0; }
    double audio_per_char() const { return chars > 0 ? audio_s / chars : 0; }
  };
  void measure(const job& j);
  void measure_first_job(double wall_s); // the price of starting a stream: its first job, or first slice
  // The streams in synthesis, as admission sees them (synth/realtime_admission.hpp).
  std::vector<stream_demand> in_synthesis() const;
  double audio_per_char(const std::string& voice) const; // measured; 0 = unknown
  stream_demand not_yet_begun(const std::string& voice, std::size_t chars, std::size_t first_chars) const;
  double first_job_work() const; // worker-seconds a stream's first job takes (measured)
  double cost_of(const std::string& voice) const; // worker-seconds per audio second; 0 = unknown
  void log_lateness(const speech_stream& s) const;
  error worker_crashed() const; // a stream's failure when the worker holding its process died
  void log_catalogue_change(const worker::worker_hello& next) const; // voices installed and removed
  void arm_watchdog(std::uint64_t id, std::chrono::milliseconds timeout);

  void spawn_worker(std::size_t slot);
  void respawn_later(std::size_t slot);
  void dispatch();
  // Samples `stream`'s job (of `voice`) may make before it pauses (0: no pause), see
  // pool_settings::slice; `next` is the earliest deadline of the streams still waiting.
  using deadline = std::chrono::steady_clock::time_point;
  std::uint64_t allowance(const speech_stream& stream, const std::string& voice, std::optional<deadline> next) const;
  void resume(speech_stream& stream, std::optional<deadline> next);
  // Ends a paused job whose stream is cancelled or failed: its process goes with the stream's home.
  void drop_paused(std::map<std::uint64_t, job>::iterator it);
  // The most urgent waiting stream that one of the `idle` workers can run, and the earliest
  // deadline of the streams that go on waiting (nothing: none).
  struct most_urgent {
    std::shared_ptr<speech_stream> stream;
    std::optional<deadline> next;
  };
  most_urgent take_most_urgent(const std::vector<std::shared_ptr<worker::worker_process>>& idle);
  // For engines with a process per stream: names the stream's process in `request` (kept on `w`
  // from the stream's first fragment, ended after its last).
  // A job that may pause needs its process kept, so it gets one also when it is the stream's last.
  void place_in_stream_process(speech_stream& stream, const std::shared_ptr<worker::worker_process>& w, worker::synthesize_request& request,
                               std::uint64_t pause_after);
  void enqueue(const std::shared_ptr<speech_stream>& stream);
  std::size_t slot_of(const worker::worker_process& w) const;

  void on_hello(worker::worker_process& w, const worker::worker_hello& hello, std::uint64_t rescan) override;
  void on_audio(worker::worker_process& w, std::uint64_t job, std::span<const std::int16_t> pcm) override;
  void on_word(worker::worker_process& w, std::uint64_t job, const worker::timed_word& word) override;
  void on_loading(worker::worker_process& w, std::uint64_t job) override;
  void on_job_end(worker::worker_process& w, std::uint64_t job, const result<void>& outcome) override;
  void on_job_paused(worker::worker_process& w, std::uint64_t job) override;
  void on_exit(worker::worker_process& w, std::uint64_t job) override;

  boost::asio::any_io_executor ex_;
  pool_settings settings_;
  std::vector<std::shared_ptr<worker::worker_process>> workers_; // null while a slot restarts
  std::vector<unsigned> crashes_;                                // quick successive deaths per slot
  worker::worker_hello info_;
  std::vector<engines::voice_info> broken_voices_;
  bool have_info_ = false;
  std::uint64_t rescans_ = 0, rescan_applied_ = 0; // asked for; the latest whose answer is the catalogue
  bool stopping_ = false;
  std::deque<std::weak_ptr<speech_stream>> waiting_;
  std::map<std::uint64_t, job> jobs_;
  std::uint64_t next_job_ = 1;
  std::uint64_t next_stream_id_ = 1; // for job processes kept per stream
  bool unusable_ = false; // a worker died before any said hello: the engine cannot run here
  std::string start_error_; // why, as the worker said
  boost::asio::steady_timer hello_wait_;
  wake_list rescan_wait_;
  std::shared_ptr<std::size_t> in_flight_ = std::make_shared<std::size_t>(0);
  std::map<std::string, voice_speed> speeds_;
  double first_job_wall_s_ = 0, first_jobs_ = 0; // fading sums over recent first jobs (starting a stream)
  std::vector<std::weak_ptr<speech_stream>> in_synthesis_; // admitted, with text left to synthesize
};

} // namespace rtts::synth
