#pragma once
// A small blocking WebSocket client (Beast underneath, kept out of this header), for the CLI
// and the black-box tests.
#include "client/http_client.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace rtts::client {

struct ws_message {
  bool binary = false;
  std::string data;
};

class ws_client {
public:
  // Connects and upgrades. On a refused upgrade the error message starts with the HTTP status,
  // and refused_status() of a later call is meaningless: use the returned error.
  static result<std::unique_ptr<ws_client>> connect(const endpoint& to, const std::string& target,
                                                    std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~ws_client();

  result<void> send_text(std::string_view text);
  result<void> send_binary(std::string_view bytes);
  // The next message; an error once the connection is closed (close_code() tells how).
  result<ws_message> read();
  // Starts the closing handshake and waits for it.
  result<void> close();
  // The close code the server sent (1000 normal, 1009 too big, ...), or 0.
  int close_code() const;
  // Sends nothing more and drops the connection (a client that vanishes).
  void abort();

private:
  struct impl;
  explicit ws_client(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

} // namespace rtts::client
