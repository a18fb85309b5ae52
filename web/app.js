// The rtts page: picks an engine and voice, then plays speech while it streams, over HTTP
// (/tts with format=pcm) or live over the /v1/audio/speech-stream WebSocket. Every choice is
// sent with this page's own requests; nothing here changes the server's defaults. In HTTP mode
// the page asks for word timestamps and highlights each word of the text as it is heard.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  engine: $("engine"), voice: $("voice"), rate: $("rate"), speed: $("speed"), pitch: $("pitch"),
  speedValue: $("speed-value"), pitchValue: $("pitch-value"), text: $("text"), speak: $("speak"),
  stop: $("stop"), download: $("download"), status: $("status"), error: $("error"),
  firstAudio: $("first-audio"), audioSeconds: $("audio-seconds"), rtf: $("rtf"), karaoke: $("karaoke"), apiKey: $("api-key"),
};

// ---------- the API key, when the server wants one ----------
// Kept in this tab's session storage only: it goes when the tab does, and no other site sees it.

ui.apiKey.value = sessionStorage.getItem("rtts-api-key") || "";

function apiKey() { return ui.apiKey.value.trim(); }

// fetch() with the key, if one is set.
function api(path, init = {}) {
  const key = apiKey();
  if (!key) return fetch(path, init);
  return fetch(path, { ...init, headers: { ...(init.headers || {}), Authorization: "Bearer " + key } });
}

// A WebSocket with the key: browsers cannot set headers on one, so it travels as the subprotocol
// "bearer.KEY" beside "rtts" (never in the URL, where proxies would log it). A key that is not a
// valid subprotocol token falls back to ?api_key=.
function openSocket(url) {
  const key = apiKey();
  if (!key) return new WebSocket(url);
  if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) return new WebSocket(url, ["rtts", "bearer." + key]);
  return new WebSocket(url + (url.includes("?") ? "&" : "?") + "api_key=" + encodeURIComponent(key));
}

// What the page has played, for people (the stats panel) and for the browser test.
const stats = (window.rttsStats = {
  state: "idle", firstAudioMs: 0, samples: 0, sampleRate: 0, maxAbs: 0, chunks: 0, activeSources: 0, cancelled: false,
  words: 0, wordsLate: 0, highlighted: [],
});

// ---------- playback: PCM chunks scheduled back to back through Web Audio ----------

class Player {
  constructor() {
    this.context = null;
    this.sources = new Set();
    this.nextTime = 0;
    this.recorded = []; // Int16Array pieces of the current utterance, for the WAV download
    this.carry = null;  // a byte left over when a chunk ends mid-sample
    this.schedule = []; // {sample, time}: where each chunk starts in the audio and on the clock
    this.pushed = 0;    // samples scheduled so far
  }

  start(sampleRate) {
    if (!this.context) this.context = new AudioContext();
    if (this.context.state === "suspended") this.context.resume();
    this.sampleRate = sampleRate;
    this.nextTime = 0;
    this.recorded = [];
    this.carry = null;
    this.schedule = [];
    this.pushed = 0;
  }

  // The audio position (seconds from the first sample) playing now, or -1 before it starts.
  position() {
    if (!this.context || !this.schedule.length) return -1;
    const now = this.context.currentTime;
    let at = -1;
    for (const piece of this.schedule) {
      if (piece.time > now) break;
      at = piece.sample / this.sampleRate + (now - piece.time);
    }
    return at;
  }

