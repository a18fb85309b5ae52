#pragma once
// What the Wyoming listener says about rtts's voices: the `info` answer to `describe`, and the
// voice a `synthesize` event asks for.
#include "synth/synthesizer.hpp"
#include "wyoming/framing.hpp"

#include <boost/json/object.hpp>

namespace rtts::wyoming {

// `info`: one TTS program "rtts" with every voice of every engine as "engine:voice".
event info_event(const synth::synthesizer& synth);

// The voice in a synthesize event's data: "engine:voice", a voice id, or just a language (a voice
// of that language); empty fields mean the defaults.
voice_options pick_voice(const synth::synthesizer& synth, const boost::json::object& data);

} // namespace rtts::wyoming
