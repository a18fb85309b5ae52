#pragma once
// Installing and removing neural voices in a voices folder (`rtts voices import/rm`; a running
// server sees the change by itself, synth/voice_folder_watch.hpp). Both are atomic as the server
// sees them: a voice is assembled and checked under a hidden name (the catalogue skips hidden
// entries) and renamed into place in one step; a removed voice folder is first renamed away.
// What the catalogue would call broken is never installed.
#include "core/error.hpp"
#include "engines/neural/voice_catalogue.hpp"

#include <string>
#include <vector>

namespace rtts::engines::neural {

// Installs a voice the user has into `folder` (created if missing):
//   - an upstream Piper voice: X.onnx with X.onnx.json next to it (either file may be named),
//   - a folder: a sherpa-onnx package (model, tokens.txt, ...) or an upstream Piper voice in a
//     folder of its own,
//   - such a folder as an archive (.tar.bz2 as sherpa-onnx ships them, .tar.gz, .tar.xz, .zip;
//     voice_archive.hpp refuses one whose paths would leave the voices folder).
// The voice keeps its name (file stem, folder name, the archive's one folder or its stem). Refused, with nothing left behind: a
// voice of that name already installed, a path that is none of these, a voice that is broken.
result<neural_voice> import_voice(const std::string& from, const std::string& folder);

// Removes the installed voice `id` (a voice id, "engine:id", or a speaker's "id/speaker") from
// the first of `folders` that has it. Refused when it names no voice or several (then give the
// engine).
result<neural_voice> remove_voice(const std::string& id, const std::vector<std::string>& folders);

} // namespace rtts::engines::neural
