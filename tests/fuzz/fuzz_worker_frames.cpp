// The framed protocol between the server and its engine workers: any bytes, in any chunking,
// decode to the same frames (or the same error) as when they arrive at once; the JSON payload
// readers accept or refuse any bytes without crashing; encode -> decode is the identity.
#include "fuzz_input.hpp"
#include "worker/protocol.hpp"

namespace {

using rtts::worker::frame;

auto decode_all(const std::vector<std::string_view>& pieces) { return rtts::fuzz::decode_all<rtts::worker::frame_decoder, frame>(pieces); }

bool same(const std::vector<frame>& a, const std::vector<frame>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].type != b[i].type || a[i].job != b[i].job || a[i].payload != b[i].payload) return false;
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtts::fuzz::input in(data, size);
  auto sizes = in.chunk_sizes();
  auto bytes = in.rest();

  auto whole = decode_all({bytes});
  auto chunked = decode_all(rtts::fuzz::chunks(bytes, sizes));
  rtts::fuzz::check(whole.second == chunked.second, "chunking changed whether the stream fails");
  rtts::fuzz::check(same(whole.first, chunked.first), "chunking changed the frames");

  for (const auto& f : whole.first) {
    auto again = decode_all({rtts::worker::encode_frame(f.type, f.job, f.payload)});
    rtts::fuzz::check(!again.second && again.first.size() == 1 && same(again.first, {f}), "encode/decode is not the identity");
  }
  (void)rtts::worker::synthesize_request_from_json(bytes);
  (void)rtts::worker::worker_hello_from_json(bytes);
  (void)rtts::worker::error_from_json(bytes);
  return 0;
}
