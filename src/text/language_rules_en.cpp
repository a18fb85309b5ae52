#include "text/language_rules.hpp"

#include "text/token_rewriter.hpp"

namespace rtts::text {

const language_rules& english_rules() {
  static const language_rules rules{
      .ones = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
               "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"},
      .tens = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"},
      .hundred = "hundred",
      .scales = {"", "thousand", "million", "billion", "trillion"},
      .ordinal_words = {{"one", "first"}, {"two", "second"}, {"three", "third"}, {"five", "fifth"}, {"eight", "eighth"},
                        {"nine", "ninth"}, {"twelve", "twelfth"}},
      .ordinal_y_suffix = "ieth",
      .ordinal_suffix = "th",
      .ordinal_markers = {"st", "nd", "rd", "th"},
      .point = "point",
      .minus = "minus",
      .percent = "percent",
      .and_word = "and",
      .oh = "oh",
      .oclock = "o'clock",
      .am = "a m",
      .pm = "p m",
      .months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
                 "December"},
      .currencies = {{"$", "dollar", "dollars", "cent", "cents"},
                     {"€", "euro", "euros", "cent", "cents"},
                     {"£", "pound", "pounds", "penny", "pence"},
                     {"¥", "yen", "yen", "", ""},
                     {"₹", "rupee", "rupees", "paisa", "paise"}},
      .abbreviations = {{"Dr.", "Doctor", true, "Drive"},
                        {"St.", "Saint", true, "Street"},
                        {"Mr.", "Mister", false, ""},
                        {"Mrs.", "Missus", false, ""},
                        {"Ms.", "Miz", false, ""},
                        {"Prof.", "Professor", false, ""},
                        {"Jr.", "Junior", false, ""},
                        {"Sr.", "Senior", false, ""},
                        {"Mt.", "Mount", false, ""},
                        {"Ave.", "Avenue", false, ""},
                        {"e.g.", "for example", false, ""},
                        {"i.e.", "that is", false, ""},
                        {"etc.", "et cetera", false, ""},
                        {"vs.", "versus", false, ""},
                        {"approx.", "approximately", false, ""},
                        {"Jan.", "January", false, ""},
                        {"Feb.", "February", false, ""},
                        {"Mar.", "March", false, ""},
                        {"Apr.", "April", false, ""},
                        {"Aug.", "August", false, ""},
                        {"Sep.", "September", false, ""},
                        {"Sept.", "September", false, ""},
                        {"Oct.", "October", false, ""},
                        {"Nov.", "November", false, ""},
                        {"Dec.", "December", false, ""}},
      .at = "at",
      .dot = "dot",
      .spoken_symbols = {{'.', "dot"}, {'/', "slash"}, {'-', "dash"}, {'_', "underscore"}, {':', "colon"}, {'?', "question mark"},
                         {'=', "equals"}, {'&', "and"}, {'#', "hash"}, {'~', "tilde"}, {'+', "plus"}, {'%', "percent"}},
  };
  return rules;
}

const language_rules* rules_for(std::string_view language) {
  // "en", "en-us", "en_GB", "EN-gb-scotland": the primary subtag decides; "" is read as English.
  const std::string primary = primary_subtag(language);
  return primary.empty() || primary == "en" ? &english_rules() : nullptr;
}

} // namespace rtts::text
