#include "app/client_commands.hpp"

#include "api/base64.hpp"
#include "app/audio_output.hpp"
#include "client/http_client.hpp"
#include "client/ws_client.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <sstream>
#include <variant>

namespace rtts::app {
namespace json = boost::json;
namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) { return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count(); }

int fail(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "rtts %s: %s\n", command.c_str(), message.c_str());
  return 1;
}

// "404: engine 'espeak' has no voice 'x'..." from an error response.
std::string server_error(const client::http_response& r) {
  std::string message = r.body;
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (!ec && v.is_object() && v.as_object().contains("error")) message = std::string(v.at("error").at("message").as_string());
  return "the server answered " + std::to_string(r.status) + ": " + message;
}

std::string read_stdin() { return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}; }

std::string voice_query(const speak_options& o) {
  std::string q;
  auto add = [&](const char* key, const std::string& value) { q += (q.empty() ? "" : "&") + std::string(key) + "=" + client::url_encode(value); };
  if (!o.engine.empty()) add("engine", o.engine);
  if (!o.voice.empty()) add("voice", o.voice);
  if (o.speed != 1.0) add("speed", std::to_string(o.speed));
  if (o.pitch != 1.0) add("pitch", std::to_string(o.pitch));
  if (o.sample_rate) add("sample_rate", std::to_string(o.sample_rate));
  return q;
}

// Server-sent events as they arrive (timestamps on): audio deltas go to `audio`, words are
// printed as "start<TAB>end<TAB>word".
class sse_reader {
public:
  explicit sse_reader(std::function<void(std::string_view)> audio) : audio_(std::move(audio)) {}
  void feed(std::string_view piece) {
    pending_ += piece;
    for (std::size_t end; (end = pending_.find("\n\n")) != std::string::npos; pending_.erase(0, end + 2)) {
      std::string_view line(pending_.data(), end);
      if (!line.starts_with("data: ")) continue;
      boost::system::error_code ec;
      auto v = json::parse(line.substr(6), ec);
      if (ec || !v.is_object()) continue;
      const auto& e = v.as_object();
      auto* type = e.if_contains("type");
      if (!type || !type->is_string()) continue;
      if (*type == "speech.audio.delta") audio_(api::base64_decode(e.at("audio").as_string()));
      else if (*type == "speech.word")
        std::printf("%.3f\t%.3f\t%s\n", e.at("start").to_number<double>(), e.at("end").to_number<double>(),
                    std::string(e.at("text").as_string()).c_str());
      else if (*type == "error") failure = std::string(e.at("error").at("message").as_string());
    }
    std::fflush(stdout);
  }
  std::string failure; // the stream's error event, if any

private:
  std::function<void(std::string_view)> audio_;
  std::string pending_;
};

void report(const char* what, double first_ms, std::size_t samples, int rate, double total_ms) {
  double seconds = rate ? static_cast<double>(samples) / rate : 0;
  std::fprintf(stderr, "%s: first audio after %.1f ms; %.2f s of audio in %.0f ms (%.0fx real time)\n", what, first_ms, seconds, total_ms,
               total_ms > 0 ? seconds * 1000 / total_ms : 0.0);
}

} // namespace

