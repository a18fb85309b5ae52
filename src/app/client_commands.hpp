#pragma once
// The command-line clients: `rtts say`, `rtts ws`, `rtts voices`, `rtts engines`.
#include <string>
#include <vector>

namespace rtts::app {

struct speak_options {
  std::string url = "http://127.0.0.1:8000";
  std::string engine, voice;
  double speed = 1.0, pitch = 1.0;
  int sample_rate = 0;
  std::string output; // -o FILE
  bool play = false;
};

struct say_options : speak_options {
  std::string text;          // empty = read stdin
  std::string format = "wav"; // wav and pcm are received as PCM; others are saved as sent
  bool openai = false;       // POST /v1/audio/speech instead of GET /tts
  bool words = false;        // ask for word timestamps and print "start<TAB>end<TAB>word" lines to stdout
};

struct ws_options : speak_options {
  std::vector<std::string> messages; // empty = one per line of stdin
  bool stream = false;               // words over /v1/audio/speech-stream instead of /ws
};

struct catalogue_options {
  std::string url = "http://127.0.0.1:8000";
  std::string engine;
  bool json = false;
};

int say(const say_options& o);
int ws(const ws_options& o);
int voices(const catalogue_options& o);
int engines(const catalogue_options& o);

} // namespace rtts::app
