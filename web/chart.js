// The stream chart: audio received versus audio played over time, the gap between them being how
// far the stream runs ahead of the listener, and a dashed line where the first audio arrived.
// Kept light for phones: a point every 100 ms at most (halved in density past 600 points), one
// redraw per point, drawn with the platform's canvas.
"use strict";

class StreamChart {
  constructor(canvas, summary) {
    this.canvas = canvas;
    this.summary = summary; // a text element saying in words what the chart shows
    this.reset();
    // Colours come from the style sheet, which has one set per colour scheme.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.draw());
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  reset() {
    this.points = [];     // {t, received, played}: seconds of wall time, of audio
    this.every = 0.1;     // seconds between points
    this.firstAudio = 0;  // seconds of wall time when the first audio arrived, 0 before
    this.firstAudioMs = 0; // the first-audio time shown (live: the server's, from the sentence's end)
    this.maxLead = 0;
    this.top = 0;         // the most audio received at any point (a Stop drops what was not heard)
    this.behind = 0;      // points where more was played than received (must stay 0)
    this.draw();
    this.summary.textContent = "No stream yet.";
  }

  markFirstAudio(seconds) { this.firstAudio = seconds; }

  // t: seconds since the stream was asked for; received/played: seconds of audio.
  sample(t, received, played, force) {
    const last = this.points[this.points.length - 1];
    if (!force && last && t - last.t < this.every) return;
    this.points.push({ t, received, played });
    if (played > received + 0.001) this.behind += 1;
    this.maxLead = Math.max(this.maxLead, received - played);
    this.top = Math.max(this.top, received);
    if (this.points.length > 600) {
      this.points = this.points.filter((_, i) => i % 2 === 0);
      this.every *= 2;
    }
    this.summary.textContent = "Received " + received.toFixed(1) + " s of audio, played " + played.toFixed(1) +
                               " s: the stream is " + Math.max(0, received - played).toFixed(1) + " s ahead of the listener" +
                               (this.firstAudioMs ? "; first audio after " + this.firstAudioMs.toFixed(1) + " ms." : ".");
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(canvas.clientWidth * ratio), height = Math.round(canvas.clientHeight * ratio);
    if (!width || !height) return;
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    const g = canvas.getContext("2d");
    const style = getComputedStyle(canvas);
    const colour = (name) => style.getPropertyValue(name).trim();
    g.clearRect(0, 0, width, height);
    const pad = 6 * ratio;
    const last = this.points[this.points.length - 1] || { t: 0 };
    const spanT = Math.max(last.t, 5), spanA = Math.max(this.top, 1);
    const x = (t) => pad + (t / spanT) * (width - 2 * pad);
    const y = (a) => height - pad - (a / spanA) * (height - 2 * pad);

    g.strokeStyle = colour("--chart-axis");
    g.lineWidth = ratio;
    g.beginPath();
    g.moveTo(pad, pad); g.lineTo(pad, height - pad); g.lineTo(width - pad, height - pad);
    g.stroke();
    if (!this.points.length) return;

    // The lead: the area between the two lines.
    g.fillStyle = colour("--chart-lead");
    g.beginPath();
    this.points.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p.received)) : g.moveTo(x(p.t), y(p.received))));
    for (let i = this.points.length - 1; i >= 0; i--) g.lineTo(x(this.points[i].t), y(this.points[i].played));
    g.closePath();
    g.fill();

    g.lineWidth = 2 * ratio;
    for (const [key, name] of [["received", "--chart-received"], ["played", "--chart-played"]]) {
      g.strokeStyle = colour(name);
      g.beginPath();
      this.points.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p[key])) : g.moveTo(x(p.t), y(p[key]))));
      g.stroke();
    }

    if (this.firstAudio) {
      g.strokeStyle = colour("--chart-first");
      g.setLineDash([4 * ratio, 3 * ratio]);
      g.beginPath();
      g.moveTo(x(this.firstAudio), pad); g.lineTo(x(this.firstAudio), height - pad);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = colour("--chart-first");
      g.font = 12 * ratio + "px system-ui, sans-serif";
      const label = "first audio" + (this.firstAudioMs ? " " + this.firstAudioMs.toFixed(1) + " ms" : "");
      g.fillText(label, x(this.firstAudio) + 4 * ratio, pad + 12 * ratio);
    }
  }
}