  // bytes: Uint8Array of s16le mono at this.sampleRate.
  push(bytes) {
    if (this.carry) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.carry;
      joined.set(bytes, 1);
      bytes = joined;
      this.carry = null;
    }
    if (bytes.length % 2) {
      this.carry = bytes[bytes.length - 1];
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (!bytes.length) return;
    const pcm = new Int16Array(bytes.slice().buffer);
    this.recorded.push(pcm);
    const buffer = this.context.createBuffer(1, pcm.length, this.sampleRate);
    const channel = buffer.getChannelData(0);
    let peak = 0;
    for (let i = 0; i < pcm.length; i++) {
      channel[i] = pcm[i] / 32768;
      peak = Math.max(peak, Math.abs(channel[i]));
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    // A little lead so the first chunk is not cut off, then each chunk right after the last.
    const now = this.context.currentTime;
    if (this.nextTime < now + 0.02) this.nextTime = now + 0.02;
    source.start(this.nextTime);
    this.schedule.push({ sample: this.pushed, time: this.nextTime });
    this.pushed += pcm.length;
    this.nextTime += buffer.duration;
    this.sources.add(source);
    stats.activeSources = this.sources.size;
    source.onended = () => {
      this.sources.delete(source);
      stats.activeSources = this.sources.size;
    };
    stats.samples += pcm.length;
    stats.chunks += 1;
    stats.maxAbs = Math.max(stats.maxAbs, peak);
  }

  // Silences everything scheduled, at once.
  stop() {
    for (const s of this.sources) {
      try { s.stop(); } catch (e) { /* already ended */ }
    }
    this.sources.clear();
    stats.activeSources = 0;
    this.nextTime = 0;
  }

  wav() {
    const length = this.recorded.reduce((n, p) => n + p.length, 0);
    const out = new DataView(new ArrayBuffer(44 + length * 2));
    const put = (at, text) => [...text].forEach((c, i) => out.setUint8(at + i, c.charCodeAt(0)));
    put(0, "RIFF"); out.setUint32(4, 36 + length * 2, true); put(8, "WAVEfmt ");
    out.setUint32(16, 16, true); out.setUint16(20, 1, true); out.setUint16(22, 1, true);
    out.setUint32(24, this.sampleRate, true); out.setUint32(28, this.sampleRate * 2, true);
    out.setUint16(32, 2, true); out.setUint16(34, 16, true); put(36, "data"); out.setUint32(40, length * 2, true);
    let at = 44;
    for (const piece of this.recorded) for (const s of piece) { out.setInt16(at, s, true); at += 2; }
    return new Blob([out.buffer], { type: "audio/wav" });
  }
}

const player = new Player();

// ---------- state shown to the user ----------

let startedAt = 0;

function resetStats() {
  Object.assign(stats, { firstAudioMs: 0, samples: 0, maxAbs: 0, chunks: 0, cancelled: false, words: 0, wordsLate: 0, highlighted: [] });
  ui.firstAudio.textContent = ui.audioSeconds.textContent = ui.rtf.textContent = "–";
  showError("");
  startedAt = performance.now();
}

function noteAudio() {
  if (!stats.firstAudioMs) {
    stats.firstAudioMs = performance.now() - startedAt;
    ui.firstAudio.textContent = stats.firstAudioMs.toFixed(1) + " ms";
  }
  const seconds = stats.samples / stats.sampleRate;
  const wall = (performance.now() - startedAt) / 1000;
  ui.audioSeconds.textContent = seconds.toFixed(2) + " s";
  ui.rtf.textContent = wall > 0 ? (seconds / wall).toFixed(1) + "x" : "–";
}

function setState(state, message) {
  stats.state = state;
  ui.status.textContent = message;
  ui.stop.disabled = !(state === "playing" || state === "live");
}

function showError(message) {
  ui.error.hidden = !message;
  ui.error.textContent = message;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.error && body.error.message ? body.error.message : response.statusText;
  } catch (e) {
    return response.status + " " + response.statusText;
  }
}

function offerDownload() {
  if (ui.download.href) URL.revokeObjectURL(ui.download.href);
  ui.download.href = URL.createObjectURL(player.wav());
  ui.download.hidden = false;
}

function options() {
  return { engine: ui.engine.value, voice: ui.voice.value, speed: ui.speed.value, pitch: ui.pitch.value, rate: Number(ui.rate.value) };
}

// ---------- pickers ----------

