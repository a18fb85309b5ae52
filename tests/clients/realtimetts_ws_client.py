#!/usr/bin/python3
"""A second, independent client for /ws, written the way users of the RealtimeTTS example's
websocket_client.py talk to it: send messages, read audioOutput until finalOutput, strip the
header, save a WAV. Uses Debian's python3-websockets.

Usage: realtimetts_ws_client.py ws://HOST:PORT/ws OUT.wav TEXT [TEXT...]
"""
import asyncio
import base64
import json
import sys
import wave

import websockets


async def speak(url, out_path, texts):
    pcm = bytearray()
    rate = None
    async with websockets.connect(url) as ws:
        for text in texts:
            await ws.send(text)
            while True:
                message = json.loads(await ws.recv())
                if "audioOutput" in message:
                    audio = message["audioOutput"]
                    data = base64.b64decode(audio["audio"])
                    if audio.get("isHeader"):
                        rate = audio["sampleRate"]  # the WAV header: skip it, keep the rate
                        continue
                    pcm += data
                elif "finalOutput" in message:
                    break
                else:
                    raise RuntimeError("unexpected message: %r" % message)
        await ws.send("stop")
    with wave.open(out_path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(pcm))
    print("wrote %d samples at %d Hz" % (len(pcm) // 2, rate))


if __name__ == "__main__":
    asyncio.run(speak(sys.argv[1], sys.argv[2], sys.argv[3:]))