int say(const say_options& o) {
  auto at = client::parse_base_url(o.url);
  if (!at) return fail("say", at.error().message);
  std::string text = o.text.empty() ? read_stdin() : o.text;
  bool pcm = o.format == "wav" || o.format == "pcm";
  bool play = o.play || o.output.empty(); // like the example client: no file means play it

  client::http_request req;
  // PCM is requested raw and written into a WAV with exact sizes; other formats pass through.
  std::string wire_format = pcm ? "pcm" : o.format;
  if (o.openai) {
    req.method = "POST";
    req.target = "/v1/audio/speech";
    req.headers["Content-Type"] = "application/json";
    json::object body{{"model", o.engine.empty() ? "tts-1" : o.engine}, {"input", text}, {"response_format", wire_format}, {"speed", o.speed}};
    if (o.words) {
      body["stream_format"] = "sse";
      body["timestamps"] = "word";
    }
    if (!o.voice.empty()) body["voice"] = o.voice;
    if (o.pitch != 1.0) body["pitch"] = o.pitch;
    if (o.sample_rate) body["sample_rate"] = o.sample_rate;
    req.body = json::serialize(body);
  } else {
    std::string q = voice_query(o);
    req.target = "/tts?text=" + client::url_encode(text) + "&format=" + wire_format + (q.empty() ? "" : "&" + q);
    if (o.words) req.target += "&timestamps=word";
  }

  audio_output out;
  std::optional<error> output_error;
  std::string error_body;
  bool ok_status = false;
  int rate = 0;
  double first_ms = 0;
  auto t0 = clock_type::now();
  auto write_audio = [&](std::string_view bytes) {
    if (bytes.empty()) return;
    if (first_ms == 0) first_ms = ms_since(t0);
    if (pcm) out.write_pcm_bytes(bytes);
    else out.write_encoded(bytes);
  };
  sse_reader events(write_audio); // with --words the answer is server-sent events
  auto response = client::fetch(
      *at, req,
      [&](std::string_view piece) {
        if (!ok_status) {
          error_body.append(piece);
          return true;
        }
        if (o.words) events.feed(piece);
        else write_audio(piece);
        return true;
      },
      [&](const client::http_response& head) {
        ok_status = head.status == 200;
        if (!ok_status) return;
        rate = std::atoi(head.header("x-audio-sample-rate").c_str());
        if (auto opened = out.open(o.output, play, rate, pcm); !opened) {
          output_error = opened.error();
          ok_status = false;
        }
      });
  if (!response) return fail("say", "cannot reach " + o.url + ": " + response.error().message);
  if (output_error) return fail("say", output_error->message);
  if (response->status != 200) {
    response->body = error_body;
    return fail("say", server_error(*response));
  }
  auto samples = out.close();
  if (!samples) return fail("say", samples.error().message);
  if (!events.failure.empty()) return fail("say", "the stream failed: " + events.failure);
  if (!response->complete) return fail("say", "the stream broke off before the end (the server reported an engine failure)");
  if (pcm) report("say", first_ms, *samples, rate, ms_since(t0));
  else std::fprintf(stderr, "say: first audio after %.1f ms; %s written in %.0f ms\n", first_ms, o.format.c_str(), ms_since(t0));
  return 0;
}

