// PLS lexicons (see pronunciation_lexicon.hpp).
#include "ssml/pronunciation_lexicon.hpp"

#include "core/ascii.hpp"

#include "text/ipa.hpp"
#include "text/token_rewriter.hpp"

#include <expat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rtts::ssml {

namespace {

constexpr std::size_t max_lexicon_bytes = 4u << 20;

std::string trimmed(std::string_view s) { return std::string(trim_ascii_space(s)); }

// Element names without the PLS namespace (expat reports them as "uri name" with a separator).
std::string_view local_name(std::string_view name) {
  auto at = name.rfind('|');
  return at == std::string_view::npos ? name : name.substr(at + 1);
}

struct pls_parser {
  pronunciation_lexicon out;
  std::optional<std::string> failure;
  XML_Parser p = nullptr;
  std::string text;                   // character data of the element being read
  std::vector<std::string> graphemes; // of the lexeme being read
  std::optional<std::string> alias, ipa;
  std::string alphabet = "ipa"; // the lexicon's (PLS requires it on <lexicon>; IPA when missing)
  std::string phoneme_alphabet; // of the <phoneme> being read
  bool in_lexeme = false, root_seen = false;

  void fail(const std::string& why) {
    if (!failure) failure = why;
    XML_StopParser(p, XML_FALSE);
  }

  void start(std::string_view name, const XML_Char** attrs) {
    name = local_name(name);
    text.clear();
    if (!root_seen) {
      if (name != "lexicon") return fail("the root element must be <lexicon>, not <" + std::string(name) + ">");
      root_seen = true;
      for (auto a = attrs; *a; a += 2) {
        if (local_name(a[0]) == "lang") out.language = a[1];
        if (local_name(a[0]) == "alphabet") alphabet = ascii_lower(a[1]);
      }
      if (out.language.empty()) return fail("<lexicon> needs xml:lang (the language its entries are for)");
    } else if (name == "lexeme") {
      in_lexeme = true;
      graphemes.clear();
      alias.reset();
      ipa.reset();
    } else if (name == "phoneme") {
      phoneme_alphabet = alphabet;
      for (auto a = attrs; *a; a += 2)
        if (local_name(a[0]) == "alphabet") phoneme_alphabet = ascii_lower(a[1]);
    }
  }

  void end(std::string_view name) {
    name = local_name(name);
    if (name == "grapheme" && in_lexeme) {
      std::string g = trimmed(text);
      if (g.empty()) return fail("an empty <grapheme>");
      graphemes.push_back(std::move(g));
    } else if (name == "alias" && in_lexeme && !alias) {
      alias = trimmed(text);
      if (alias->empty()) return fail("an empty <alias>");
    } else if (name == "phoneme" && in_lexeme && !ipa && phoneme_alphabet == "ipa") {
      if (auto problem = text::ipa_problem(text)) return fail("the IPA <phoneme> '" + trimmed(text) + "' " + *problem);
      ipa = text::canonical_ipa(text);
    } else if (name == "lexeme") {
      in_lexeme = false;
      if (graphemes.empty()) return fail("a <lexeme> without <grapheme>");
      if (alias)
        for (auto& g : graphemes) out.alias.emplace(g, *alias);
      else if (ipa)
        for (auto& g : graphemes) out.phoneme.emplace(g, *ipa);
      else
        ++out.unapplied;
    }
    text.clear();
  }
};

} // namespace

