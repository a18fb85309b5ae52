#include "core/error.hpp"

#include <stdexcept>

namespace rtts {

error make_error(error_kind kind, std::string message, std::string code, std::string param) {
  return error{kind, std::move(message), std::move(code), std::move(param)};
}

void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw std::runtime_error(e.message);
}

} // namespace rtts
