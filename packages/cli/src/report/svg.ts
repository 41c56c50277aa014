/**
 * A small dependency-free SVG chart of series over x: axes with round ticks (or ticks at given x),
 * labels, a legend, per series a line (solid or dashed) through its points, a marker at each point,
 * and optionally the min-max spread of each point as a band and error bars. Output is deterministic
 * text, so plots are byte-identical for identical data.
 *
 * Why not a plotting library: docs/sweep.md, "How the plots are drawn".
 */

/** A point: x, and y or null where there is no value (a gap in the line). */
export type Point = [number, number | null];

export type MarkerShape = "circle" | "square" | "triangle" | "diamond";

export interface Series {
  name: string;
  points: Point[];
  /** Per point, the [min, max] of the values its y summarises (runs over seeds): a band and error bars. */
  spread?: ([number, number] | null)[];
  /** SVG stroke-dasharray, e.g. "6 3" (default solid). */
  dash?: string;
  /** Line width (default 2). */
  width?: number;
  marker?: MarkerShape;
  /** Draw the markers as outlines, so a filled marker of another series under one stays visible. */
  hollow?: boolean;
  /** Colour index into the palette (default: the series' index). */
  colour?: number;
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Tick marks exactly at these x (labels thinned where they would collide); default round ticks. */
  xTicks?: number[];
  /** Join two neighbouring points of a series only if this holds (default: always). */
  joins?: (x0: number, x1: number) => boolean;
  /** Start the y axis at zero (default); false fits it to the data. */
  yFromZero?: boolean;
  /** Force the y range to include these (e.g. [0, 1] for convergence). */
  yRange?: [number, number];
  /** x positions shaded grey across the plot, with this legend text (e.g. steps whose kernel lacks a counter). */
  shaded?: { xs: number[]; label: string; halfWidth: number };
  /** A line under the plot (e.g. what was left out). */
  note?: string;
  width?: number;
  height?: number;
}

// Okabe-Ito colours (readable with colour-blindness), then greys.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442", "#777777", "#BBBBBB"];
export const MARKERS: readonly MarkerShape[] = ["circle", "square", "triangle", "diamond"];

const coord = (x: number) => String(Math.round(x * 100) / 100);

/** Text made safe for XML (SVG and HTML) content and attribute values. */
export const escapeXml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Round tick positions (1, 2, 5 x 10^k) covering [lo, hi]. */
function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (hi === lo) [lo, hi] = lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi)];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  if (out[out.length - 1] < hi) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}

