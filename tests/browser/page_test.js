// Browser test of the page at /: Debian's Chromium driven by playwright-core, against a real
// rtts started on a free port. Usage: node page_test.js RTTS_BINARY OUTPUT_DIR
"use strict";
const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const crypto = require("crypto");
const os = require("os");
const fs = require("fs");
const path = require("path");

const [binary, outputDir] = process.argv.slice(2);
fs.mkdirSync(outputDir, { recursive: true });

function startServer(extraArgs = []) {
  return new Promise((resolve, reject) => {
    const server = spawn(binary, ["serve", "--port", "0", "--workers", "2", "--max-text", "2000", ...extraArgs],
                         { stdio: ["ignore", "pipe", "inherit"] });
    let line = "";
    server.stdout.on("data", (chunk) => {
      line += chunk;
      const m = line.match(/listening on (http:\/\/[^ ]+)/);
      if (m) resolve({ server, url: m[1] });
    });
    server.on("exit", (code) => reject(new Error("rtts exited with " + code)));
    setTimeout(() => reject(new Error("rtts did not start")), 30000);
  });
}

function check(condition, message) {
  if (!condition) throw new Error("check failed: " + message);
  console.log("ok - " + message);
}

async function waitFor(page, predicate, what, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: 20000 });
  } catch (e) {
    throw new Error("timed out waiting for " + what + "; stats: " + JSON.stringify(await page.evaluate(() => window.rttsStats)));
  }
}

