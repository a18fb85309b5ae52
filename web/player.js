// Playback for the rtts page: s16le mono PCM chunks scheduled back to back through Web Audio,
// with the bookkeeping the transcript and the chart need: which sample plays now, how much was
// received, and a clock that restarts where the server restarts its word times (a live cancel).
"use strict";

class Player {
  constructor(onChange) {
    this.context = null;
    this.sources = new Set();
    this.onChange = onChange || (() => {});
    this.start(0);
  }

  // The audio output, opened on the user's click (browsers allow sound only after one) and
  // before the request, so that opening it (slow on some systems) does not delay first audio.
  open() {
    if (!this.context) this.context = new AudioContext();
    if (this.context.state === "suspended") this.context.resume();
  }

  // A new stream at sampleRate: forgets the previous one (stop it first if it may still play).
  start(sampleRate) {
    if (sampleRate) this.open();
    this.sampleRate = sampleRate;
    this.nextTime = 0;
    this.recorded = [];  // Int16Array pieces of this stream, for the WAV download
    this.carry = null;   // a byte left over when a chunk ends mid-sample
    this.schedule = [];  // {sample, length, time}: where each chunk sits in the stream and on the clock
    this.total = 0;      // samples kept so far (received, less what a stop threw away)
    this.clockBase = 0;  // the sample the server's word times count from
  }

  // The server's word times restart here (the stream WebSocket after a cancel).
  restartClock() { this.clockBase = this.total; }

  // Samples of this stream heard so far. A chunk that has not started yet adds nothing, so a gap
  // between chunks (the stream ran dry) shows as a flat line, not as progress.
  playedSamples() {
    if (!this.context || !this.schedule.length) return 0;
    const now = this.context.currentTime;
    let low = 0, high = this.schedule.length - 1, found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.schedule[mid].time <= now) { found = mid; low = mid + 1; } else high = mid - 1;
    }
    if (found < 0) return this.schedule[0].sample;
    const piece = this.schedule[found];
    return piece.sample + Math.min(piece.length, Math.floor((now - piece.time) * this.sampleRate));
  }

  // Seconds on the server's word clock playing now, or -1 before anything of it plays.
  position() {
    if (!this.context || !this.schedule.length || this.context.currentTime < this.schedule[0].time) return -1;
    const played = this.playedSamples() - this.clockBase;
    return played < 0 ? -1 : played / this.sampleRate;
  }

  receivedSeconds() { return this.sampleRate ? this.total / this.sampleRate : 0; }
  playedSeconds() { return this.sampleRate ? this.playedSamples() / this.sampleRate : 0; }
  playing() { return this.sources.size > 0; }

  // bytes: Uint8Array of s16le mono at this.sampleRate. Returns the peak level of the chunk.
  push(bytes) {
    if (this.carry !== null) {
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
    if (!bytes.length) return 0;
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
    this.schedule.push({ sample: this.total, length: pcm.length, time: this.nextTime });
    this.total += pcm.length;
    this.nextTime += buffer.duration;
    this.sources.add(source);
    source.onended = () => {
      this.sources.delete(source);
      this.onChange();
    };
    this.onChange();
    return peak;
  }

  // Silences everything scheduled, at once. What was received but not heard is forgotten, so
  // the stream's next audio follows what was heard (for the chart and the word clock).
  stop() {
    const heard = this.playedSamples();
    for (const s of this.sources) {
      try { s.stop(); } catch (e) { /* already ended */ }
    }
    this.sources.clear();
    this.schedule = this.schedule.filter((piece) => piece.sample < heard);
    if (this.schedule.length) {
      const last = this.schedule[this.schedule.length - 1];
      last.length = heard - last.sample;
    }
    this.total = heard;
    this.nextTime = 0;
    this.onChange();
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
