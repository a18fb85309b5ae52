#include "engines/neural/piper_catalogue.hpp"

#include "core/ascii.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace rtts::engines::neural {

namespace json = boost::json;

std::uint64_t catalogue_voice::bytes() const {
  std::uint64_t n = 0;
  for (const auto& f : files) n += f.size;
  return n;
}

bool is_catalogue_id(std::string_view id) {
  return !id.empty() && id.size() <= 200 && std::isalnum(static_cast<unsigned char>(id.front())) &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

namespace {

bool is_md5(const std::string& s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A relative path that stays below the catalogue's location.
bool safe_relative(const std::string& p) {
  if (p.empty() || p.front() == '/' || p.find('\\') != std::string::npos) return false;
  std::size_t at = 0;
  while (at <= p.size()) {
    auto slash = p.find('/', at);
    auto part = p.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) break;
    at = slash + 1;
  }
  return true;
}

} // namespace

result<std::vector<catalogue_voice>> parse_piper_catalogue(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return make_error(error_kind::invalid_request, "the catalogue is not a Piper voices.json (a JSON object of voices)", "invalid_catalogue");
  std::vector<catalogue_voice> out;
  for (const auto& [key, value] : parsed.as_object()) {
    if (!value.is_object()) continue;
    const auto& o = value.as_object();
    catalogue_voice v;
    v.id = std::string(key);
    if (v.id.empty() || v.id.front() == '.' || v.id.find('/') != std::string::npos) continue;
    if (const auto* language = o.if_contains("language"); language && language->is_object())
      if (const auto* code = language->as_object().if_contains("code"); code && code->is_string()) {
        v.language = ascii_lower(std::string(code->as_string()));
        std::replace(v.language.begin(), v.language.end(), '_', '-');
      }
    if (const auto* q = o.if_contains("quality"); q && q->is_string()) v.quality = std::string(q->as_string());
    if (const auto* n = o.if_contains("num_speakers"); n && n->is_int64()) v.speakers = static_cast<int>(n->as_int64());
    const auto* files = o.if_contains("files");
    if (!files || !files->is_object()) continue;
    for (const char* suffix : {".onnx", ".onnx.json"}) {
      for (const auto& [path, about] : files->as_object()) {
        std::string p(path);
        std::string name = v.id + suffix;
        if (!(p == name || p.ends_with("/" + name)) || !safe_relative(p) || !about.is_object()) continue;
        const auto* size = about.as_object().if_contains("size_bytes");
        const auto* md5 = about.as_object().if_contains("md5_digest");
        if (!size || !md5 || !md5->is_string()) continue;
        std::uint64_t bytes = size->is_uint64() ? size->as_uint64() : size->is_int64() && size->as_int64() > 0 ? static_cast<std::uint64_t>(size->as_int64()) : 0;
        catalogue_file f{p, name, bytes, ascii_lower(std::string(md5->as_string())), {}, {}};
        if (is_md5(f.md5) && f.size > 0) v.files.push_back(std::move(f));
      }
    }
    if (v.files.size() == 2 && v.files[0].name.ends_with(".onnx")) out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

} // namespace rtts::engines::neural
