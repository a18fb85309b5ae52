// The config file reader on any bytes: an error or entries, never a crash or a hang.
#include "core/config_file.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)rtts::parse_config_text(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
