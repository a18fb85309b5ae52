#pragma once
// What this server can speak with: engines, voices, models, and the RealtimeTTS routes that
// change the server-wide defaults.
#include "server/route.hpp"

namespace rtts::routes {

boost::asio::awaitable<bool> engines(server::exchange& ex);        // GET /engines[?detail=1]
boost::asio::awaitable<bool> voices(server::exchange& ex);         // GET /voices[?engine=&detail=1]
boost::asio::awaitable<bool> set_engine(server::exchange& ex);     // GET /set_engine?engine_name=
boost::asio::awaitable<bool> set_voice(server::exchange& ex);      // GET /setvoice?voice_name=
boost::asio::awaitable<bool> models(server::exchange& ex);         // GET /v1/models
boost::asio::awaitable<bool> openai_voices(server::exchange& ex);  // GET /v1/audio/voices

} // namespace rtts::routes
