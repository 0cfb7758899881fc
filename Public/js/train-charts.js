// Small loss charts on <canvas>: one series per chart, drawn whole on every update
// (at most a few thousand points, so redrawing is cheap), throttled to one frame.

/** Colors of the line and the axes, read from CSS so dark mode works. */
function palette(canvas) {
  const style = getComputedStyle(canvas);
  return {
    line: style.getPropertyValue("--chart-line").trim() || "#c2410c",
    grid: style.getPropertyValue("--chart-grid").trim() || "rgba(127,127,127,0.25)",
    text: style.getPropertyValue("--chart-text").trim() || "#6f6a63",
  };
}

/** Formats an axis value compactly. */
function label(value) {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return "0";
  if (magnitude !== 0 && (magnitude < 0.01 || magnitude >= 10000)) return value.toExponential(1);
  return value.toFixed(magnitude < 1 ? 3 : magnitude < 100 ? 2 : 0);
}

/** One chart: a series of (step, value) points drawn as a line with min/max labels. */
export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.pending = false;
  }

  /** Replaces all points. */
  set(points) {
    this.points = points.filter((p) => Number.isFinite(p.value));
    this.schedule();
  }

  /** Adds one point (ignored when not finite). */
  add(step, value) {
    if (!Number.isFinite(value)) return;
    const last = this.points[this.points.length - 1];
    if (last && last.step === step) last.value = value;
    else this.points.push({ step, value });
    this.schedule();
  }

  /** Redraws on the next animation frame, once however many points arrived. */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const colors = palette(canvas);
    const left = 44, right = 6, top = 6, bottom = 16;
    const plotW = width - left - right, plotH = height - top - bottom;

    ctx.strokeStyle = colors.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, plotW, plotH);
    ctx.fillStyle = colors.text;
    ctx.font = "10px ui-monospace, Menlo, monospace";
    if (this.points.length === 0) {
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("no data yet", left + plotW / 2, top + plotH / 2);
      return;
    }
    const steps = this.points.map((p) => p.step);
    const values = this.points.map((p) => p.value);
    let minX = Math.min(...steps), maxX = Math.max(...steps);
    let minY = Math.min(...values), maxY = Math.max(...values);
    if (maxX === minX) maxX = minX + 1;
    const constant = maxY === minY;
    if (constant) { maxY += Math.abs(maxY) * 0.5 + 1; minY -= Math.abs(minY) * 0.5 + 1; }
    const x = (step) => left + ((step - minX) / (maxX - minX)) * plotW;
    const y = (value) => top + (1 - (value - minY) / (maxY - minY)) * plotH;

    ctx.textAlign = "right";
    if (constant) {
      // A flat series (feature matching when it is off): one label, at the line.
      ctx.textBaseline = "middle";
      ctx.fillText(label(values[0]), left - 4, y(values[0]));
    } else {
      ctx.textBaseline = "top";
      ctx.fillText(label(maxY), left - 4, top);
      ctx.textBaseline = "bottom";
      ctx.fillText(label(minY), left - 4, top + plotH);
    }
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(String(minX), left, top + plotH + 2);
    ctx.textAlign = "right";
    ctx.fillText(String(maxX), left + plotW, top + plotH + 2);

    ctx.strokeStyle = colors.line;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    this.points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.step), y(p.value)) : ctx.lineTo(x(p.step), y(p.value))));
    if (this.points.length === 1) ctx.arc(x(this.points[0].step), y(this.points[0].value), 2, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

/** The dashboard's charts, one per `canvas[data-loss]` under `container`, keyed by loss name. */
export function createCharts(container) {
  const charts = new Map();
  for (const canvas of container.querySelectorAll("canvas[data-loss]")) {
    charts.set(canvas.dataset.loss, new LossChart(canvas));
  }
  return {
    /** Redraws every chart from a list of progress events. */
    reset(progressEvents) {
      for (const [name, chart] of charts) {
        chart.set(progressEvents.map((e) => ({ step: e.step, value: e.losses?.[name] })));
      }
    },
    /** Adds one progress event's losses. */
    add(event) {
      for (const [name, chart] of charts) chart.add(event.step, event.losses?.[name]);
    },
    /** Redraws at the current size (after a resize). */
    redraw() {
      for (const chart of charts.values()) chart.schedule();
    },
  };
}
