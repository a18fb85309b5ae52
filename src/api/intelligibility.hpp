#pragma once
// The measured intelligibility of voices (data/intelligibility.json, compiled in): the word
// error rate pocketsphinx makes on each English voice's speech (scripts/intelligibility).
// /voices?detail=1 shows it beside each measured voice.
#include <boost/json/object.hpp>

#include <string_view>

namespace rtts::api {

// {"wer": 0.08, "by_type": {...}, "measured": "2026-12-02"} for a measured voice, else nullptr.
const boost::json::object* intelligibility_of(std::string_view engine, std::string_view voice);

} // namespace rtts::api
