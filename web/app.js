// The rtts page: picks an engine and voice, then plays speech while it streams, over HTTP
// (/tts with format=pcm) or live over the /v1/audio/speech-stream WebSocket. Every choice is
// sent with this page's own requests; nothing here changes the server's defaults. In both modes
// the page asks for word timestamps, shows the text being spoken with the word being heard
// marked, and charts how far the received audio runs ahead of what was played.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  engine: $("engine"), voice: $("voice"), rate: $("rate"), speed: $("speed"), pitch: $("pitch"),
  speedValue: $("speed-value"), pitchValue: $("pitch-value"), text: $("text"), speak: $("speak"),
  stop: $("stop"), download: $("download"), status: $("status"), error: $("error"),
  firstAudio: $("first-audio"), audioSeconds: $("audio-seconds"), rtf: $("rtf"), transcript: $("transcript"), apiKey: $("api-key"),
  chart: $("chart"), chartSummary: $("chart-summary"),
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

// ---------- playback, transcript and chart (player.js, transcript.js, chart.js) ----------

const player = new Player(() => (stats.activeSources = player.sources.size));
const transcript = new Transcript(ui.transcript, (word) => stats.highlighted.push(word));
const chart = new StreamChart(ui.chart, ui.chartSummary);

// ---------- state shown to the user ----------

let startedAt = 0;
let frame = 0;

// A new stream: counters, chart and first-audio time start again.
function resetStats() {
  Object.assign(stats, { firstAudioMs: 0, samples: 0, maxAbs: 0, chunks: 0, cancelled: false, words: 0, wordsLate: 0, highlighted: [] });
  ui.firstAudio.textContent = ui.audioSeconds.textContent = ui.rtf.textContent = "–";
  showError("");
  startedAt = performance.now();
  chart.reset();
}

// Audio arrived: play it and count it.
function playAudio(bytes) {
  const peak = player.push(bytes);
  stats.samples += bytes.length >> 1;
  stats.chunks += 1;
  stats.maxAbs = Math.max(stats.maxAbs, peak);
  if (!stats.firstAudioMs) {
    stats.firstAudioMs = performance.now() - startedAt;
    chart.markFirstAudio(stats.firstAudioMs / 1000);
    // Live, the page cannot tell which keystroke completed the first sentence; the server can,
    // and says so in its first_audio message.
    if (mode() === "http") showFirstAudio(stats.firstAudioMs);
  }
  const seconds = stats.samples / stats.sampleRate;
  const wall = (performance.now() - startedAt) / 1000;
  ui.audioSeconds.textContent = seconds.toFixed(2) + " s";
  ui.rtf.textContent = wall > 0 ? (seconds / wall).toFixed(1) + "x" : "–";
}

function showFirstAudio(ms) {
  ui.firstAudio.textContent = ms.toFixed(1) + " ms";
  chart.firstAudioMs = ms;
}

// Every frame while something streams or plays: the transcript follows the audio, the chart
// takes a point, and Stop stays usable for as long as there is sound to stop.
function tick() {
  transcript.follow(player.position());
  chart.sample((performance.now() - startedAt) / 1000, player.receivedSeconds(), player.playedSeconds());
  stats.chart = { points: chart.points.length, maxLead: chart.maxLead, behind: chart.behind, firstAudio: chart.firstAudio,
                  startsAt: chart.points.length ? chart.points[0].received : 0 };
  const active = stats.state === "playing" || stats.state === "live" || player.playing();
  ui.stop.disabled = !active;
  frame = active ? requestAnimationFrame(tick) : 0;
  if (!active) chart.sample((performance.now() - startedAt) / 1000, player.receivedSeconds(), player.playedSeconds(), true);
}

function follow() {
  if (!frame) frame = requestAnimationFrame(tick);
}

