#pragma once
// Speech over plain HTTP: /tts (the RealtimeTTS query API) and /v1/audio/speech (OpenAI's),
// both streamed as the audio is made; and the two WebSocket paths asked for without an Upgrade.
#include "server/route.hpp"

namespace rtts::routes {

boost::asio::awaitable<bool> tts(server::exchange& ex);                // GET /tts?text=...
boost::asio::awaitable<bool> openai_speech(server::exchange& ex);      // POST /v1/audio/speech
boost::asio::awaitable<bool> websocket_required(server::exchange& ex); // GET /ws, /v1/audio/speech-stream without Upgrade

} // namespace rtts::routes