async function loadEngines() {
  const response = await api("/engines");
  if (response.status === 401) return showError("This server wants an API key: enter it in the API key field.");
  if (!response.ok) return showError("Could not load engines: " + (await errorMessage(response)));
  showError("");
  const engines = await response.json();
  ui.engine.replaceChildren(...engines.map((e) => new Option(e, e)));
  await loadVoices();
}

async function loadVoices() {
  const response = await api("/voices?detail=1&engine=" + encodeURIComponent(ui.engine.value));
  if (!response.ok) return showError("Could not load voices: " + (await errorMessage(response)));
  const voices = await response.json();
  ui.voice.replaceChildren(...voices.map((v) => new Option(v.name + " (" + v.id + ")", v.id)));
  const english = voices.find((v) => v.id === "en-us");
  if (english) ui.voice.value = english.id;
}

// ---------- karaoke: the word being heard, marked in the text ----------

const karaoke = { text: "", words: [], shown: -1, frame: 0 };

function startKaraoke(text) {
  karaoke.text = text;
  karaoke.words = [];
  karaoke.shown = -1;
  ui.karaoke.hidden = false;
  ui.karaoke.replaceChildren(document.createTextNode(text));
  cancelAnimationFrame(karaoke.frame);
  karaoke.frame = requestAnimationFrame(followAudio);
}

// Each frame: find the word whose time span holds the audio playing now and mark it. Offsets
// come in UTF-16 units (offset_units=utf16), which is how JavaScript strings count.
function followAudio() {
  const t = player.position();
  let current = -1;
  for (let i = 0; i < karaoke.words.length && karaoke.words[i].start <= t; i++) if (t <= karaoke.words[i].end + 0.05) current = i;
  if (current !== karaoke.shown && current >= 0) {
    const w = karaoke.words[current];
    const mark = document.createElement("mark");
    mark.textContent = karaoke.text.slice(w.offset, w.offset + w.length);
    ui.karaoke.replaceChildren(document.createTextNode(karaoke.text.slice(0, w.offset)), mark,
                               document.createTextNode(karaoke.text.slice(w.offset + w.length)));
    mark.scrollIntoView({ block: "nearest" });
    stats.highlighted.push(mark.textContent);
    karaoke.shown = current;
  }
  if (stats.state === "playing" || player.sources.size) karaoke.frame = requestAnimationFrame(followAudio);
}

// ---------- HTTP mode: /tts as server-sent events (PCM audio and word timings) ----------

let httpAbort = null;

function base64Bytes(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function onSpeechEvent(event) {
  if (event.type === "speech.audio.delta") {
    player.push(base64Bytes(event.audio));
    noteAudio();
  } else if (event.type === "speech.word") {
    stats.words += 1;
    // A word must arrive before the audio that holds its start (times are rounded to 1 ms).
    if (stats.samples > (event.start + 0.0005) * stats.sampleRate + 1) stats.wordsLate += 1;
    karaoke.words.push(event);
  } else if (event.type === "error") {
    throw new Error(event.error.message);
  }
}

async function speakHttp() {
  const text = ui.text.value;
  if (!text.trim()) return showError("There is no text to speak.");
  resetStats();
  const o = options();
  const query = new URLSearchParams({ text, engine: o.engine, voice: o.voice, speed: o.speed, pitch: o.pitch, format: "pcm",
                                      timestamps: "word", offset_units: "utf16" });
  if (o.rate) query.set("sample_rate", o.rate);
  httpAbort = new AbortController();
  setState("playing", "Speaking…");
  try {
    const response = await api("/tts?" + query, { signal: httpAbort.signal });
    if (!response.ok) {
      setState("idle", "Ready.");
      return showError(await errorMessage(response));
    }
    stats.sampleRate = Number(response.headers.get("X-Audio-Sample-Rate"));
    player.start(stats.sampleRate);
    startKaraoke(text);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += value;
      let end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (line.startsWith("data: ")) onSpeechEvent(JSON.parse(line.slice(6)));
      }
    }
    offerDownload();
    setState("done", "Done.");
  } catch (e) {
    if (e.name === "AbortError") return;
    setState("idle", "Ready.");
    showError("The stream broke off: " + e.message);
  }
}

