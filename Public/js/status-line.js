// The editor's status line: the last sentence it told the person, and what that sentence is
// about, so that a later event can tell whether it is still showing (the connection's state
// and the Colorize button's progress live elsewhere; the text is only what is shown).

/** What the status line is currently about, when a later event may replace it. */
export const StatusTopic = Object.freeze({
  /** Anything else: nothing replaces it on its own. */
  other: "other",
  /** The live socket is down (connection.js replaces it once it is back). */
  connectionLost: "connection-lost",
  /** The Colorize button's request runs (the result pane replaces it when it is shown). */
  colorizing: "colorizing",
});

export class StatusLine {
  /** @param {HTMLElement | null} element where the sentence is shown (a page without one shows nothing) */
  constructor(element) {
    this.element = element;
    this.topic = StatusTopic.other;
  }

  /** Shows `text`, written as text, never as HTML. */
  show(text, topic = StatusTopic.other) {
    this.topic = topic;
    if (this.element) this.element.textContent = text;
  }

  /** Shows `text` in place of the current sentence only while that one is about `topic`. */
  replace(topic, text) {
    if (this.topic === topic) this.show(text);
  }
}