function setState(state, message) {
  stats.state = state;
  ui.status.textContent = message;
  ui.stop.disabled = !(state === "playing" || state === "live" || player.playing());
  follow();
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

// ---------- word events, the same on both routes ----------

function onWord(event) {
  stats.words += 1;
  // A word must arrive before the audio that holds its start (times are rounded to 1 ms).
  if (player.total - player.clockBase > (event.start + 0.0005) * stats.sampleRate + 1) stats.wordsLate += 1;
  transcript.addWord(event);
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
  if (event.type === "speech.audio.delta") playAudio(base64Bytes(event.audio));
  else if (event.type === "speech.word") onWord(event);
  else if (event.type === "error") throw new Error(event.error.message);
}

async function speakHttp() {
  const text = ui.text.value;
  if (!text.trim()) return showError("There is no text to speak.");
  if (httpAbort) httpAbort.abort();
  player.stop();
  player.open();
  player.start(0); // nothing received yet: the chart starts from zero
  transcript.clear();
  resetStats();
  const o = options();
  const query = new URLSearchParams({ text, engine: o.engine, voice: o.voice, speed: o.speed, pitch: o.pitch, format: "pcm",
                                      timestamps: "word", offset_units: "utf16" });
  if (o.rate) query.set("sample_rate", o.rate);
  const abort = (httpAbort = new AbortController());
  setState("playing", "Speaking…");
  try {
    const response = await api("/tts?" + query, { signal: abort.signal });
    if (!response.ok) {
      setState("idle", "Ready.");
      return showError(await errorMessage(response));
    }
    stats.sampleRate = Number(response.headers.get("X-Audio-Sample-Rate"));
    player.start(stats.sampleRate);
    transcript.show(text);
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
let sentLength = 0;       // how much of the text box the server has
let pauseTimer = 0;
let awaitingCancel = false; // Stop was sent: what arrives before the server's "cancelled" is not played

function openLive() {
  closeLive();
  player.stop();
  player.open();
  player.start(0); // nothing received yet: the chart starts from zero
  resetStats();
  transcript.clear();
  const o = options();
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/audio/speech-stream";
  const live = (socket = openSocket(url));
  live.binaryType = "arraybuffer";
  live.onopen = () => {
    const config = { type: "config", engine: o.engine, voice: o.voice, speed: Number(o.speed), pitch: Number(o.pitch), format: "pcm",
                     binary: true, timestamps: "word", offset_units: "utf16" };
    if (o.rate) config.sample_rate = o.rate;
    live.send(JSON.stringify(config));
    sentLength = 0;
    awaitingCancel = false;
    setState("live", "Listening: type, and each sentence is spoken.");
    sendTyped();
  };
  live.onmessage = (event) => {
    if (live !== socket) return; // a message of a session the page has left
    if (event.data instanceof ArrayBuffer) {
      if (!awaitingCancel) playAudio(new Uint8Array(event.data));
      return;
    }
    const message = JSON.parse(event.data);
    if (message.type === "audio_start") {
      stats.sampleRate = message.sample_rate;
      player.start(message.sample_rate);
    } else if (message.type === "cancelled") {
      // The server's word times start again from here; the old words will not be heard.
      awaitingCancel = false;
      stats.cancelled = true;
      player.restartClock();
      transcript.restartTimes();
    } else if (awaitingCancel) {
      return;
    } else if (message.type === "first_audio") {
      showFirstAudio(message.latency_ms);
    } else if (message.type === "word") {
      onWord(message);
    } else if (message.type === "sentence") {
      ui.status.textContent = "Speaking: " + message.text;
    } else if (message.type === "error") {
      showError(message.error.message);
    }
  };
  live.onclose = () => {
    if (live === socket && stats.state === "live") setState("idle", "Live mode closed.");
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
    const text = value.slice(sentLength);
    socket.send(JSON.stringify({ type: "text", text }));
    transcript.append(text);
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

function speak() {
  if (mode() === "ws") openLive();
  else speakHttp();
}

function stop() {
  if (httpAbort) httpAbort.abort();
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: "cancel" }));
    awaitingCancel = true;
  }
  player.stop();
  sentLength = ui.text.value.length; // what was typed before Stop is not spoken later
  if (player.recorded.length) offerDownload();
  setState("stopped", socket ? "Stopped. Keep typing to speak again." : "Stopped.");
}

ui.speak.addEventListener("click", speak);
ui.stop.addEventListener("click", stop);
// Keyboard: Ctrl+Enter (or Cmd+Enter) in the text speaks, Escape anywhere stops.
ui.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    speak();
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !ui.stop.disabled) stop();
});
ui.text.addEventListener("input", () => {
  if (mode() !== "ws" || !socket) return;
  if (stats.state === "stopped") setState("live", "Listening: type, and each sentence is spoken.");
  sendTyped();
});
// A new engine or voice: what the pane shows was spoken by the old one.
ui.engine.addEventListener("change", () => {
  transcript.clear();
  loadVoices().then(() => mode() === "ws" && socket && openLive());
});
// In live mode a new choice takes effect with a fresh session (config comes before any text).
for (const picker of [ui.voice, ui.rate, ui.speed, ui.pitch]) {
  picker.addEventListener("change", () => {
    if (picker === ui.voice) transcript.clear();
    if (mode() === "ws" && socket) openLive();
  });
}
for (const input of document.querySelectorAll("input[name=mode]")) {
  input.addEventListener("change", () => {
    if (httpAbort) httpAbort.abort();
    player.stop();
    transcript.clear();
    chart.reset();
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
