// The transcript pane: the text being spoken in the current mode, with the word being heard
// marked. Word events carry offsets into the text the page sent (in UTF-16 units, as the page
// asks with offset_units=utf16, which is how JavaScript strings count) and times on the
// player's word clock, so the mark follows the audio, not the network.
"use strict";

class Transcript {
  constructor(pane, onHighlight) {
    this.pane = pane;
    this.onHighlight = onHighlight || (() => {});
    this.clear();
  }

  // Nothing shown: a new mode or voice, or nothing spoken yet.
  clear() { this.show(""); }

  // The whole text of one utterance (HTTP mode) or a fresh live session's first text.
  show(text) {
    this.text = text;
    this.words = [];
    this.current = -1;
    this.render();
  }

  // Live mode: more text was sent; offsets keep counting from the session's first text.
  append(text) {
    if (!text) return;
    this.text += text;
    this.render();
  }

  addWord(event) { this.words.push(event); }

  // The server restarted its word times (a cancel): the old words will not be heard.
  restartTimes() {
    this.words = [];
    this.current = -1;
    this.render();
  }

  // Called every frame with the player's position: marks the word whose time span holds it.
  // Words come in time order, so the last one starting at or before the position is the one.
  follow(position) {
    let low = 0, high = this.words.length - 1, found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.words[mid].start <= position) { found = mid; low = mid + 1; } else high = mid - 1;
    }
    // A pause after a word keeps it marked briefly; a long one clears nothing either, the
    // last word heard stays marked until the next starts.
    if (found < 0 || found === this.current) return;
    this.current = found;
    this.render();
    const word = this.words[found];
    this.onHighlight({ text: this.text.slice(word.offset, word.offset + word.length), word: word.text,
                       offset: word.offset, start: word.start, end: word.end, at: position });
  }

  render() {
    this.pane.hidden = !this.text;
    const word = this.current >= 0 ? this.words[this.current] : null;
    if (!word) {
      this.pane.replaceChildren(document.createTextNode(this.text));
      return;
    }
    const mark = document.createElement("mark");
    mark.textContent = this.text.slice(word.offset, word.offset + word.length);
    this.pane.replaceChildren(document.createTextNode(this.text.slice(0, word.offset)), mark,
                              document.createTextNode(this.text.slice(word.offset + word.length)));
    mark.scrollIntoView({ block: "nearest" });
  }
}