async function main() {
  const { server, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    // Chrome logs every non-2xx response; the one 413 this test provokes on purpose is expected.
    page.on("console", (m) => m.type() === "error" && !/status of 413/.test(m.text()) && problems.push("console error: " + m.text()));
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    const response = await page.goto(url + "/");
    check(response.status() === 200, "the page loads");
    check((response.headers()["content-security-policy"] || "").includes("default-src 'self'"), "strict Content-Security-Policy");

    // Pickers filled from the API.
    await waitFor(page, () => document.getElementById("voice").options.length > 50, "the voice picker");
    check(await page.$eval("#engine", (s) => [...s.options].some((o) => o.value === "espeak")), "engine picker lists espeak");
    check((await page.$eval("#voice", (s) => s.value)) === "en-us", "default voice is American English");

    // Screen readers: every control has a name, the status line is a polite live region.
    const unnamed = await page.evaluate(accessibleNameProblems);
    check(unnamed.length === 0, "every control is labelled" + (unnamed.length ? ": missing on " + unnamed.join(", ") : ""));
    check(await page.$eval("#status", (e) => e.getAttribute("role") === "status" && e.getAttribute("aria-live") === "polite"),
          "the status line is a polite live region");
    check(await page.$eval("#error", (e) => e.getAttribute("role") === "alert"), "errors are announced (role=alert)");

    // HTTP mode with a non-default voice.
    await page.selectOption("#voice", "de");
    // Long enough (about a minute of speech) that the body arrives in many reads.
    await page.fill("#text", "Guten Tag. Das ist ein Test der Wiedergabe, während der Server noch spricht. ".repeat(12));
    await page.click("#speak");
    await waitFor(page, () => document.getElementById("status").textContent !== "Ready.", "the status line to change");
    check(/Speaking|Done/.test(await page.textContent("#status")), "the status line says what happens: " + (await page.textContent("#status")));
    await waitFor(page, () => window.rttsStats.state === "done", "HTTP playback to finish");
    let stats = await page.evaluate(() => window.rttsStats);
    check(stats.samples > 30 * stats.sampleRate, "half a minute of audio reached Web Audio (" + stats.samples + " samples)");
    check(stats.maxAbs > 0.05, "the audio is not silence (peak " + stats.maxAbs.toFixed(3) + ")");
    check(stats.chunks > 1, "audio arrived in " + stats.chunks + " pieces, played as they came");
    check(stats.firstAudioMs > 0, "first-audio time measured");
    check(/ms$/.test(await page.textContent("#first-audio")), "first-audio time shown: " + (await page.textContent("#first-audio")));
    check(!(await page.isHidden("#download")), "the last utterance can be downloaded as WAV");
    check(stats.words >= 12 * 13, "word timings arrived with the audio (" + stats.words + " words)");
    check(stats.wordsLate === 0, "every word arrived before the audio holding its start");
    // The words light up in the text as they are heard, in order, each while its audio plays.
    await waitFor(page, () => window.rttsStats.highlighted.length >= 3, "words highlighted while playing");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.highlighted.slice(0, 3).map((h) => h.text).join(" ") === "Guten Tag Das",
          "highlighted in order: " + stats.highlighted.slice(0, 5).map((h) => h.text).join(" "));
    const germanText = await page.inputValue("#text");
    check((await page.textContent("#transcript")) === germanText, "the transcript shows the text being spoken");
    await checkHighlights(page, "HTTP mode");
    // The chart: the stream runs ahead of the listener (the whole body arrived while the audio
    // still plays), played never passes received, and the first audio is marked.
    await waitFor(page, () => window.rttsStats.chart && window.rttsStats.chart.points >= 10, "the stream chart");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.chart.maxLead > 0, "the chart shows the stream ahead of the listener by " + stats.chart.maxLead.toFixed(1) + " s");
    check(stats.chart.behind === 0, "played audio never passes received audio on the chart");
    check(Math.abs(stats.chart.firstAudio * 1000 - stats.firstAudioMs) < 1, "the first audio time is marked on the chart");
    check((await chartPixels(page, "--chart-received")) > 100 && (await chartPixels(page, "--chart-played")) > 20,
          "both lines are drawn on the canvas");
    check(/ahead of the listener/.test(await page.textContent("#chart-summary")), "the chart says in words what it shows: " +
          (await page.textContent("#chart-summary")));
    await page.screenshot({ path: path.join(outputDir, "http-mode.png"), fullPage: true });
    await page.locator(".chart").screenshot({ path: path.join(outputDir, "chart.png") });

    // Keyboard: Stop is reachable with Tab from Speak while the audio plays (after the stream
    // ended) and works with Enter.
    check(await page.evaluate(() => window.rttsStats.activeSources > 0), "the audio still plays after the stream ended");
    await page.focus("#speak");
    await page.keyboard.press("Tab");
    check((await page.evaluate(() => document.activeElement.id)) === "stop", "keyboard reaches Stop from Speak while audio plays");
    await page.keyboard.press("Enter");
    await waitFor(page, () => window.rttsStats.activeSources === 0 && window.rttsStats.state === "stopped", "Stop by keyboard");
    check(true, "Enter on Stop silenced playback");

    // A voice change clears the transcript: its text was spoken by the other voice.
    await page.selectOption("#voice", "en-us");
    check(await page.isHidden("#transcript"), "a new voice clears the transcript");

    // A request the server refuses (over its --max-text) shows the server's message; Ctrl+Enter
    // in the text speaks.
    await page.fill("#text", "word ".repeat(500));
    await page.focus("#text");
    await page.keyboard.press("Control+Enter");
    await waitFor(page, () => !document.getElementById("error").hidden, "an error message");
    check((await page.textContent("#error")).includes("limit is 2000"), "server error shown: " + (await page.textContent("#error")));
    await checkContrast(page, "with an error shown");

    // Live mode: the pane starts empty, then shows the sentences as they are sent, with the word
    // being heard marked; Escape silences at once.
    await page.fill("#text", "");
    await page.check("input[value=ws]");
    await waitFor(page, () => window.rttsStats.state === "live", "the live session");
    check((await page.textContent("#transcript")) === "" && (await page.isHidden("#transcript")), "switching modes clears the transcript");
    const sentence = "This sentence is typed live. It keeps going for a while so that there is speech to interrupt, " +
                     "and then some more words follow it. ";
    await page.type("#text", sentence + sentence + sentence, { delay: 2 });
    await waitFor(page, () => window.rttsStats.samples > 0 && window.rttsStats.activeSources > 0, "live audio");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.maxAbs > 0.05, "live audio is not silence");
    await waitFor(page, () => window.rttsStats.highlighted.length >= 3, "words highlighted in live mode");
    const liveText = await page.textContent("#transcript");
    check(liveText === sentence + sentence + sentence, "the live transcript shows the sentences sent: " + JSON.stringify(liveText.slice(0, 40)));
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.highlighted.slice(0, 3).map((h) => h.text).join(" ") === "This sentence is",
          "live words highlighted in order: " + stats.highlighted.slice(0, 5).map((h) => h.text).join(" "));
    await checkHighlights(page, "live mode");
    check(/^\d+\.\d ms$/.test(await page.textContent("#first-audio")), "live first audio shown (the server's, from the sentence's end): " +
          (await page.textContent("#first-audio")));
    check(stats.chart.firstAudio > 0 && stats.chart.startsAt === 0 && stats.chart.behind === 0,
          "the live chart starts from nothing received, marks the first audio, and played never passes received");
    await checkContrast(page, "in live mode");
    await page.screenshot({ path: path.join(outputDir, "live-mode.png"), fullPage: true });
    await page.keyboard.press("Escape");
    await waitFor(page, () => window.rttsStats.cancelled && window.rttsStats.activeSources === 0, "Stop to take effect");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.state === "stopped" && stats.activeSources === 0, "Escape silenced playback and the server confirmed the cancel");
    check((await page.$("#transcript mark")) === null, "after the cancel no word of the dropped speech is marked");
    // After a cancel the server's word times start again: the next words are marked as heard.
    const before = stats.highlighted.length;
    await page.type("#text", "Another sentence after the stop. ", { delay: 2 });
    await waitFor(page, (n) => window.rttsStats.highlighted.length >= n + 2, "words highlighted after the cancel", before);
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.highlighted.slice(before, before + 2).map((h) => h.text).join(" ") === "Another sentence",
          "after a cancel the new words are marked: " + stats.highlighted.slice(before).map((h) => h.text).join(" "));
    await checkHighlights(page, "live mode after a cancel", before);
    await page.keyboard.press("Escape");
    await waitFor(page, () => window.rttsStats.activeSources === 0, "the second Stop");

    // Phone-sized screen: nothing wider than the viewport.
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    check(!overflow, "fits a phone-sized screen");
    await page.screenshot({ path: path.join(outputDir, "phone.png"), fullPage: true });

    // Keyboard: the Speak button is reachable with Tab.
    await page.focus("#text");
    await page.keyboard.press("Tab");
    check((await page.evaluate(() => document.activeElement.id)) === "speak", "keyboard reaches Speak after the text box");

    check(problems.length === 0, "no console errors" + (problems.length ? ": " + problems.join("; ") : ""));
    await checkApiKey(browser);
    await checkVoicePull(browser);
    console.log("all checks passed");
  } finally {
    await browser.close();
    server.kill("SIGTERM");
  }
}