const label = (v: number) => {
  const a = Math.abs(v);
  if (a >= 1e9) return `${Number((v / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(4)));
};

/** A marker of `shape` centred on (x, y). */
function marker(shape: MarkerShape, x: number, y: number, colour: string, name: string, hollow = false): string {
  const r = hollow ? 4.5 : 3.5;
  const attrs = hollow
    ? `class="marker" fill="none" stroke="${colour}" stroke-width="1.5"`
    : `class="marker" fill="${colour}" stroke="#ffffff" stroke-width="0.75"`;
  const t = `<title>${escapeXml(name)}</title>`;
  if (shape === "square") return `<rect ${attrs} x="${coord(x - r)}" y="${coord(y - r)}" width="${2 * r}" height="${2 * r}">${t}</rect>`;
  if (shape === "triangle")
    return `<path ${attrs} d="M${coord(x)},${coord(y - r - 1)}L${coord(x + r + 0.5)},${coord(y + r)}L${coord(x - r - 0.5)},${coord(y + r)}Z">${t}</path>`;
  if (shape === "diamond")
    return `<path ${attrs} d="M${coord(x)},${coord(y - r - 1)}L${coord(x + r + 1)},${coord(y)}L${coord(x)},${coord(y + r + 1)}L${coord(x - r - 1)},${coord(y)}Z">${t}</path>`;
  return `<circle ${attrs} cx="${coord(x)}" cy="${coord(y)}" r="${r}">${t}</circle>`;
}

/** Runs of neighbouring points with values that `joins` lets a line connect. */
function runs(points: Point[], joins: (a: number, b: number) => boolean): [number, number][][] {
  const out: [number, number][][] = [];
  let run: [number, number][] = [];
  for (const [x, y] of points) {
    if (y === null || (run.length && !joins(run[run.length - 1][0], x))) {
      if (run.length) out.push(run);
      run = [];
    }
    if (y !== null) run.push([x, y]);
  }
  if (run.length) out.push(run);
  return out;
}

export function lineChart(c: Chart): string {
  const width = c.width ?? 760;
  const legendRows = c.series.length + (c.shaded?.xs.length ? 1 : 0);
  // The same legend width for every plot with short names, so plots of one report line up.
  const legendW = Math.min(280, Math.max(200, 40 + 7 * Math.max(...c.series.map((s) => s.name.length), c.shaded?.xs.length ? c.shaded.label.length : 0)));
  const height = Math.max(c.height ?? 380, 60 + 18 * legendRows);
  const m = { left: 72, right: legendW + 16, top: 40, bottom: c.note ? 70 : 52 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const joins = c.joins ?? (() => true);
  const valued = c.series.flatMap((s) => s.points.filter((p): p is [number, number] => p[1] !== null));
  const xs = [...c.series.flatMap((s) => s.points.map((p) => p[0])), ...(c.xTicks ?? [])];
  const ys = [
    ...valued.map((p) => p[1]),
    ...c.series.flatMap((s) => (s.spread ?? []).flatMap((v) => v ?? [])),
    ...(c.yRange ?? []),
    ...(c.yFromZero === false ? [] : [0]),
  ];
  const xt = c.xTicks ?? niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yt = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1);
  // Measured x at the ends get room, so their markers and bars are clear of the axes.
  const span = xt.length > 1 ? Math.max(...xt) - Math.min(...xt) : 1;
  const pad = c.xTicks ? Math.max(xt.length > 1 ? Math.min(...xt.slice(1).map((x, i) => x - xt[i])) / 2 : 0.5, span * 0.03) : 0;
  const [x0, x1] = c.xTicks ? [Math.min(...xt) - pad, Math.max(...xt) + pad] : [xt[0], xt[xt.length - 1]];
  const [y0, y1] = [yt[0], yt[yt.length - 1]];
  const sx = (x: number) => m.left + (x1 === x0 ? pw / 2 : ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number) => m.top + ph - (y1 === y0 ? ph / 2 : ((y - y0) / (y1 - y0)) * ph);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(c.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left + pw / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(c.title)}</text>`,
  ];
  if (c.shaded)
    for (const x of c.shaded.xs) {
      // At least 10 px wide, so a single step shows.
      const w = Math.max(10, sx(x + c.shaded.halfWidth) - sx(x - c.shaded.halfWidth));
      out.push(
        `<rect class="absent" x="${coord(sx(x) - w / 2)}" y="${m.top}" width="${coord(w)}" height="${ph}" fill="#e4e4e4"><title>${escapeXml(c.shaded.label)}: ${x}</title></rect>`,
      );
    }
  for (const t of yt)
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${coord(sy(t))}" y2="${coord(sy(t))}" stroke="${t === 0 ? "#999" : "#e5e5e5"}"/>`,
      `<text x="${m.left - 6}" y="${coord(sy(t) + 4)}" text-anchor="end">${label(t)}</text>`,
    );
  // Tick labels where they fit: at least 26 px apart, the last tick always labelled.
  let lastLabelled = -Infinity;
  xt.forEach((t, i) => {
    out.push(`<line class="x-tick" x1="${coord(sx(t))}" x2="${coord(sx(t))}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    const room = i === xt.length - 1 || sx(xt[xt.length - 1]) - sx(t) >= 26;
    if (sx(t) - lastLabelled >= 26 && room) {
      out.push(`<text x="${coord(sx(t))}" y="${m.top + ph + 18}" text-anchor="middle">${label(t)}</text>`);
      lastLabelled = sx(t);
    }
  });
  out.push(
    `<path d="M${m.left},${m.top}V${m.top + ph}H${m.left + pw}" fill="none" stroke="#333"/>`,
    `<text class="x-label" x="${m.left + pw / 2}" y="${m.top + ph + 38}" text-anchor="middle">${escapeXml(c.xLabel)}</text>`,
    `<text class="y-label" transform="translate(16,${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(c.yLabel)}</text>`,
  );
  if (c.note) out.push(`<text x="${m.left}" y="${height - 10}" fill="#555">${escapeXml(c.note)}</text>`);
  if (valued.length === 0) out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph / 2}" text-anchor="middle" fill="#777">no data</text>`);
  c.series.forEach((s, i) => {
    const colour = PALETTE[(s.colour ?? i) % PALETTE.length];
    const spread = s.spread;
    if (spread && spread.some((v) => v !== null && v[1] > v[0])) {
      const bars = s.points.map(([x], j) => [x, spread[j]] as const).filter((b): b is readonly [number, [number, number]] => b[1] !== null);
      for (const run of runs(
        bars.map(([x]) => [x, 0]),
        joins,
      )) {
        if (run.length < 2) continue;
        const at = run.map(([x]) => bars.find((b) => b[0] === x)!);
        const upper = at.map(([x, [, hi]]) => `${coord(sx(x))},${coord(sy(hi))}`);
        const lower = at.map(([x, [lo]]) => `${coord(sx(x))},${coord(sy(lo))}`).reverse();
        out.push(
          `<polygon class="spread" points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.15" stroke="none"><title>${escapeXml(s.name)}: min-max over runs</title></polygon>`,
        );
      }
      for (const [x, [lo, hi]] of bars) {
        const cx = coord(sx(x));
        out.push(
          `<path class="error-bar" d="M${cx},${coord(sy(lo))}V${coord(sy(hi))}M${coord(sx(x) - 3)},${coord(sy(lo))}h6M${coord(sx(x) - 3)},${coord(sy(hi))}h6" stroke="${colour}" fill="none"/>`,
        );
      }
    }
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : "";
    for (const run of runs(s.points, joins))
      if (run.length > 1)
        out.push(
          `<polyline class="line" points="${run.map(([x, y]) => `${coord(sx(x))},${coord(sy(y))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="${s.width ?? 2}"${dash}><title>${escapeXml(s.name)}</title></polyline>`,
        );
    const shown = s.points.filter((p): p is [number, number] => p[1] !== null);
    if (shown.length <= 80)
      for (const [x, y] of shown) out.push(marker(s.marker ?? "circle", sx(x), sy(y), colour, `${s.name}: ${label(x)}, ${label(y)}`, s.hollow));
    const ly = m.top + 8 + i * 18;
    const lx = width - legendW;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="${Math.min(3, s.width ?? 2)}"${dash}/>`,
      marker(s.marker ?? "circle", lx + 12, ly, colour, s.name, s.hollow),
      `<text class="legend" x="${lx + 30}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  if (c.shaded?.xs.length) {
    const ly = m.top + 8 + c.series.length * 18;
    out.push(
      `<rect x="${width - legendW}" y="${ly - 6}" width="24" height="12" fill="#e8e8e8"/>`,
      `<text class="legend" x="${width - legendW + 30}" y="${ly + 4}">${escapeXml(c.shaded.label)}</text>`,
    );
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}
