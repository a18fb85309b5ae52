#include "synth/ssml_plan.hpp"

#include "core/ascii.hpp"

#include <algorithm>

namespace rtts::synth {
namespace {

// "en" matches "en-us" and "en-US" matches "en-us"; "en-gb" does not match "en-us".
bool language_matches(const std::string& wanted, const std::string& have) {
  auto w = language_key(wanted), h = language_key(have);
  return w == h || h.starts_with(w + "-") || w.starts_with(h + "-");
}

const engines::voice_info* find_voice(const worker::worker_hello& info, std::string_view id) {
  for (const auto& v : info.voices)
    if (v.id == id) return &v;
  return nullptr;
}

result<std::string> voice_for(const ssml::run& run, const voice_options& request, const worker::worker_hello& info) {
  std::string id = run.voice;
  if (auto colon = id.find(':'); colon != std::string::npos) {
    if (id.substr(0, colon) != request.engine)
      return make_error(error_kind::invalid_request,
                        "SSML <voice name=\"" + run.voice + "\">: one request speaks with one engine (" + request.engine + ")",
                        "invalid_ssml_voice", "text");
    id = id.substr(colon + 1);
  }
  if (!id.empty() && !find_voice(info, id))
    return make_error(error_kind::invalid_request,
                      "SSML <voice name=\"" + run.voice + "\">: engine '" + request.engine + "' has no such voice; GET /voices?engine=" +
                          request.engine + " lists them",
                      "invalid_ssml_voice", "text");
  if (id.empty() && !run.language.empty()) {
    // The request's voice if it speaks the language, else the first voice that does.
    const auto* current = find_voice(info, request.voice);
    if (!current || !language_matches(run.language, current->language)) {
      // An exact match; else the language's home variety ("fr" -> "fr-fr"); else any variety.
      for (const auto& wanted : {language_key(run.language), language_key(run.language) + "-" + language_key(run.language)})
        for (const auto& v : info.voices)
          if (id.empty() && language_key(v.language) == wanted) id = v.id;
      if (id.empty())
        for (const auto& v : info.voices)
          if (language_matches(run.language, v.language)) {
            id = v.id;
            break;
          }
    }
  }
  if (id.empty() || id == request.voice) return std::string();
  return id;
}

} // namespace

result<speech_plan> plan_ssml(std::string_view document, const voice_options& voice, const worker::worker_hello& info,
                              const text::segmenter_policy& policy, const ssml::limits& limits, const ssml::lexicon_set* lexicons) {
  std::vector<std::string> named; // the document's <lexicon>s
  auto runs = ssml::parse(document, limits, info.language_of(voice.voice), &named);
  if (!runs) return runs.error();
  for (const auto& name : named)
    if (!lexicons || std::none_of(lexicons->begin(), lexicons->end(), [&](const ssml::pronunciation_lexicon& l) { return l.name == name; })) {
      std::string have;
      if (lexicons)
        for (const auto& l : *lexicons) have += (have.empty() ? "" : ", ") + l.name;
      return make_error(error_kind::invalid_request,
                        "SSML <lexicon>: the server has no lexicon '" + name + "' (" + (have.empty() ? "none is configured" : "it has: " + have) +
                            "); rtts fetches nothing",
                        "invalid_ssml_lexicon", "text");
    }
  std::vector<text_run> planned;
  for (auto& r : *runs) {
    auto id = voice_for(r, voice, info);
    if (!id) return id.error();
    text_run t{std::move(r.text), std::move(r.map), {}, std::move(r.phonemes)};
    t.settings.voice = *id;
    if (!id->empty() && info.rate_of(*id) != info.rate_of(voice.voice)) t.settings.sample_rate = info.rate_of(*id);
    t.settings.speed = r.rate;
    t.settings.pitch = r.pitch;
    t.settings.gain = r.volume;
    t.settings.pause_before_s = r.pause_before_s;
    // Read in the language the document says, else in the voice's own.
    t.settings.language = !r.language.empty() ? r.language : info.language_of(id->empty() ? voice.voice : *id);
    for (auto& m : r.marks) t.settings.marks.push_back({std::move(m.name), m.at, m.source_offset, false});
    planned.push_back(std::move(t));
  }
  return plan_runs(std::move(planned), std::make_shared<const std::string>(document), voice.normalize, policy, lexicons,
                   named.empty() ? nullptr : &named);
}

} // namespace rtts::synth
