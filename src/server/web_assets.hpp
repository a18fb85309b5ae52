#pragma once
// The web page, compiled into the binary from web/ (see cmake/embed_assets.cmake).
#include <span>
#include <string_view>

namespace rtts::server {

struct web_asset {
  std::string_view path; // "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view body;
};

// "/" serves index.html. nullptr for anything else.
const web_asset* find_web_asset(std::string_view path);
// Every file of the page ("/" not included).
std::span<const web_asset> web_assets();

// The page's Content-Security-Policy: only this server, blob: for the WAV download, no inline
// code, no third parties.
inline constexpr std::string_view web_csp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

} // namespace rtts::server