int ws(const ws_options& o) {
  auto at = client::parse_base_url(o.url);
  if (!at) return fail("ws", at.error().message);
  std::vector<std::string> messages = o.messages;
  if (messages.empty()) {
    std::istringstream lines(read_stdin());
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) messages.push_back(line);
  }
  bool play = o.play || o.output.empty();
  std::string q = voice_query(o);
  audio_output out;
  bool opened = false;
  auto open_output = [&](int rate) -> std::optional<error> {
    if (opened) return std::nullopt;
    opened = true;
    auto r = out.open(o.output, play, rate, true);
    return r ? std::nullopt : std::optional<error>(r.error());
  };

  if (!o.stream) {
    auto c = client::ws_client::connect(*at, "/ws" + (q.empty() ? "" : "?" + q));
    if (!c) return fail("ws", "cannot open " + o.url + "/ws: " + c.error().message);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      auto t0 = clock_type::now();
      if (!(*c)->send_text(messages[i])) return fail("ws", "the connection closed");
      double first_ms = 0;
      std::size_t samples = 0;
      int rate = 0;
      for (;;) {
        auto m = (*c)->read();
        if (!m) return fail("ws", "the connection closed before the utterance ended");
        auto v = json::parse(m->data).as_object();
        if (v.contains("error")) {
          std::fprintf(stderr, "rtts ws: message %zu: %s\n", i + 1, std::string(v.at("error").at("message").as_string()).c_str());
          break;
        }
        if (v.contains("finalOutput")) break;
        const auto& a = v.at("audioOutput").as_object();
        rate = static_cast<int>(a.at("sampleRate").as_int64());
        if (auto e = open_output(rate)) return fail("ws", e->message);
        if (a.contains("isHeader")) continue;
        if (first_ms == 0) first_ms = ms_since(t0);
        auto bytes = api::base64_decode(a.at("audio").as_string());
        samples += bytes.size() / 2;
        out.write_pcm_bytes(bytes);
      }
      std::string label = "utterance " + std::to_string(i + 1);
      if (samples) report(label.c_str(), first_ms, samples, rate, ms_since(t0));
    }
    (*c)->send_text("stop");
  } else {
    auto c = client::ws_client::connect(*at, "/v1/audio/speech-stream" + (q.empty() ? "" : "?" + q));
    if (!c) return fail("ws", "cannot open " + o.url + "/v1/audio/speech-stream: " + c.error().message);
    json::object config{{"type", "config"}, {"format", "pcm"}, {"binary", true}, {"speed", o.speed}, {"pitch", o.pitch}};
    if (!o.engine.empty()) config["engine"] = o.engine;
    if (!o.voice.empty()) config["voice"] = o.voice;
    if (o.sample_rate) config["sample_rate"] = o.sample_rate;
    (*c)->send_text(json::serialize(config));
    // Words one by one, as a language model would produce them.
    auto t0 = clock_type::now();
    for (const auto& m : messages) {
      std::istringstream words(m);
      for (std::string w; words >> w;) (*c)->send_text(json::serialize(json::object{{"type", "text"}, {"text", w + " "}}));
    }
    (*c)->send_text(R"({"type":"end"})");
    std::size_t samples = 0;
    int rate = 0;
    double first_ms = 0;
    for (;;) {
      auto m = (*c)->read();
      if (!m) break;
      if (m->binary) {
        if (first_ms == 0) first_ms = ms_since(t0);
        samples += m->data.size() / 2;
        out.write_pcm_bytes(m->data);
        continue;
      }
      auto v = json::parse(m->data).as_object();
      std::string type(v.at("type").as_string());
      if (type == "audio_start") {
        rate = static_cast<int>(v.at("sample_rate").as_int64());
        if (auto e = open_output(rate)) return fail("ws", e->message);
      } else if (type == "first_audio") {
        std::fprintf(stderr, "server: first audio %.1f ms after the first sentence was complete\n", v.at("latency_ms").to_number<double>());
      } else if (type == "error") {
        std::fprintf(stderr, "rtts ws: %s\n", std::string(v.at("error").at("message").as_string()).c_str());
      } else if (type == "done") {
        break;
      }
    }
    report("stream", first_ms, samples, rate, ms_since(t0));
  }
  if (opened) {
    if (auto closed = out.close(); !closed) return fail("ws", closed.error().message);
  }
  return 0;
}

namespace {

// GET a catalogue route; the body on success, or the exit code after a message.
std::variant<std::string, int> fetch_catalogue(const char* command, const catalogue_options& o, const std::string& target) {
  auto at = client::parse_base_url(o.url);
  if (!at) return fail(command, at.error().message);
  client::http_request req;
  req.target = target;
  auto r = client::fetch(*at, req);
  if (!r) return fail(command, "cannot reach " + o.url + ": " + r.error().message);
  if (r->status != 200) return fail(command, server_error(*r));
  return std::move(r->body);
}

} // namespace

int engines(const catalogue_options& o) {
  auto body = fetch_catalogue("engines", o, "/engines");
  if (auto* code = std::get_if<int>(&body)) return *code;
  const auto& text = std::get<std::string>(body);
  if (o.json) {
    std::printf("%s\n", text.c_str());
    return 0;
  }
  auto list = json::parse(text);
  for (const auto& e : list.as_array()) std::printf("%s\n", std::string(e.as_string()).c_str());
  return 0;
}

int voices(const catalogue_options& o) {
  auto body = fetch_catalogue("voices", o, "/voices?detail=1" + (o.engine.empty() ? "" : "&engine=" + client::url_encode(o.engine)));
  if (auto* code = std::get_if<int>(&body)) return *code;
  const auto& text = std::get<std::string>(body);
  if (o.json) {
    std::printf("%s\n", text.c_str());
    return 0;
  }
  std::printf("%-24s %-16s %-8s %s\n", "ID", "LANGUAGE", "GENDER", "NAME");
  auto list = json::parse(text);
  for (const auto& v : list.as_array()) {
    const auto& x = v.as_object();
    std::printf("%-24s %-16s %-8s %s\n", std::string(x.at("id").as_string()).c_str(), std::string(x.at("language").as_string()).c_str(),
                x.at("gender").is_string() ? std::string(x.at("gender").as_string()).c_str() : "-",
                std::string(x.at("name").as_string()).c_str());
  }
  return 0;
}

} // namespace rtts::app
