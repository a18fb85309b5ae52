#pragma once
// Downloading one file for `rtts voices pull`: HTTPS with certificate verification (or a copy
// from a local mirror), redirects followed, a partial file continued with HTTP Range, progress
// on the terminal or as JSON lines, and the digest a catalogue checks it against.
#include "client/http_client.hpp"
#include "core/error.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace rtts::app {

// An http:// or https:// location (else a local file).
bool is_remote(const std::string& location);

// GET `url`, following redirects (Hugging Face answers with one to its CDN); `on_body` gets
// only the final answer's body, `on_head` its head.
result<client::http_response> get_following(std::string url, const std::map<std::string, std::string>& headers,
                                            const client::body_callback& on_body, const client::head_callback& on_head);

// One file into `dest`, continuing a partial one; sizes and digests are checked by the caller.
result<void> download(const std::string& from, const std::filesystem::path& dest, std::uint64_t size);

enum class digest_kind { md5, sha256 };
// The file's digest in lower-case hex.
std::string digest_of(const std::filesystem::path& path, digest_kind which);

// --progress-json: progress and outcome as one JSON object per line on stdout.
void set_progress_json(bool on);
bool progress_json();
void json_line(boost::json::object o);

} // namespace rtts::app
