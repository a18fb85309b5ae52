#include "engines/neural/voice_blend.hpp"

#include <cmath>
#include <cstdlib>

namespace rtts::engines::neural {

bool looks_like_blend(std::string_view name) { return name.find('+') != std::string_view::npos; }

namespace {

// "1.5" in full, or nothing.
std::optional<double> number(std::string_view s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

} // namespace

result<std::vector<blend_part>> parse_blend(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return make_error(error_kind::invalid_request,
                      "voice '" + std::string(name) + "': " + why + " (a blend is written af_bella(2)+af_sky(1) or 0.7*af_bella+0.3*af_sky)",
                      "invalid_blend", "voice");
  };
  std::vector<blend_part> parts;
  std::string model; // of the last part that named one
  double total = 0;
  std::size_t at = 0;
  while (at <= name.size()) {
    auto plus = name.find('+', at);
    auto term = trimmed(name.substr(at, plus == std::string_view::npos ? std::string_view::npos : plus - at));
    blend_part part{std::string(term), 1};
    if (auto star = term.find('*'); star != std::string_view::npos) { // 0.7*af_bella
      auto w = number(trimmed(term.substr(0, star)));
      if (!w) return bad("'" + std::string(term) + "' has no number before '*'");
      part = {std::string(trimmed(term.substr(star + 1))), *w};
    } else if (term.ends_with(')')) { // af_bella(2)
      auto open = term.rfind('(');
      auto w = open == std::string_view::npos ? std::nullopt : number(term.substr(open + 1, term.size() - open - 2));
      if (!w) return bad("'" + std::string(term) + "' has no number in its parentheses");
      part = {std::string(trimmed(term.substr(0, open))), *w};
    }
    if (part.voice.empty()) return bad("a part names no voice");
    if (!(part.weight > 0) || part.weight > 1e6) return bad("each weight must be a positive number");
    if (auto slash = part.voice.rfind('/'); slash != std::string::npos) model = part.voice.substr(0, slash + 1);
    else part.voice = model + part.voice;
    total += part.weight;
    parts.push_back(std::move(part));
    if (plus == std::string_view::npos) break;
    at = plus + 1;
  }
  if (parts.size() < 2) return bad("a blend needs at least two voices");
  if (parts.size() > 16) return bad("a blend may mix at most 16 voices");
  for (auto& p : parts) p.weight /= total;
  return parts;
}

std::vector<float> mix_styles(const std::vector<float>& all, int speakers, const std::vector<std::pair<int, double>>& parts) {
  std::size_t block = speakers > 0 ? all.size() / static_cast<std::size_t>(speakers) : 0;
  std::vector<double> sum(block, 0.0);
  for (const auto& [speaker, weight] : parts)
    for (std::size_t i = 0; i < block; ++i) sum[i] += weight * all[static_cast<std::size_t>(speaker) * block + i];
  return {sum.begin(), sum.end()};
}

} // namespace rtts::engines::neural
