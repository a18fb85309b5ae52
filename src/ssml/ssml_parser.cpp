#include "ssml/ssml_parser.hpp"

#include "ssml/say_as.hpp"
#include "text/ipa.hpp"
#include "text/token_rewriter.hpp"
#include "text/utf8.hpp"

#include <expat.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>

namespace rtts::ssml {
namespace {

// Settings in force inside an element, multiplied down the tree.
struct scope {
  std::string element;
  std::string voice, language;
  double rate = 1.0, pitch = 1.0, volume = 1.0;
};

// The text of a <say-as> or <sub> is read as a whole when the element ends.
struct capture {
  std::string element;
  std::string interpret_as, format, alias;
  std::string text;
  std::size_t begin = 0, end = 0; // document bytes of the content (or of the tag, when empty)
};

double parse_number(std::string_view s, bool& ok) {
  std::string copy(s);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  ok = !copy.empty() && end == copy.c_str() + copy.size() && std::isfinite(v);
  return v;
}

// "500ms", "2s", "1.5s".
std::optional<double> parse_time(std::string_view s) {
  bool ok = false;
  double v = 0;
  if (s.ends_with("ms")) v = parse_number(s.substr(0, s.size() - 2), ok) / 1000.0;
  else if (s.ends_with("s")) v = parse_number(s.substr(0, s.size() - 1), ok);
  if (!ok || v < 0) return std::nullopt;
  return v;
}

// "+10%" / "-20%" (a change), "80%" (of normal).
std::optional<double> parse_percent(std::string_view s) {
  if (!s.ends_with("%")) return std::nullopt;
  bool ok = false;
  double v = parse_number(s.substr(0, s.size() - 1), ok);
  if (!ok) return std::nullopt;
  double factor = s.front() == '+' || s.front() == '-' ? 1.0 + v / 100.0 : v / 100.0;
  if (factor < 0) return std::nullopt;
  return factor;
}

std::optional<double> keyword(std::string_view s, std::initializer_list<std::pair<std::string_view, double>> table) {
  for (auto [k, v] : table)
    if (s == k) return v;
  return std::nullopt;
}

std::optional<double> parse_rate(std::string_view s) {
  if (auto k = keyword(s, {{"x-slow", 0.5}, {"slow", 0.75}, {"medium", 1.0}, {"default", 1.0}, {"fast", 1.25}, {"x-fast", 1.75}})) return k;
  if (auto p = parse_percent(s)) return p;
  bool ok = false;
  double v = parse_number(s, ok); // a plain multiplier: "1.5"
  if (ok && v > 0) return v;
  return std::nullopt;
}

std::optional<double> parse_pitch(std::string_view s) {
  if (auto k = keyword(s, {{"x-low", 0.7}, {"low", 0.85}, {"medium", 1.0}, {"default", 1.0}, {"high", 1.15}, {"x-high", 1.3}})) return k;
  if (auto p = parse_percent(s)) return p;
  if (s.ends_with("st") && (s.front() == '+' || s.front() == '-')) {
    bool ok = false;
    double st = parse_number(s.substr(0, s.size() - 2), ok);
    if (ok) return std::pow(2.0, st / 12.0);
  }
  return std::nullopt;
}

std::optional<double> parse_volume(std::string_view s) {
  if (auto k = keyword(s, {{"silent", 0.0}, {"x-soft", 0.25}, {"soft", 0.5}, {"medium", 1.0}, {"default", 1.0}, {"loud", 1.5}, {"x-loud", 2.0}}))
    return k;
  if (s.ends_with("dB")) {
    bool ok = false;
    double db = parse_number(s.substr(0, s.size() - 2), ok);
    if (ok) return std::pow(10.0, db / 20.0);
  }
  return std::nullopt;
}

class parser {
public:
  parser(std::string_view doc, const limits& lim, std::string_view language) : doc_(doc), limits_(lim), language_(language) {}