// Each highlighted word: the text at its offset in the pane is the word the server named; it was
// marked once its own audio had started, never before; and words light up in the order they
// are spoken (offsets and audio times both rising; from `from` on, since a cancel restarts the
// times). No timing bound: a slow frame may mark a word late, never a wrong one.
async function checkHighlights(page, where, from = 0) {
  const { highlighted, pane } = await page.evaluate(() => ({ highlighted: window.rttsStats.highlighted,
                                                               pane: document.getElementById("transcript").textContent }));
  const wrong = highlighted.filter((h, i) => pane.slice(h.offset, h.offset + h.text.length) !== h.text || h.text !== h.word ||
                                             h.at < h.start - 0.002 ||
                                             (i > from && h.offset > highlighted[i - 1].offset && h.start < highlighted[i - 1].start));
  check(highlighted.length > 0 && wrong.length === 0, where + ": each of " + highlighted.length +
        " highlighted words is the word in the pane whose audio was playing" + (wrong.length ? "; wrong: " + JSON.stringify(wrong.slice(0, 3)) : ""));
}

// Controls without an accessible name (label, aria-label, aria-labelledby or their own text).
function accessibleNameProblems() {
  const named = (e) => {
    const by = e.getAttribute("aria-labelledby");
    if (by && by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || "").join("").trim()) return true;
    if ((e.getAttribute("aria-label") || "").trim()) return true;
    if (e.labels && [...e.labels].some((l) => l.textContent.trim())) return true;
    return /^(BUTTON|A)$/.test(e.tagName) && e.textContent.trim() !== "";
  };
  return [...document.querySelectorAll("input, select, textarea, button, a, canvas, [role=region]")]
    .filter((e) => !named(e)).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""));
}

