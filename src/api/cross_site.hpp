#pragma once
// Defences against other web pages in a user's browser. CORS (api/cors.hpp) only decides what a
// page may *read*; these decide what reaches rtts at all:
//  - DNS rebinding: a page on attacker.example re-resolves its own name to 127.0.0.1 and then
//    talks to a loopback rtts as "same origin". Its requests still say `Host: attacker.example`,
//    so only Host names rtts knows are served: loopback names, IP literals (a rebinding attack
//    always carries a name) and --allowed-host entries.
//  - Cross-site requests that change the server: an <img src="/setvoice?..."> or a WebSocket
//    opened by any page sends its Origin; those routes serve only requests without an Origin
//    (curl, SDKs, the seed clients), from rtts's own page (same origin) or from a CORS origin.
#include "core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rtts::api {

// `host` is the Host header as sent (name or address, with or without a port). An empty one
// (HTTP/1.0 clients) is allowed: browsers always send it. "*" in `allowed` allows any.
bool host_allowed(std::string_view host, const std::vector<std::string>& allowed);

// Whether a request with this Origin may change the server or open a WebSocket: no Origin, the
// page's own origin (same scheme-less host:port as `host`), or an origin CORS allows.
bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& cors_origins);

// The 403s of the two checks, saying which flag would allow the request.
error host_refusal(std::string_view host);
error origin_refusal(std::string_view origin);

} // namespace rtts::api
