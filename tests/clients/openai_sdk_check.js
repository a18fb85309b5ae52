// Drives a running rtts with the official OpenAI Node SDK, as an application would.
// Usage: node openai_sdk_check.js BASE_URL API_KEY   (BASE_URL like http://127.0.0.1:8000/v1)
"use strict";
const { OpenAI } = require("openai");

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30000 });
const input = "Hello from the official OpenAI client. This sentence should come back as speech.";

function check(condition, message) {
  if (!condition) throw new Error("check failed: " + message);
}

async function bytesOf(response) {
  return Buffer.from(await response.arrayBuffer());
}

async function main() {
  const models = await client.models.list();
  const ids = models.data.map((m) => m.id);
  check(ids.includes("tts-1") && ids.includes("espeak"), "models list: " + ids.join(","));

  const mp3 = await bytesOf(await client.audio.speech.create({ model: "tts-1", voice: "alloy", input }));
  check(mp3.length > 5000 && mp3[0] === 0xff && (mp3[1] & 0xe0) === 0xe0, "mp3 frame sync, " + mp3.length + " bytes");

  const wav = await bytesOf(await client.audio.speech.create({ model: "tts-1-hd", voice: "nova", input, response_format: "wav" }));
  check(wav.toString("ascii", 0, 4) === "RIFF" && wav.readUInt32LE(24) === 24000, "wav header at 24 kHz");

  const pcm = await bytesOf(await client.audio.speech.create({ model: "gpt-4o-mini-tts", voice: "echo", input, response_format: "pcm" }));
  check(pcm.length % 2 === 0 && pcm.length > 24000 * 2 * 2, "pcm: at least two seconds of s16 at 24 kHz");

  const opus = await bytesOf(await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "opus" }));
  check(opus.toString("ascii", 0, 4) === "OggS", "opus in Ogg");
  const flac = await bytesOf(await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "flac" }));
  check(flac.toString("ascii", 0, 4) === "fLaC", "flac");
  const aac = await bytesOf(await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "aac" }));
  check(aac[0] === 0xff && (aac[1] & 0xf6) === 0xf0, "aac ADTS sync");

  // Streaming as the SDK documents it: read the body as it arrives.
  const streamed = await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "mp3" });
  let pieces = 0;
  const parts = [];
  for await (const piece of streamed.body) {
    pieces++;
    parts.push(Buffer.from(piece));
  }
  check(pieces >= 1 && Buffer.concat(parts).equals(mp3), "streamed mp3 equals the buffered one");

  // The first piece reaches the SDK while the synthesis is still running: at that moment the
  // server (asked on another connection, while this reader holds back) has not finished the
  // stream. About ten minutes of speech: more than the buffers on the way can hold.
  const completed = async () => {
    const text = await (await fetch(baseURL.replace(/\/v1$/, "") + "/metrics", { headers: { Authorization: "Bearer " + apiKey } })).text();
    const m = text.match(/rtts_streams_total\{engine="espeak",outcome="completed"\} (\d+)/);
    return m ? Number(m[1]) : 0;
  };
  const before = await completed();
  const long = await client.audio.speech.create({ model: "tts-1", voice: "alloy", response_format: "pcm",
                                                 input: "This sentence is one of many in a long answer that streams. ".repeat(120) });
  let atFirstPiece = -1, longBytes = 0;
  for await (const piece of long.body) {
    if (atFirstPiece < 0) atFirstPiece = await completed();
    longBytes += piece.length;
  }
  check(atFirstPiece === before, "the first piece arrived before the synthesis ended (" + longBytes + " bytes in all)");
  check((await completed()) === before + 1, "and the stream completed after it");

  // Speed changes the length.
  const fast = await bytesOf(await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "pcm", speed: 2.0 }));
  check(fast.length < pcm.length * 0.7, "speed 2 is shorter: " + fast.length + " vs " + pcm.length);

  // Errors surface as the SDK's typed errors with the HTTP status.
  try {
    await client.audio.speech.create({ model: "tts-1", voice: "no-such-voice", input });
    check(false, "unknown voice must fail");
  } catch (e) {
    check(e instanceof OpenAI.APIError && e.status === 400, "unknown voice: " + e);
  }
  try {
    await new OpenAI({ baseURL, apiKey: "wrong", maxRetries: 0 }).audio.speech.create({ model: "tts-1", voice: "alloy", input });
    check(false, "a wrong key must fail");
  } catch (e) {
    check(e instanceof OpenAI.AuthenticationError && e.status === 401, "wrong key: " + e);
  }
  console.log("all checks passed");
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
