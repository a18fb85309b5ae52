#pragma once
// A Wyoming client for the black-box tests, written from the protocol description, independent
// of src/wyoming: it reads byte by byte (the worst case for a framing that splits anywhere).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace rtts::testing {

struct wy_event {
  std::string type;
  boost::json::object data;
  std::string payload;
};

class wyoming_client {
public:
  // `receive_buffer` > 0 shrinks the socket's receive buffer (a client that stops reading fills
  // it fast); reads give up after `read_timeout_s`.
  explicit wyoming_client(unsigned port, int receive_buffer = 0, int read_timeout_s = 20);
  ~wyoming_client();
  wyoming_client(const wyoming_client&) = delete;
  wyoming_client& operator=(const wyoming_client&) = delete;

  void send_raw(const std::string& bytes);
  void send(const std::string& type, const boost::json::object& data = {});
  // The next event; nullopt once the server has closed the connection (or the read timed out).
  std::optional<wy_event> read();
  // Events until (and including) one of type `last`.
  std::vector<wy_event> read_until(const std::string& last);
  bool closed() const { return closed_; }
  // Whether the server has closed its end, waiting up to `wait_ms` (unread data does not hide it).
  bool hung_up(int wait_ms) const;

private:
  char next();
  int fd_ = -1;
  bool closed_ = false;
};

// The audio of a run of events: their audio-chunk payloads joined.
std::string pcm_of(const std::vector<wy_event>& events);

} // namespace rtts::testing
