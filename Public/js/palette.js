// The hint color: a color input, a hex field and a palette of recently used colors.

const STORAGE_KEY = "tinct.recentColors";
const MAX_RECENT = 12;
const STARTER = ["#e4572e", "#f3a712", "#29335c", "#669bbc", "#a8c686", "#f7d6bf", "#8e5572", "#3f7d20"];

/** `#rrggbb` (lowercase) or null. */
export function normalizeHex(text) {
  const t = text.trim().toLowerCase();
  const withHash = t.startsWith("#") ? t : `#${t}`;
  if (/^#[0-9a-f]{6}$/.test(withHash)) return withHash;
  if (/^#[0-9a-f]{3}$/.test(withHash)) return `#${[...withHash.slice(1)].map((c) => c + c).join("")}`;
  return null;
}

export class Palette {
  constructor({ colorInput, hexInput, container, onChange }) {
    this.colorInput = colorInput;
    this.hexInput = hexInput;
    this.container = container;
    this.onChange = onChange;
    this.recent = this.load();
    colorInput.addEventListener("input", () => this.set(colorInput.value, { fromPicker: true }));
    hexInput.addEventListener("change", () => {
      const hex = normalizeHex(hexInput.value);
      if (hex) this.set(hex);
      else hexInput.value = this.color;
    });
    hexInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") hexInput.dispatchEvent(new Event("change"));
    });
    this.color = normalizeHex(colorInput.value) ?? STARTER[0];
    this.render();
  }

  /** Makes `hex` the current color. */
  set(hex, { fromPicker = false } = {}) {
    const color = normalizeHex(hex);
    if (!color) return;
    this.color = color;
    if (!fromPicker) this.colorInput.value = color;
    this.hexInput.value = color;
    this.render();
    this.onChange?.(color);
  }

  /** Remembers `hex` as used (moves it to the front of the palette). */
  remember(hex) {
    this.recent = [hex, ...this.recent.filter((c) => c !== hex)].slice(0, MAX_RECENT);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.recent));
    } catch {
      // Storage may be unavailable (private mode); the palette still works for this page.
    }
    this.render();
  }

  load() {
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
      if (Array.isArray(stored)) {
        const colors = stored.map((c) => normalizeHex(String(c))).filter(Boolean);
        if (colors.length > 0) return colors.slice(0, MAX_RECENT);
      }
    } catch {
      // Ignore a damaged entry.
    }
    return [...STARTER];
  }

  render() {
    const buttons = this.recent.map((color) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "swatch";
      button.title = color;
      button.setAttribute("aria-label", `Use ${color}`);
      button.setAttribute("aria-pressed", String(color === this.color));
      button.style.backgroundColor = color;
      button.addEventListener("click", () => this.set(color));
      return button;
    });
    this.container.replaceChildren(...buttons);
  }
}
