// /normalize's bodies (see plan_json.hpp).
#include "api/plan_json.hpp"

#include "text/source_map.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace rtts::api {
namespace json = boost::json;

result<parsed_target> params_from_json(std::string_view body) {
  auto bad = [](const std::string& why, const char* code = "invalid_json") { return make_error(error_kind::invalid_request, why, code); };
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the body must be a JSON object");
  parsed_target t;
  t.path = "/normalize";
  for (const auto& [key, value] : v.as_object()) {
    std::string name = key == "input" ? "text" : std::string(key);
    if (value.is_string()) t.params.emplace(name, std::string(value.as_string()));
    else if (value.is_bool()) t.params.emplace(name, value.as_bool() ? "true" : "false");
    else if (value.is_number()) t.params.emplace(name, json::serialize(value));
    else return bad("'" + std::string(key) + "' must be a string, number or boolean", "invalid_parameter");
  }
  return t;
}

namespace {

// Consecutive copied spans that continue each other in output and input are one piece.
std::vector<text::text_span> pieces_of(const text::source_map& map) {
  std::vector<text::text_span> pieces;
  for (const auto& s : map.spans()) {
    if (s.out_end == s.out_begin) continue;
    if (!pieces.empty() && !s.rewritten && !pieces.back().rewritten && pieces.back().out_end == s.out_begin &&
        pieces.back().in_end == s.in_begin) {
      pieces.back().out_end = s.out_end;
      pieces.back().in_end = s.in_end;
    } else {
      pieces.push_back(s);
    }
  }
  return pieces;
}

} // namespace

std::string plan_json(const synth::speech_plan& plan, const voice_options& voice, offset_unit units) {
  // Fragments and their pieces come in source order, so one counter walks the text once (a
  // rewrite that reaches back only restarts it).
  text::position_counter where(*plan.source);
  json::array fragments;
  for (const auto& f : plan.fragments) {
    auto [begin, end] = f.map.origin(0, f.text.size());
    auto from = where.at(begin).in(units), to = where.at(end).in(units);
    json::array pieces;
    for (const auto& p : pieces_of(f.map)) {
      auto piece_from = where.at(p.in_begin).in(units), piece_to = where.at(p.in_end).in(units);
      pieces.push_back(json::object{{"text", f.text.substr(p.out_begin, p.out_end - p.out_begin)},
                                    {"offset", piece_from}, {"length", piece_to - piece_from}, {"rewritten", p.rewritten}});
    }
    json::object fragment{{"text", f.text}, {"written", f.written}, {"voice", f.voice.empty() ? voice.voice : f.voice},
                          {"language", f.language}, {"offset", from}, {"length", to - from}, {"pieces", std::move(pieces)}};
    // Words said as IPA phonemes by engines with phoneme input (read as written by the others).
    if (!f.phonemes.empty()) {
      json::array phonemes;
      for (const auto& p : f.phonemes) {
        auto [word_begin, word_end] = f.map.origin(p.begin, p.end);
        auto word_from = where.at(word_begin).in(units), word_to = where.at(word_end).in(units);
        phonemes.push_back(json::object{{"text", f.text.substr(p.begin, p.end - p.begin)}, {"ipa", p.ipa}, {"offset", word_from}, {"length", word_to - word_from}});
      }
      fragment["phonemes"] = std::move(phonemes);
    }
    fragments.push_back(std::move(fragment));
  }
  return json::serialize(json::object{{"engine", voice.engine}, {"voice", voice.voice}, {"normalize", voice.normalize},
                                      {"fragments", std::move(fragments)}});
}

} // namespace rtts::api
