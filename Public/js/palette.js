// The hint color: a color input, a hex field, a palette of recently used colors and one of
// colors the person saved on purpose (both kept in localStorage).

const STORAGE_KEY = "tinct.recentColors";
const SAVED_KEY = "tinct.savedColors";
const MAX_RECENT = 12;
const MAX_SAVED = 24;
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
  constructor({ colorInput, hexInput, container, savedContainer, saveButton, onChange }) {
    this.colorInput = colorInput;
    this.hexInput = hexInput;
    this.container = container;
    this.savedContainer = savedContainer;
    this.onChange = onChange;
    this.recent = this.load();
    this.saved = loadColors(SAVED_KEY) ?? [];
    saveButton?.addEventListener("click", () => this.save(this.color));
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
    storeColors(STORAGE_KEY, this.recent);
    this.render();
  }

  /** Adds `hex` to the saved colors (kept until removed). */
  save(hex) {
    this.saved = [...this.saved.filter((c) => c !== hex), hex].slice(-MAX_SAVED);
    storeColors(SAVED_KEY, this.saved);
    this.render();
  }

  /** Removes `hex` from the saved colors. */
  unsave(hex) {
    this.saved = this.saved.filter((c) => c !== hex);
    storeColors(SAVED_KEY, this.saved);
    this.render();
  }

  load() {
    const colors = loadColors(STORAGE_KEY);
    return colors && colors.length > 0 ? colors.slice(0, MAX_RECENT) : [...STARTER];
  }

  render() {
    this.container.replaceChildren(...this.recent.map((color) => this.swatch(color, `Use ${color}`)));
    if (!this.savedContainer) return;
    const saved = this.saved.map((color) => {
      const button = this.swatch(color, `Use saved ${color}; right-click or Delete removes it`);
      button.addEventListener("contextmenu", (event) => {
        event.preventDefault();
        this.unsave(color);
      });
      button.addEventListener("keydown", (event) => {
        if (event.key === "Delete" || event.key === "Backspace") {
          event.preventDefault();
          event.stopPropagation();
          this.unsave(color);
        }
      });
      return button;
    });
    this.savedContainer.replaceChildren(...saved);
    this.savedContainer.hidden = saved.length === 0;
  }

  swatch(color, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "swatch";
    button.title = label;
    button.dataset.color = color;
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-pressed", String(color === this.color));
    button.style.backgroundColor = color;
    button.addEventListener("click", () => this.set(color));
    return button;
  }
}

/** Colors stored under `key`, normalized; null when none or damaged. */
function loadColors(key) {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? "null");
    if (Array.isArray(stored)) return stored.map((c) => normalizeHex(String(c))).filter(Boolean);
  } catch {
    // Ignore a damaged entry.
  }
  return null;
}

function storeColors(key, colors) {
  try {
    localStorage.setItem(key, JSON.stringify(colors));
  } catch {
    // Storage may be unavailable (private mode); the palette still works for this page.
  }
}
