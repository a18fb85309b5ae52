#pragma once
// The server's config file: a JSON object whose keys are the long names of `rtts serve` flags
// without the dashes ("port", "max-streams", "api-key": [...]). Comments and trailing commas are
// allowed so the file can be annotated by hand. Reading only flattens it into (key, values);
// the command line decides which keys exist and what their values mean, so the file and the
// flags can never drift apart.
#include "core/error.hpp"

#include <string>
#include <vector>

namespace rtts {

struct config_entry {
  std::string key;
  std::vector<std::string> values; // one for scalars, one per element for arrays
};

// Scalars become their text ("8000", "true"); arrays of scalars become several values; an object
// becomes "NAME=VALUE" values (for map-like flags such as openai-voice). Anything else, a syntax
// error (reported with line and column) or a root that is not an object is an error.
result<std::vector<config_entry>> parse_config_text(const std::string& text);
result<std::vector<config_entry>> read_config_file(const std::string& path);

} // namespace rtts