// Every visible text against its background, in the light and the dark colour scheme: WCAG AA
// (4.5:1, 3:1 for large text). Disabled controls are exempt, as WCAG says.
async function checkContrast(page, when) {
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const problems = await page.evaluate(() => {
      const parse = (c) => {
        const v = c.match(/[\d.]+/g).map(Number);
        return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
      };
      const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
                                      b: top.b * top.a + under.b * (1 - top.a), a: 1 });
      const background = (e) => {
        const layers = [];
        for (; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.a > 0) layers.push(c);
          if (c.a === 1) break;
        }
        return layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
      };
      const luminance = ({ r, g, b }) => {
        const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const found = [];
      for (const e of document.querySelectorAll("body *")) {
        if (!e.checkVisibility({ opacityProperty: true }) || e.closest(":disabled") || e.tagName === "OPTION") continue;
        if (![...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
        const style = getComputedStyle(e);
        let opacity = 1;
        for (let a = e; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
        const bg = background(e);
        const fg = over({ ...parse(style.color), a: parse(style.color).a * opacity }, bg);
        const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < needed) found.push((e.id || e.tagName.toLowerCase()) + " " + ratio.toFixed(2) + ":1");
      }
      return found;
    });
    check(problems.length === 0, "text contrast passes WCAG AA in the " + scheme + " scheme " + when +
          (problems.length ? ": " + problems.join(", ") : ""));
  }
  await page.emulateMedia({ colorScheme: "light" });
}

// Pixels of the chart canvas drawn in the colour named by a CSS variable.
async function chartPixels(page, variable) {
  return page.evaluate((name) => {
    const canvas = document.getElementById("chart");
    const probe = document.createElement("canvas").getContext("2d");
    probe.fillStyle = getComputedStyle(canvas).getPropertyValue(name).trim();
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) < 24 && Math.abs(data[i + 1] - g) < 24 && Math.abs(data[i + 2] - b) < 24 && data[i + 3] > 200) count++;
    }
    return count;
  }, variable);
}

// A server with an API key: the page says so, and once the key is typed in, both modes work
// (HTTP with the Authorization header, live with the key as a WebSocket subprotocol).
async function checkApiKey(browser) {
  const { server, url } = await startServer(["--api-key", "page-key-1"]);
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems = [];
    page.on("console", (m) => m.type() === "error" && !/status of 401/.test(m.text()) && problems.push("console error: " + m.text()));
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    await page.goto(url + "/");
    await waitFor(page, () => !document.getElementById("error").hidden, "the page to ask for a key");
    check((await page.textContent("#error")).includes("API key"), "a keyed server asks for the key: " + (await page.textContent("#error")));
    check(await page.$eval("#api-key", (i) => i.type === "password" && i.labels.length > 0), "the key field is a labelled password field");
    await page.fill("#api-key", "page-key-1");
    await page.dispatchEvent("#api-key", "change");
    await waitFor(page, () => document.getElementById("voice").options.length > 50, "the voice picker, with the key");
    check(await page.isHidden("#error"), "the error is gone once the key is set");
    check(await page.evaluate(() => sessionStorage.getItem("rtts-api-key") === "page-key-1"), "the key is kept for this tab only");
    await page.fill("#text", "The key opens the door.");
    await page.click("#speak");
    await waitFor(page, () => window.rttsStats.state === "done", "HTTP playback with the key");
    check((await page.evaluate(() => window.rttsStats.samples)) > 0, "HTTP mode speaks with the key");
    await page.fill("#text", "");
    await page.check("input[value=ws]");
    await waitFor(page, () => window.rttsStats.state === "live", "the live session with the key");
    await page.type("#text", "Live speech with a key. ", { delay: 2 });
    await waitFor(page, () => window.rttsStats.samples > 0, "live audio with the key");
    check(true, "live mode speaks with the key (subprotocol)");
    check(problems.length === 0, "no console errors with a key" + (problems.length ? ": " + problems.join("; ") : ""));
    await page.close();
  } finally {
    server.kill("SIGTERM");
  }
}

