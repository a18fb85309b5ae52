#include "metrics/registry.hpp"

#include <cmath>
#include <cstdio>

namespace rtts::metrics {
namespace {

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string label_set(const std::vector<std::string>& names, const labels& values, const std::string& extra = {}) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    out += (out.empty() ? "" : ",") + names[i] + "=\"" + escape_label(values[i]) + "\"";
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

void header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

} // namespace

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void render_gauge(std::string& out, const std::string& name, const std::string& help, const std::vector<std::string>& label_names,
                  const std::vector<gauge_row>& rows) {
  header(out, name, help, "gauge");
  for (const auto& row : rows) out += name + label_set(label_names, row.values) + " " + number(row.value) + "\n";
}

counter::counter(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void counter::inc(const labels& values, double by) {
  std::lock_guard lock(m_);
  values_[values] += by;
}

void counter::render(std::string& out) const {
  std::lock_guard lock(m_);
  header(out, name_, help_, "counter");
  for (const auto& [l, v] : values_) out += name_ + label_set(label_names_, l) + " " + number(v) + "\n";
}

histogram::histogram(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), buckets_(std::move(buckets)) {}

void histogram::observe(const labels& values, double v) {
  std::lock_guard lock(m_);
  auto& s = values_[values];
  if (s.counts.empty()) s.counts.assign(buckets_.size(), 0);
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    if (v <= buckets_[i]) {
      ++s.counts[i];
      break;
    }
  s.sum += v;
  ++s.count;
}

void histogram::render(std::string& out) const {
  std::lock_guard lock(m_);
  header(out, name_, help_, "histogram");
  for (const auto& [l, s] : values_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += s.counts[i];
      out += name_ + "_bucket" + label_set(label_names_, l, "le=\"" + number(buckets_[i]) + "\"") + " " + std::to_string(cumulative) + "\n";
    }
    out += name_ + "_bucket" + label_set(label_names_, l, "le=\"+Inf\"") + " " + std::to_string(s.count) + "\n";
    out += name_ + "_sum" + label_set(label_names_, l) + " " + number(s.sum) + "\n";
    out += name_ + "_count" + label_set(label_names_, l) + " " + std::to_string(s.count) + "\n";
  }
}

std::string registry::render() const {
  std::string out;
  for (const counter* c : {&http_requests, &http_responses, &streams, &audio_seconds, &audio_bytes, &worker_restarts, &job_pauses, &deadline_misses, &admission_refusals})
    c->render(out);
  for (const histogram* h : {&first_audio, &total_time, &real_time_factor, &stream_lead, &plan_time}) h->render(out);
  return out;
}

registry& global() {
  static registry r;
  return r;
}

} // namespace rtts::metrics
