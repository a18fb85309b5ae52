#include "api/request_log.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <random>

namespace rtts::api {
namespace {

std::atomic<log_format> format_setting{log_format::text};
std::atomic<log_level> level_setting{log_level::info};

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// A client-controlled field of the text format: as it is when it is one plain ASCII word, else
// quoted with every other byte escaped, so that no value can end the line, start a forged one,
// or pass for another field ("engine=x voice=y").
std::string field(std::string_view v) {
  bool plain = !v.empty();
  for (unsigned char c : v) plain = plain && c > 0x20 && c < 0x7f && c != '"' && c != '\\';
  if (plain) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out + "\"";
}

} // namespace

void set_log_format(log_format f) { format_setting = f; }
void set_log_level(log_level l) { level_setting = l; }

void record_speech(request_record& r, const speech_fields& f) {
  r.engine = f.engine;
  r.voice = f.voice;
  r.format = f.format;
  r.text = f.text;
  std::size_t chars = 0;
  for (unsigned char c : f.text) chars += (c & 0xC0) != 0x80; // code points of valid UTF-8
  r.text_chars = chars;
}

std::string request_id_from(std::string_view header) {
  bool sane = !header.empty() && header.size() <= 64;
  for (char c : header) sane = sane && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (sane) return std::string(header);
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(random()));
  return buf;
}

std::string format_request(const request_record& r, log_format f, log_level l) {
  const bool with_text = l == log_level::debug && !r.text.empty();
  double duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - r.started).count();
  if (f == log_format::json) {
    boost::json::object o{{"time", utc_now()}, {"request_id", r.id}, {"method", r.method}, {"route", r.route}, {"status", r.status},
                          {"duration_ms", duration_ms}, {"bytes", r.bytes}};
    if (!r.engine.empty()) {
      o["engine"] = r.engine;
      o["voice"] = r.voice;
      o["format"] = r.format;
      o["text_chars"] = r.text_chars;
    }
    if (r.first_audio_ms >= 0) o["first_audio_ms"] = r.first_audio_ms;
    if (with_text) o["text"] = r.text;
    return boost::json::serialize(o);
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, " %u %.1fms %zuB", r.status, duration_ms, r.bytes);
  std::string line = utc_now() + " " + field(r.id) + " " + field(r.method) + " " + field(r.route) + buf;
  if (!r.engine.empty())
    line += " engine=" + field(r.engine) + " voice=" + field(r.voice) + " format=" + field(r.format) + " chars=" + std::to_string(r.text_chars);
  if (r.first_audio_ms >= 0) {
    std::snprintf(buf, sizeof buf, " first_audio=%.1fms", r.first_audio_ms);
    line += buf;
  }
  // JSON-quoted, so a text with newlines or quotes stays on its line and cannot forge fields.
  if (with_text) line += " text=" + boost::json::serialize(boost::json::string(r.text));
  return line;
}

void log_request(const request_record& r) {
  std::string line = format_request(r, format_setting.load(), level_setting.load()) + "\n";
  [[maybe_unused]] auto n = ::write(2, line.data(), line.size()); // one write: lines never interleave
}

} // namespace rtts::api
