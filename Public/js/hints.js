// Color hints: points in picture pixels with a color and a radius, drawn on the overlay.

/** Draws `hints` on the overlay canvas; `selected` is the index of the highlighted hint. */
export function renderHints(context, hints, { pixelsPerCSSPixel, selected = -1 }) {
  for (const [index, hint] of hints.entries()) {
    const visible = Math.max(hint.r, 6 * pixelsPerCSSPixel);
    context.beginPath();
    context.arc(hint.x, hint.y, visible, 0, Math.PI * 2);
    context.fillStyle = hint.color;
    context.fill();
    context.lineWidth = 2 * pixelsPerCSSPixel;
    context.strokeStyle = "#ffffff";
    context.stroke();
    context.beginPath();
    context.arc(hint.x, hint.y, visible + 1.5 * pixelsPerCSSPixel, 0, Math.PI * 2);
    context.lineWidth = (index === selected ? 2.5 : 1) * pixelsPerCSSPixel;
    context.strokeStyle = index === selected ? "#2563eb" : "#000000";
    context.stroke();
  }
}

/** Index of the topmost hint within reach of `point`, or -1. */
export function hitTest(hints, point, pixelsPerCSSPixel) {
  for (let i = hints.length - 1; i >= 0; i -= 1) {
    const h = hints[i];
    const reach = Math.max(h.r, 6 * pixelsPerCSSPixel) + 3 * pixelsPerCSSPixel;
    if ((h.x - point.x) ** 2 + (h.y - point.y) ** 2 <= reach * reach) return i;
  }
  return -1;
}

/** Hint radius for a picture: about 2 pixels of a 256-pixel model square. */
export function defaultHintRadius(width, height) {
  return Math.max(2, Math.round(Math.max(width, height) / 128));
}

/** Points every `spacing` pixels from `from` to `to`, excluding `from`. */
export function pointsAlong(from, to, spacing) {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const steps = Math.floor(length / spacing);
  const points = [];
  for (let i = 1; i <= steps; i += 1) {
    const t = (i * spacing) / length;
    points.push({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
  }
  return points;
}