  result<std::vector<run>> parse() {
    if (doc_.size() > limits_.max_bytes)
      return make_error(error_kind::payload_too_large,
                        "the SSML document has " + std::to_string(doc_.size()) + " bytes; the limit is " + std::to_string(limits_.max_bytes),
                        "ssml_too_long", "text");
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p(XML_ParserCreate("UTF-8"), XML_ParserFree);
    if (!p) return make_error(error_kind::internal, "could not create an XML parser");
    p_ = p.get();
    XML_SetUserData(p_, this);
    XML_SetParamEntityParsing(p_, XML_PARAM_ENTITY_PARSING_NEVER);
    XML_SetStartDoctypeDeclHandler(p_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      static_cast<parser*>(self)->fail("a DOCTYPE is not allowed in SSML here (no DTDs, no entity declarations)");
    });
    XML_SetEntityDeclHandler(p_, [](void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*, const XML_Char*,
                                    const XML_Char*) { static_cast<parser*>(self)->fail("entity declarations are not allowed"); });
    XML_SetElementHandler(
        p_, [](void* self, const XML_Char* name, const XML_Char** attrs) { static_cast<parser*>(self)->start(name, attrs); },
        [](void* self, const XML_Char* name) { static_cast<parser*>(self)->end(name); });
    XML_SetCharacterDataHandler(p_, [](void* self, const XML_Char* s, int len) {
      static_cast<parser*>(self)->characters(std::string_view(s, static_cast<std::size_t>(len)));
    });
    auto status = XML_Parse(p_, doc_.data(), static_cast<int>(doc_.size()), XML_TRUE);
    if (failure_) return *failure_;
    if (status != XML_STATUS_OK) return located(XML_ErrorString(XML_GetErrorCode(p_)));
    flush();
    return std::move(runs_);
  }

  // The lexicons the document names (<lexicon uri>), by their names.
  std::vector<std::string> lexicons() const { return lexicons_; }

private:
  error located(const std::string& message) const {
    return make_error(error_kind::invalid_request,
                      "invalid SSML at line " + std::to_string(XML_GetCurrentLineNumber(p_)) + ", column " +
                          std::to_string(XML_GetCurrentColumnNumber(p_) + 1) + ": " + message,
                      "invalid_ssml", "text");
  }

  void fail(const std::string& message) {
    if (!failure_) failure_ = located(message);
    XML_StopParser(p_, XML_FALSE);
  }

  std::size_t here() const { return static_cast<std::size_t>(std::max<XML_Index>(0, XML_GetCurrentByteIndex(p_))); }
  std::size_t here_count() const { return static_cast<std::size_t>(std::max(0, XML_GetCurrentByteCount(p_))); }

  const char* attribute(const XML_Char** attrs, std::string_view name) const {
    for (; attrs && *attrs; attrs += 2)
      if (name == attrs[0]) return attrs[1];
    return nullptr;
  }

  // Ends the current run; the next one takes the innermost settings.
  void flush() {
    if (!current_.text.empty() || !current_.marks.empty() || current_.pause_before_s > 0) runs_.push_back(std::move(current_));
    current_ = run{};
    if (!stack_.empty()) {
      const auto& s = stack_.back();
      current_.voice = s.voice;
      current_.language = s.language;
      current_.rate = s.rate;
      current_.pitch = s.pitch;
      current_.volume = s.volume;
    }
  }

  void append(std::string_view spoken, std::size_t source_begin, std::size_t source_end, bool copied) {
    if (spoken.empty()) return;
    std::size_t out = current_.text.size();
    current_.map.append({out, out + spoken.size(), source_begin, source_end, !copied});
    current_.text += spoken;
  }

