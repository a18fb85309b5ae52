#pragma once
// An ONNX model's metadata_props (ModelProto field 14: key/value strings), read and appended
// without an ONNX library. rtts reads a voice's sample rate, language and speakers from there
// without starting a session, and an upstream Piper voice gets the entries sherpa-onnx needs
// appended to a copy (protobuf lets fields be appended to a serialized message).
#include "core/error.hpp"

#include <map>
#include <string>

namespace rtts::engines::neural {

using onnx_metadata = std::map<std::string, std::string>;

// Walks the file's top-level fields and skips everything but metadata, so a 300 MB model costs
// a few reads. An error for a file that is not a protobuf message.
result<onnx_metadata> read_onnx_metadata(const std::string& path);

// The bytes to append to a serialized ModelProto to add these entries.
std::string encode_onnx_metadata(const onnx_metadata& entries);

} // namespace rtts::engines::neural
