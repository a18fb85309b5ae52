// Browser test of the page at /: Debian's Chromium driven by playwright-core, against a real
// rtts started on a free port. Usage: node page_test.js RTTS_BINARY OUTPUT_DIR
"use strict";
const { chromium } = require("playwright-core");
const { spawn } = require("child_process");
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

    // HTTP mode with a non-default voice.
    await page.selectOption("#voice", "de");
    // Long enough (about a minute of speech) that the body arrives in many reads.
    await page.fill("#text", "Guten Tag. Das ist ein Test der Wiedergabe, während der Server noch spricht. ".repeat(12));
    await page.click("#speak");
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
    // The words light up in the text as they are heard, in order.
    await waitFor(page, () => window.rttsStats.highlighted.length >= 3, "words highlighted while playing");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.highlighted.slice(0, 3).join(" ") === "Guten Tag Das", "highlighted in order: " + stats.highlighted.slice(0, 5).join(" "));
    check((await page.textContent("#karaoke mark")).length > 0, "the word being spoken is marked in the text");
    await page.screenshot({ path: path.join(outputDir, "http-mode.png"), fullPage: true });

    // A request the server refuses (over its --max-text) shows the server's message.
    await page.fill("#text", "word ".repeat(500));
    await page.click("#speak");
    await waitFor(page, () => !document.getElementById("error").hidden, "an error message");
    check((await page.textContent("#error")).includes("limit is 2000"), "server error shown: " + (await page.textContent("#error")));

    // Live mode: typing is spoken sentence by sentence; Stop silences at once.
    await page.fill("#text", "");
    await page.check("input[value=ws]");
    await waitFor(page, () => window.rttsStats.state === "live", "the live session");
    const sentence = "This sentence is typed live. It keeps going for a while so that there is speech to interrupt, " +
                     "and then some more words follow it. ";
    await page.type("#text", sentence + sentence + sentence, { delay: 2 });
    await waitFor(page, () => window.rttsStats.samples > 0 && window.rttsStats.activeSources > 0, "live audio");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.maxAbs > 0.05, "live audio is not silence");
    await page.click("#stop");
    await waitFor(page, () => window.rttsStats.cancelled && window.rttsStats.activeSources === 0, "Stop to take effect");
    stats = await page.evaluate(() => window.rttsStats);
    check(stats.state === "stopped" && stats.activeSources === 0, "Stop silenced playback and the server confirmed the cancel");
    await page.screenshot({ path: path.join(outputDir, "live-mode.png"), fullPage: true });

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
    console.log("all checks passed");
  } finally {
    await browser.close();
    server.kill("SIGTERM");
  }
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

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