  void start(std::string_view name, const XML_Char** attrs) {
    if (failure_) return;
    if (++elements_ > limits_.max_elements) return fail("more than " + std::to_string(limits_.max_elements) + " elements");
    if (stack_.size() >= limits_.max_depth) return fail("elements nested deeper than " + std::to_string(limits_.max_depth));
    if (capture_) return fail("<" + std::string(name) + "> inside <" + capture_->element + ">: it takes text only");
    if (phoneme_) return fail("<" + std::string(name) + "> inside <phoneme>: it takes text only");
    if (!stack_.empty() && stack_.back().element == "lexicon") return fail("<" + std::string(name) + "> inside <lexicon>: it is empty");
    if (name != "speak" && name != "lexicon") content_seen_ = true;
    if (stack_.empty() && name != "speak") return fail("the root element must be <speak>, not <" + std::string(name) + ">");
    if (!stack_.empty() && name == "speak") return fail("<speak> inside <speak>");
    scope s = stack_.empty() ? scope{} : stack_.back();
    s.element = std::string(name);
    if (const char* lang = attribute(attrs, "xml:lang")) s.language = lang;
    bool boundary = true; // the settings may change: a new run
    if (name == "speak" || name == "p" || name == "s" || name == "lang") {
      if (name == "lang" && !attribute(attrs, "xml:lang")) return fail("<lang> needs xml:lang");
    } else if (name == "voice") {
      const char* voice = attribute(attrs, "name");
      if (!voice && !attribute(attrs, "xml:lang") && !attribute(attrs, "language"))
        return fail("<voice> needs a name (a voice of the request's engine) or xml:lang");
      if (voice) s.voice = voice;
      if (const char* lang = attribute(attrs, "language")) s.language = lang;
    } else if (name == "prosody") {
      struct {
        const char* attr;
        std::optional<double> (*parse)(std::string_view);
        double* into;
      } settings[] = {{"rate", parse_rate, &s.rate}, {"pitch", parse_pitch, &s.pitch}, {"volume", parse_volume, &s.volume}};
      for (auto& setting : settings) {
        const char* v = attribute(attrs, setting.attr);
        if (!v) continue;
        auto factor = setting.parse(v);
        if (!factor) return fail(std::string("<prosody ") + setting.attr + "=\"" + v + "\"> is not a value rtts knows");
        *setting.into *= *factor;
      }
    } else if (name == "emphasis") {
      // An approximation on every engine alike: slower, louder and a little higher.
      std::string level = attribute(attrs, "level") ? attribute(attrs, "level") : "moderate";
      if (level == "strong") s.rate *= 0.85, s.volume *= 1.4, s.pitch *= 1.1;
      else if (level == "moderate") s.rate *= 0.92, s.volume *= 1.2, s.pitch *= 1.05;
      else if (level == "reduced") s.rate *= 1.08, s.volume *= 0.7, s.pitch *= 0.95;
      else if (level != "none") return fail("<emphasis level=\"" + level + "\">: use strong, moderate, reduced or none");
    } else if (name == "break") {
      double pause = 0.4; // medium
      if (const char* time = attribute(attrs, "time")) {
        auto t = parse_time(time);
        if (!t) return fail(std::string("<break time=\"") + time + "\">: use e.g. 500ms or 2s");
        pause = *t;
      } else if (const char* strength = attribute(attrs, "strength")) {
        auto k = keyword(strength, {{"none", 0.0}, {"x-weak", 0.1}, {"weak", 0.25}, {"medium", 0.4}, {"strong", 0.75}, {"x-strong", 1.2}});
        if (!k) return fail(std::string("<break strength=\"") + strength + "\">: use none, x-weak, weak, medium, strong or x-strong");
        pause = *k;
      }
      if (pause > limits_.max_break_s) return fail("a <break> of more than " + std::to_string(static_cast<int>(limits_.max_break_s)) + " s");
      flush();
      current_.pause_before_s += pause;
      boundary = false;
    } else if (name == "mark") {
      const char* mark_name = attribute(attrs, "name");
      if (!mark_name) return fail("<mark> needs a name");
      current_.marks.push_back({mark_name, current_.text.size(), here()});
      boundary = false;
    } else if (name == "say-as" || name == "sub") {
      capture c;
      c.element = std::string(name);
      if (name == "sub") {
        const char* alias = attribute(attrs, "alias");
        if (!alias) return fail("<sub> needs an alias");
        c.alias = alias;
      } else {
        const char* interpret = attribute(attrs, "interpret-as");
        if (!interpret) return fail("<say-as> needs interpret-as");
        c.interpret_as = interpret;
        if (const char* format = attribute(attrs, "format")) c.format = format;
      }
      c.begin = here();
      c.end = here() + here_count();
      capture_ = std::move(c);
      capture_begun_ = false;
      boundary = false;
    } else if (name == "phoneme") {
      // Its text stays as written (word timestamps point at it); engines with phoneme input
      // say the IPA instead, the others read the text.
      const char* alphabet = attribute(attrs, "alphabet");
      if (alphabet && ascii_lower(alphabet) != "ipa") return fail(std::string("<phoneme alphabet=\"") + alphabet + "\">: rtts reads IPA only");
      const char* ph = attribute(attrs, "ph");
      if (!ph) return fail("<phoneme> needs ph (its pronunciation in IPA)");
      if (auto problem = text::ipa_problem(ph)) return fail(std::string("<phoneme ph=\"") + ph + "\"> " + *problem);
      phoneme_ = phoneme_span{current_.text.size(), 0, text::canonical_ipa(ph)};
      boundary = false;
    } else if (name == "lexicon") {
      // SSML: lexicons come first in <speak>. rtts fetches nothing: the uri names a lexicon the
      // server has (--lexicon), by its file name ("medical", "medical.pls", ".../medical.pls").
      if (stack_.size() != 1 || content_seen_) return fail("<lexicon> belongs at the start of <speak>, before any other content");
      const char* uri = attribute(attrs, "uri");
      if (!uri || !*uri) return fail("<lexicon> needs a uri (the name of a lexicon the server has)");
      lexicons_.push_back(lexicon_name(uri));
      boundary = false;
    } else if (name == "audio") {
      return fail("<audio> is not supported: rtts never fetches or plays files");
    } else {
      return fail("<" + std::string(name) + "> is not an SSML element rtts supports");
    }
    stack_.push_back(std::move(s));
    if (boundary) flush();
  }

