#pragma once
// Errors as values across module boundaries. `kind` says what went wrong in terms a client
// understands; src/api maps it to an HTTP status and the JSON error envelope.
#include <boost/system/result.hpp>

#include <string>

namespace rtts {

enum class error_kind {
  invalid_request,        // malformed or out-of-range input (400)
  unauthorized,           // missing or wrong API key (401)
  forbidden,              // a browser request from a page or Host name rtts does not serve (403)
  not_found,              // unknown route, engine or voice (404)
  method_not_allowed,     // (405)
  conflict,               // the thing exists already, or a name is ambiguous (409)
  payload_too_large,      // text or body over the configured limit (413)
  uri_too_long,           // request line over the limit (414)
  unsupported_media_type, // (415)
  headers_too_large,      // header block over the limit (431)
  overloaded,             // admission control said no (429)
  unavailable,            // no worker can serve the engine right now (503)
  engine_failure,         // the engine or its worker process failed mid-request (500)
  internal,               // a bug (500)
};

struct error {
  error_kind kind = error_kind::internal;
  std::string message;
  std::string code;  // machine-readable, e.g. "unknown_voice"; empty = derived from kind
  std::string param; // the offending parameter, if any
  // For `overloaded` and `unavailable`: seconds after which trying again may succeed (0: none
  // known). HTTP sends it as Retry-After, every protocol's error body as "retry_after".
  unsigned retry_after_s = 0;
};

error make_error(error_kind kind, std::string message, std::string code = {}, std::string param = {});

// Throws std::runtime_error; lets boost::system::result<T, error>::value() work.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T> using result = boost::system::result<T, error>;

} // namespace rtts