// ---------- live mode: /v1/audio/speech-stream ----------

let socket = null;
let sentLength = 0; // how much of the text box the server has
let pauseTimer = 0;

function openLive() {
  closeLive();
  resetStats();
  const o = options();
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/audio/speech-stream";
  socket = openSocket(url);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => {
    const config = { type: "config", engine: o.engine, voice: o.voice, speed: Number(o.speed), pitch: Number(o.pitch), format: "pcm", binary: true };
    if (o.rate) config.sample_rate = o.rate;
    socket.send(JSON.stringify(config));
    sentLength = 0;
    setState("live", "Listening: type, and each sentence is spoken.");
    sendTyped();
  };
  socket.onmessage = (event) => {
    if (event.data instanceof ArrayBuffer) {
      player.push(new Uint8Array(event.data));
      noteAudio();
      return;
    }
    const message = JSON.parse(event.data);
    if (message.type === "audio_start") {
      stats.sampleRate = message.sample_rate;
      player.start(message.sample_rate);
    } else if (message.type === "sentence") {
      ui.status.textContent = "Speaking: " + message.text;
    } else if (message.type === "cancelled") {
      stats.cancelled = true;
    } else if (message.type === "error") {
      showError(message.error.message);
    }
  };
  socket.onclose = () => {
    if (stats.state === "live") setState("idle", "Live mode closed.");
  };
}

function closeLive() {
  if (socket) socket.close();
  socket = null;
}

// Sends what was typed since the last send; after a pause in typing, asks the server to speak
// whatever is left even without a full stop.
function sendTyped() {
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  const value = ui.text.value;
  if (value.length > sentLength) {
    socket.send(JSON.stringify({ type: "text", text: value.slice(sentLength) }));
  }
  sentLength = value.length; // edits before this point are not re-spoken
  clearTimeout(pauseTimer);
  pauseTimer = setTimeout(() => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "flush" }));
    if (player.recorded.length) offerDownload();
  }, 700);
}

// ---------- wiring ----------

function mode() {
  return document.querySelector("input[name=mode]:checked").value;
}

function stop() {
  if (httpAbort) httpAbort.abort();
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "cancel" }));
  player.stop();
  sentLength = ui.text.value.length; // what was typed before Stop is not spoken later
  if (player.recorded.length) offerDownload();
  setState("stopped", socket ? "Stopped. Keep typing to speak again." : "Stopped.");
}

ui.speak.addEventListener("click", () => (mode() === "ws" ? openLive() : speakHttp()));
ui.stop.addEventListener("click", stop);
ui.text.addEventListener("input", () => {
  if (mode() !== "ws" || !socket) return;
  if (stats.state === "stopped") setState("live", "Listening: type, and each sentence is spoken.");
  sendTyped();
});
ui.engine.addEventListener("change", () => loadVoices().then(() => mode() === "ws" && socket && openLive()));
// In live mode a new choice takes effect with a fresh session (config comes before any text).
for (const picker of [ui.voice, ui.rate, ui.speed, ui.pitch]) {
  picker.addEventListener("change", () => mode() === "ws" && socket && openLive());
}
for (const input of document.querySelectorAll("input[name=mode]")) {
  input.addEventListener("change", () => {
    if (mode() === "ws") {
      ui.speak.textContent = "Start live";
      openLive();
    } else {
      closeLive();
      ui.speak.textContent = "Speak";
      setState("idle", "Ready.");
    }
  });
}
for (const [input, output] of [[ui.speed, ui.speedValue], [ui.pitch, ui.pitchValue]]) {
  input.addEventListener("input", () => (output.textContent = Number(input.value).toFixed(2)));
}

ui.apiKey.addEventListener("change", () => {
  sessionStorage.setItem("rtts-api-key", apiKey());
  loadEngines().catch((e) => showError("Could not reach the server: " + e.message));
});

loadEngines().catch((e) => showError("Could not reach the server: " + e.message));