  void end(std::string_view name) {
    if (failure_) return;
    if (capture_ && name == capture_->element) {
      auto c = std::move(*capture_);
      capture_.reset();
      std::string_view language = !stack_.empty() && !stack_.back().language.empty() ? std::string_view(stack_.back().language) : language_;
      std::string spoken = c.element == "sub" ? c.alias : say_as(c.text, c.interpret_as, c.format, language);
      // One unit: every word of it points at the whole written content.
      append(spoken, c.begin, c.end, false);
    }
    if (phoneme_ && name == "phoneme") {
      phoneme_->end = current_.text.size();
      if (phoneme_->end > phoneme_->begin) current_.phonemes.push_back(std::move(*phoneme_));
      phoneme_.reset();
    }
    if (stack_.empty()) return;
    std::string element = std::move(stack_.back().element);
    stack_.pop_back();
    if (element == "p" || element == "s" || element == "voice" || element == "lang" || element == "prosody" || element == "emphasis" ||
        element == "speak")
      flush();
  }

  void characters(std::string_view data) {
    if (failure_ || stack_.empty()) return;
    if (!text::is_blank(data)) content_seen_ = true;
    std::size_t at = here(), count = here_count();
    if (capture_) {
      if (!capture_begun_) {
        capture_->begin = at;
        capture_begun_ = true;
      }
      capture_->end = at + count;
      capture_->text += data;
      return;
    }
    // Bytes as written are a copy; an entity (&amp;) or a normalized line end is a rewrite.
    bool copied = count == data.size() && doc_.substr(at, count) == data;
    append(data, at, at + count, copied);
  }

  std::string_view doc_;
  limits limits_;
  std::string_view language_; // of the document where no xml:lang says (the voice's)
  XML_Parser p_ = nullptr;
  std::vector<scope> stack_;
  std::vector<run> runs_;
  run current_;
  std::optional<capture> capture_;
  bool capture_begun_ = false;
  std::optional<phoneme_span> phoneme_; // the <phoneme> being read (`begin`: a byte of current_.text)
  std::vector<std::string> lexicons_;
  bool content_seen_ = false; // an element or text other than <speak> and <lexicon> so far
  std::size_t elements_ = 0;
  std::optional<error> failure_;
};

} // namespace

std::string lexicon_name(std::string_view uri) {
  uri = uri.substr(0, uri.find_first_of("?#"));
  if (auto slash = uri.find_last_of('/'); slash != std::string_view::npos) uri.remove_prefix(slash + 1);
  if (auto dot = uri.find_last_of('.'); dot != std::string_view::npos && dot > 0) uri = uri.substr(0, dot);
  return std::string(uri);
}

result<std::vector<run>> parse(std::string_view document, const limits& limits, std::string_view language, std::vector<std::string>* lexicons) {
  parser p(document, limits, language);
  auto runs = p.parse();
  if (runs && lexicons) *lexicons = p.lexicons();
  return runs;
}

} // namespace rtts::ssml
