// The page's Voices panel: the installed voices by engine and language, and, with the admin key,
// the catalogue's voices with a Pull button and a progress bar (POST /v1/audio/voices/pull,
// its server-sent events read as they come). Uses api(), loadEngines() and showError() of app.js.
"use strict";

const voicesUi = {
  panel: $("voices-panel"), installed: $("installed-voices"), adminKey: $("admin-key"), showAvailable: $("show-available"),
  available: $("available-voices"), pullStatus: $("pull-status"), pullProgress: $("pull-progress"),
};

// Like the API key: this tab only.
voicesUi.adminKey.value = sessionStorage.getItem("rtts-admin-key") || "";
voicesUi.adminKey.addEventListener("change", () => sessionStorage.setItem("rtts-admin-key", voicesUi.adminKey.value.trim()));

function element(tag, text, attributes = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  return e;
}

// Engine -> language -> voice ids, from /v1/audio/voices (its "engine:voice" entries).
async function loadInstalledVoices() {
  const response = await api("/v1/audio/voices");
  if (!response.ok) return;
  const grouped = new Map();
  for (const v of (await response.json()).data) {
    if (!v.id.includes(":")) continue; // an OpenAI name mapped onto one of these
    if (!grouped.has(v.engine)) grouped.set(v.engine, new Map());
    const languages = grouped.get(v.engine);
    if (!languages.has(v.language)) languages.set(v.language, []);
    languages.get(v.language).push(v.voice);
  }
  const sections = [];
  for (const [engine, languages] of [...grouped].sort()) {
    // An engine with many voices (eSpeak NG: over a hundred) starts folded.
    const count = [...languages.values()].reduce((n, l) => n + l.length, 0);
    const section = element("details", undefined, { "data-engine": engine });
    section.open = count <= 12;
    section.append(element("summary", engine + ": " + count + (count === 1 ? " voice, " : " voices, ") + languages.size +
                                      (languages.size === 1 ? " language" : " languages")));
    const list = element("ul");
    for (const [language, ids] of [...languages].sort()) list.append(element("li", (language || "?") + ": " + ids.sort().join(", ")));
    section.append(list);
    sections.push(section);
  }
  voicesUi.installed.replaceChildren(...sections);
}

async function showAvailableVoices() {
  voicesUi.pullStatus.textContent = "Reading the catalogue…";
  const response = await api("/v1/audio/voices?available=1");
  if (!response.ok) {
    voicesUi.pullStatus.textContent = "";
    return showError("Could not read the voice catalogue: " + (await errorMessage(response)));
  }
  const rows = (await response.json()).available.map((v) => {
    const row = element("tr", undefined, { "data-voice": v.id });
    row.append(element("td", v.id), element("td", v.engine), element("td", v.language), element("td", v.quality), element("td", (v.bytes / 1e6).toFixed(1) + " MB"));
    const cell = element("td");
    if (v.installed) cell.textContent = "installed";
    else {
      const button = element("button", "Pull", { type: "button", "aria-label": "Pull " + v.id });
      button.addEventListener("click", () => pullVoice(v.id, cell).catch((e) => showError("The pull failed: " + e.message)));
      cell.append(button);
    }
    row.append(cell);
    return row;
  });
  voicesUi.available.tBodies[0].replaceChildren(...rows);
  voicesUi.available.hidden = false;
  voicesUi.pullStatus.textContent = rows.length + " voices in the catalogue.";
}

// Pulls a voice, showing its download; the pickers and the installed list follow at the end.
async function pullVoice(id, cell) {
  const key = voicesUi.adminKey.value.trim();
  if (!key) return showError("Pulling a voice needs the server's admin key: enter it in the Admin key field.");
  showError("");
  for (const b of voicesUi.available.querySelectorAll("button")) b.disabled = true;
  voicesUi.pullProgress.hidden = false;
  voicesUi.pullProgress.value = 0;
  voicesUi.pullStatus.textContent = "Pulling " + id + "…";
  try {
    const response = await fetch("/v1/audio/voices/pull", {
      method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + key }, body: JSON.stringify({ id }),
    });
    if (!response.ok) return showError("The pull was refused: " + (await errorMessage(response)));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "", outcome = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const event = JSON.parse(buffered.slice(0, end).replace(/^data: /, ""));
        buffered = buffered.slice(end + 2);
        if (event.event === "progress") {
          voicesUi.pullProgress.value = event.bytes / event.total;
          voicesUi.pullStatus.textContent = "Pulling " + event.file + ": " + Math.round((100 * event.bytes) / event.total) + " %";
        } else if (event.event === "error") {
          showError(event.message);
        } else if (event.event === "done" || event.event === "failed") {
          outcome = event.event;
        }
      }
    }
    if (outcome !== "done") return (voicesUi.pullStatus.textContent = "The pull of " + id + " failed.");
    voicesUi.pullStatus.textContent = "Installed " + id + ".";
    cell.replaceChildren("installed");
    await loadEngines();
    await loadInstalledVoices();
  } finally {
    voicesUi.pullProgress.hidden = true;
    for (const b of voicesUi.available.querySelectorAll("button")) b.disabled = false;
  }
}

voicesUi.showAvailable.addEventListener("click", () => showAvailableVoices().catch((e) => showError("Could not read the catalogue: " + e.message)));
voicesUi.panel.addEventListener("toggle", () => voicesUi.panel.open && loadInstalledVoices().catch(() => {}));
