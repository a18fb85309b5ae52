#pragma once
// IPA transcriptions as clients and lexicon authors write them. rtts checks them where they
// arrive (SSML, lexicon files) and hands them on in one spelling: engines convert from there to
// their own notation (src/engines/espeak/espeak_phonemes.hpp).
#include <optional>
#include <string>
#include <string_view>

namespace rtts::text {

// Why `ipa` is not an IPA transcription rtts accepts (a character outside the IPA letters,
// diacritics, stress, length and boundary marks; empty), or nullopt when it is one.
std::optional<std::string> ipa_problem(std::string_view ipa);

// The common ASCII stand-ins in their IPA form: ' -> ˈ, , -> ˌ, : -> ː, g -> ɡ; white space
// collapsed to one space and trimmed.
std::string canonical_ipa(std::string_view ipa);

} // namespace rtts::text