result<pronunciation_lexicon> parse_lexicon(std::string_view document, std::string name) {
  auto bad = [&](const std::string& why) { return make_error(error_kind::invalid_request, "lexicon '" + name + "': " + why, "invalid_lexicon"); };
  if (document.size() > max_lexicon_bytes) return bad("over 4 MiB");
  pls_parser state;
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p(XML_ParserCreateNS("UTF-8", '|'), XML_ParserFree);
  if (!p) return bad("could not create an XML parser");
  state.p = p.get();
  XML_SetUserData(p.get(), &state);
  XML_SetParamEntityParsing(p.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetStartDoctypeDeclHandler(p.get(), [](void* s, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<pls_parser*>(s)->fail("a DOCTYPE is not allowed");
  });
  XML_SetEntityDeclHandler(p.get(), [](void* s, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*, const XML_Char*,
                                       const XML_Char*) { static_cast<pls_parser*>(s)->fail("entity declarations are not allowed"); });
  XML_SetElementHandler(
      p.get(), [](void* s, const XML_Char* n, const XML_Char** a) { static_cast<pls_parser*>(s)->start(n, a); },
      [](void* s, const XML_Char* n) { static_cast<pls_parser*>(s)->end(n); });
  XML_SetCharacterDataHandler(p.get(), [](void* s, const XML_Char* d, int len) { static_cast<pls_parser*>(s)->text.append(d, static_cast<std::size_t>(len)); });
  auto status = XML_Parse(p.get(), document.data(), static_cast<int>(document.size()), XML_TRUE);
  std::string where = " (line " + std::to_string(XML_GetCurrentLineNumber(p.get())) + ", column " + std::to_string(XML_GetCurrentColumnNumber(p.get()) + 1) + ")";
  if (state.failure) return bad(*state.failure + where);
  if (status != XML_STATUS_OK) return bad(std::string(XML_ErrorString(XML_GetErrorCode(p.get()))) + where);
  if (!state.root_seen) return bad("no <lexicon> element");
  state.out.name = std::move(name);
  return std::move(state.out);
}

result<pronunciation_lexicon> read_lexicon(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(error_kind::invalid_request, "lexicon '" + path + "': cannot be read", "invalid_lexicon");
  std::ostringstream body;
  body << in.rdbuf();
  auto lexicon = parse_lexicon(body.str(), std::filesystem::path(path).stem().string());
  if (!lexicon) return make_error(error_kind::invalid_request, path + ": " + lexicon.error().message, "invalid_lexicon");
  return lexicon;
}

result<std::shared_ptr<const lexicon_set>> read_lexicons(const std::vector<std::string>& paths) {
  auto set = std::make_shared<lexicon_set>();
  for (const auto& path : paths) {
    auto lexicon = read_lexicon(path);
    if (!lexicon) return lexicon.error();
    set->push_back(std::move(*lexicon));
  }
  return std::shared_ptr<const lexicon_set>(std::move(set));
}

std::optional<text::normalized_text> apply_lexicons(std::string_view input, std::string_view language, const lexicon_set& lexicons,
                                                    std::vector<phoneme_span>* phonemes, const std::vector<std::string>* only) {
  std::vector<const pronunciation_lexicon*> mine;
  const std::string wanted = text::primary_subtag(language.empty() ? "en" : language);
  for (const auto& l : lexicons)
    if (text::primary_subtag(l.language) == wanted && (!only || std::find(only->begin(), only->end(), l.name) != only->end())) mine.push_back(&l);
  if (mine.empty()) return std::nullopt;
  text::span_writer out(input);
  for (const auto& t : text::tokens_of(input)) {
    auto parts = text::split_marks(input.substr(t.begin, t.end - t.begin));
    std::string_view core = parts.core;
    // A sentence's period is not part of the word ("... W3C.", "(W3C)."), unless the grapheme has it.
    std::string_view before_period;
    if (core.size() > 1 && core.back() == '.') before_period = text::split_marks(core.substr(0, core.size() - 1)).core;
    for (std::string_view candidate : {core, before_period}) {
      if (candidate.empty()) continue;
      const std::string *alias = nullptr, *ipa = nullptr;
      for (const auto* l : mine) {
        if (auto it = l->alias.find(candidate); it != l->alias.end() && !alias) alias = &it->second;
        if (auto it = l->phoneme.find(candidate); it != l->phoneme.end() && !ipa) ipa = &it->second;
      }
      std::size_t begin = t.begin + parts.lead.size();
      if (alias) {
        out.rewrite(begin, begin + candidate.size(), *alias);
        break;
      }
      if (ipa) {
        if (phonemes) phonemes->push_back({begin, begin + candidate.size(), *ipa});
        break;
      }
    }
  }
  return out.finish();
}

} // namespace rtts::ssml
