// Wyoming events from a socket: any bytes, in any chunking, decode to the same events (or the
// same error) as at once, and every decoded event survives encode -> decode unchanged.
#include "fuzz_input.hpp"
#include "wyoming/framing.hpp"

#include <boost/json/serialize.hpp>

namespace {

using rtts::wyoming::event;

auto decode_all(const std::vector<std::string_view>& pieces) { return rtts::fuzz::decode_all<rtts::wyoming::decoder, event>(pieces); }

bool same(const event& a, const event& b) { return a.type == b.type && a.data == b.data && a.payload == b.payload; }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rtts::fuzz::input in(data, size);
  auto sizes = in.chunk_sizes();
  auto bytes = in.rest();

  auto whole = decode_all({bytes});
  auto chunked = decode_all(rtts::fuzz::chunks(bytes, sizes));
  rtts::fuzz::check(whole.second == chunked.second, "chunking changed whether the stream fails");
  rtts::fuzz::check(whole.first.size() == chunked.first.size(), "chunking changed the number of events");
  for (std::size_t i = 0; i < whole.first.size(); ++i) {
    rtts::fuzz::check(same(whole.first[i], chunked.first[i]), "chunking changed an event");
    auto again = decode_all({rtts::wyoming::encode(whole.first[i])});
    rtts::fuzz::check(!again.second && again.first.size() == 1 && same(again.first[0], whole.first[i]), "encode/decode is not the identity");
  }
  return 0;
}