// A catalogue of our own (a local mirror: voices.json with the files beside it), holding a
// generated Piper voice: the page lists it, pulls it with the admin key and speaks with it.
function makeMirror() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rtts-page-mirror-"));
  execFileSync("/usr/bin/python3", [path.join(__dirname, "..", "voices", "make_test_voices.py"), path.join(root, "generated")]);
  const id = "en_US-duo-medium", dir = "en/en_US/duo/medium/";
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  const files = {};
  for (const ext of [".onnx", ".onnx.json"]) {
    const target = path.join(root, dir, id + ext);
    fs.copyFileSync(path.join(root, "generated", "voices", id + ext), target);
    const bytes = fs.readFileSync(target);
    files[dir + id + ext] = { size_bytes: bytes.length, md5_digest: crypto.createHash("md5").update(bytes).digest("hex") };
  }
  fs.writeFileSync(path.join(root, "voices.json"),
                   JSON.stringify({ [id]: { key: id, language: { code: "en_US" }, quality: "medium", num_speakers: 2, files } }));
  return root;
}

async function checkVoicePull(browser) {
  const mirror = makeMirror();
  const voices = fs.mkdtempSync(path.join(os.tmpdir(), "rtts-page-voices-"));
  const { server, url } = await startServer(["--engines", "espeak,piper", "--voices-dir", voices, "--cache-dir", path.join(voices, ".cache"),
                                              "--catalog-url", path.join(mirror, "voices.json"), "--admin-key", "page-admin"]);
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    const problems = [];
    page.on("console", (m) => m.type() === "error" && problems.push("console error: " + m.text()));
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    await page.goto(url + "/");
    await waitFor(page, () => document.getElementById("voice").options.length > 50, "the voice picker");
    await page.click("#voices-panel summary");
    await waitFor(page, () => document.querySelector("#installed-voices details[data-engine=espeak]"), "the installed voices");
    check(!(await page.$("#installed-voices details[data-engine=piper]")), "no piper voice installed yet");
    check(await page.$eval("#installed-voices details[data-engine=espeak]", (d) => !d.open && /voices, \d+ languages/.test(d.textContent)),
          "eSpeak NG's hundred voices start folded, counted by voices and languages");
    await page.fill("#admin-key", "page-admin");
    await page.dispatchEvent("#admin-key", "change");
    await page.click("#show-available");
    await waitFor(page, () => document.querySelector("#available-voices tr[data-voice='en_US-duo-medium'] button"), "the catalogue's voices");
    check(await page.$eval("#available-voices", (t) => !t.hidden), "the catalogue is shown with a Pull button per voice");
    await page.click("#available-voices tr[data-voice='en_US-duo-medium'] button");
    await waitFor(page, () => /Installed en_US-duo-medium/.test(document.getElementById("pull-status").textContent), "the pull to finish");
    check((await page.textContent("#available-voices tr[data-voice='en_US-duo-medium']")).includes("installed"), "the row says installed");
    await waitFor(page, () => document.querySelector("#installed-voices details[data-engine=piper]"), "the pulled voice in the list");
    check((await page.textContent("#installed-voices details[data-engine=piper]")).includes("en_US-duo-medium/alice"),
          "the installed list shows the pulled voice under piper, en-us");
    await page.selectOption("#engine", "piper");
    await page.dispatchEvent("#engine", "change");
    await waitFor(page, () => [...document.getElementById("voice").options].some((o) => o.value === "en_US-duo-medium/alice"), "the new voice in the picker");
    await page.selectOption("#voice", "en_US-duo-medium/alice");
    await page.fill("#text", "A voice pulled from the page.");
    await page.click("#speak");
    await waitFor(page, () => window.rttsStats.state === "done", "speech with the pulled voice");
    const stats = await page.evaluate(() => window.rttsStats);
    check(stats.samples > 0.5 * stats.sampleRate && stats.maxAbs > 0.01, "the pulled voice speaks (" + stats.samples + " samples)");
    await page.screenshot({ path: path.join(outputDir, "voices-panel.png"), fullPage: true });
    check(problems.length === 0, "no console errors while pulling" + (problems.length ? ": " + problems.join("; ") : ""));
    await page.close();
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(mirror, { recursive: true, force: true });
    fs.rmSync(voices, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
