#include "engines/registry.hpp"

#include "engines/espeak/espeak_engine.hpp"
#include "engines/flite/flite_engine.hpp"

namespace rtts::engines {

std::vector<std::string> known_engines() { return {"espeak", "flite"}; }

result<std::unique_ptr<engine>> create_engine(const std::string& name) {
  if (name == "espeak") return espeak_engine::create();
  if (name == "flite") return flite_engine::create();
  return make_error(error_kind::not_found, "unknown engine '" + name + "'", "unknown_engine", "engine");
}

} // namespace rtts::engines
