#include "engines/neural/sherpa_release_catalogue.hpp"

#include "core/ascii.hpp"
#include "core/json_fields.hpp"
#include "engines/neural/voice_archive.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

#include <algorithm>
#include <cctype>

namespace rtts::engines::neural {

namespace json = boost::json;

namespace {

bool is_sha256(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Engine, language and quality as the package's name says them: "vits-piper-en_US-amy-low",
// "kokoro-en-v0_19", "kokoro-multi-lang-v1_0", "kitten-nano-en-v0_1-fp16".
bool describe(catalogue_voice& v) {
  auto parts = [](std::string_view s) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at <= s.size();) {
      auto dash = s.find('-', at);
      out.emplace_back(s.substr(at, dash == std::string_view::npos ? std::string_view::npos : dash - at));
      if (dash == std::string_view::npos) break;
      at = dash + 1;
    }
    return out;
  };
  auto p = parts(v.id);
  if (v.id.starts_with("vits-piper-") && p.size() >= 5) {
    v.engine = "piper";
    v.language = ascii_lower(p[2]);
    std::replace(v.language.begin(), v.language.end(), '_', '-');
    v.quality = p.back();
    return true;
  }
  if (v.id.starts_with("kokoro-") || v.id.starts_with("kitten-")) {
    v.engine = v.id.starts_with("kokoro-") ? "kokoro" : "kitten";
    for (const auto& part : p)
      if (part == "multi") v.language = "mul";
      else if (v.language.empty() && part.size() == 2 && std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::islower(c); }))
        v.language = part;
    return true;
  }
  return false;
}

} // namespace

bool is_release_document(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  return !ec && (parsed.is_array() || (parsed.is_object() && parsed.as_object().contains("assets") && parsed.as_object().at("assets").is_array()));
}

result<std::vector<catalogue_voice>> parse_sherpa_release(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  const json::array* assets = nullptr;
  if (!ec && parsed.is_array()) assets = &parsed.as_array();
  else if (!ec && parsed.is_object())
    if (const auto* a = parsed.as_object().if_contains("assets"); a && a->is_array()) assets = &a->as_array();
  if (!assets) return make_error(error_kind::invalid_request, "the catalogue is not a GitHub release (an object with \"assets\")", "invalid_catalogue");
  std::vector<catalogue_voice> out;
  for (const auto& asset : *assets) {
    if (!asset.is_object()) continue;
    const auto& o = asset.as_object();
    std::string name = json_text(o, "name"), url = json_text(o, "browser_download_url"), digest = ascii_lower(json_text(o, "digest"));
    const auto* size = o.if_contains("size");
    std::uint64_t bytes = size && size->is_int64() && size->as_int64() > 0 ? static_cast<std::uint64_t>(size->as_int64())
                          : size && size->is_uint64()                      ? size->as_uint64()
                                                                           : 0;
    if (!name.ends_with(".tar.bz2") || !digest.starts_with("sha256:") || !is_sha256(std::string_view(digest).substr(7)) || bytes == 0) continue;
    auto parsed_url = boost::urls::parse_uri(url);
    if (!parsed_url || parsed_url->scheme() != "https" || parsed_url->host_address().empty()) continue;
    catalogue_voice v;
    v.id = voice_archive_stem(name);
    v.speakers = 0;
    if (!is_catalogue_id(v.id) || !describe(v)) continue;
    v.files.push_back({name, name, bytes, {}, digest.substr(7), url});
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

} // namespace rtts::engines::neural
