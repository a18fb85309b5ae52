#include "engines/openai_proxy/openai_proxy_engine.hpp"

#include "core/ascii.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rtts::engines {

namespace json = boost::json;

namespace {

std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// The upstream's own words, when its error body is OpenAI-style JSON.
std::string upstream_message(const std::string& body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (!ec && v.is_object())
    if (auto* e = v.as_object().if_contains("error"); e && e->is_object())
      if (auto* m = e->as_object().if_contains("message"); m && m->is_string()) return std::string(m->as_string());
  return body.substr(0, 200);
}

} // namespace

bool openai_proxy_engine::configured() { return !env("RTTS_PROXY_URL").empty(); }

result<std::unique_ptr<engine>> openai_proxy_engine::create() {
  auto bad = [](const std::string& why) { return make_error(error_kind::engine_failure, "the openai engine: " + why); };
  std::string base = env("RTTS_PROXY_URL");
  if (base.empty()) return bad("not configured (--proxy-url)");
  if (!base.starts_with("http://") && !base.starts_with("https://")) return bad("--proxy-url wants http(s)://HOST[:PORT]/PATH, got '" + base + "'");
  auto url = client::parse_url(base);
  if (!url) return bad("--proxy-url: " + url.error().message);
  std::unique_ptr<openai_proxy_engine> e(new openai_proxy_engine());
  e->upstream_ = url->server;
  std::string path = url->path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  e->path_ = (path.empty() ? "/v1" : path) + "/audio/speech";
  e->key_ = env("RTTS_PROXY_KEY");
  e->model_ = env("RTTS_PROXY_MODEL", "tts-1");
  for (const auto& id : split_list(env("RTTS_PROXY_VOICES", "alloy,ash,ballad,coral,echo,fable,nova,onyx,sage,shimmer,verse"), ','))
    if (!id.empty()) e->voices_.push_back(voice_info{id, id + " (" + e->upstream_.host + ")", "", "", 0, {}, {}});
  if (e->voices_.empty()) return bad("--proxy-voices is empty");
  return std::unique_ptr<engine>(std::move(e));
}

result<void> openai_proxy_engine::synthesize(std::string_view text, const synthesis_params& params, const audio_sink& sink, const word_sink& /*words*/) {
  bool offered = std::any_of(voices_.begin(), voices_.end(), [&](const voice_info& v) { return v.id == params.voice; });
  if (!offered) return make_error(error_kind::not_found, "the openai engine has no voice '" + params.voice + "'", "unknown_voice", "voice");
  client::http_request request;
  request.method = "POST";
  request.target = path_;
  request.headers["Content-Type"] = "application/json";
  if (!key_.empty()) request.headers["Authorization"] = "Bearer " + key_;
  // Pitch has no OpenAI field: it is not forwarded.
  request.body = json::serialize(json::object{
      {"model", model_}, {"input", text}, {"voice", params.voice}, {"response_format", "pcm"}, {"speed", params.speed}});
  request.timeout = std::chrono::seconds(30);

  unsigned status = 0;
  std::string error_body, carry; // carry: an odd byte between pieces
  bool stopped = false;
  auto on_head = [&](const client::http_response& head) { status = head.status; };
  auto on_body = [&](std::string_view piece) {
    if (status != 200) {
      if (error_body.size() < 65536) error_body.append(piece.substr(0, 65536 - error_body.size()));
      return true;
    }
    carry.append(piece);
    std::size_t whole = carry.size() / 2 * 2;
    if (whole == 0) return true;
    std::vector<std::int16_t> pcm(whole / 2);
    std::memcpy(pcm.data(), carry.data(), whole); // s16le, as the host
    carry.erase(0, whole);
    if (!sink(pcm)) stopped = true;
    return !stopped;
  };
  auto response = client::fetch(upstream_, request, on_body, on_head);
  if (stopped) return {};
  // The upstream's own words (its address, a partly masked key in OpenAI's 401s) go to the
  // server's log; the client gets what happened, not the details of rtts's set-up.
  if (!response) {
    std::fprintf(stderr, "rtts: openai engine: upstream %s:%u unreachable: %s\n", upstream_.host.c_str(), static_cast<unsigned>(upstream_.port),
                 response.error().message.c_str());
    return make_error(error_kind::unavailable, "the openai engine's upstream server is unreachable (the server log says why)",
                      "upstream_unreachable");
  }
  if (status != 200) {
    std::fprintf(stderr, "rtts: openai engine: upstream %s:%u answered %u: %s\n", upstream_.host.c_str(), static_cast<unsigned>(upstream_.port),
                 status, upstream_message(error_body).c_str());
    std::string why = "the openai engine's upstream server answered " + std::to_string(status);
    if (status == 401 || status == 403) return make_error(error_kind::engine_failure, why + ": it refused rtts's --proxy-key", "upstream_auth");
    if (status == 429) return make_error(error_kind::overloaded, why + ": it is overloaded", "upstream_overloaded");
    if (status >= 400 && status < 500) return make_error(error_kind::invalid_request, why + ": it refused the request", "upstream_rejected");
    return make_error(error_kind::engine_failure, why, "upstream_failed");
  }
  if (!response->complete) return make_error(error_kind::engine_failure, "the upstream's audio stream was cut short", "upstream_failed");
  return {};
}

} // namespace rtts::engines
