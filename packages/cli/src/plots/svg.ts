/**
 * A small dependency-free SVG line chart: axes with round ticks, labels, a legend, one polyline
 * (with point markers when sparse) per series. Output is deterministic text, so plots are
 * byte-identical for identical data.
 */

export interface Series {
  name: string;
  points: [number, number][];
  /** Per point, the [min, max] of the values its y summarises (runs over seeds): drawn as a band with error bars. */
  spread?: [number, number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Force the y range to include these (e.g. [0, 1] for convergence). */
  yRange?: [number, number];
  width?: number;
  height?: number;
}

// Okabe-Ito colours (readable with colour-blindness), then greys.
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#777777", "#BBBBBB"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (x: number) => String(Math.round(x * 100) / 100);

/** Round tick positions (1, 2, 5 x 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
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

export function lineChart(c: LineChart): string {
  const width = c.width ?? 720;
  // Tall enough for the legend, one line per series.
  const height = Math.max(c.height ?? 360, 36 + 18 * c.series.length + 24);
  const legendW = 170;
  const m = { left: 64, right: legendW + 16, top: 36, bottom: 48 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const all = c.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = [...all.map((p) => p[1]), ...c.series.flatMap((s) => (s.spread ?? []).flat()), ...(c.yRange ?? [])];
  const xt = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yt = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1);
  const [x0, x1] = [xt[0], xt[xt.length - 1]];
  const [y0, y1] = [yt[0], yt[yt.length - 1]];
  const sx = (x: number) => m.left + (x1 === x0 ? pw / 2 : ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number) => m.top + ph - (y1 === y0 ? ph / 2 : ((y - y0) / (y1 - y0)) * ph);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(c.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${m.left + pw / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(c.title)}</text>`,
  ];
  for (const t of yt)
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${num(sy(t))}" y2="${num(sy(t))}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${num(sy(t) + 4)}" text-anchor="end">${label(t)}</text>`,
    );
  for (const t of xt)
    out.push(
      `<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`,
      `<text x="${num(sx(t))}" y="${m.top + ph + 18}" text-anchor="middle">${label(t)}</text>`,
    );
  out.push(
    `<path d="M${m.left},${m.top}V${m.top + ph}H${m.left + pw}" fill="none" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${height - 8}" text-anchor="middle">${esc(c.xLabel)}</text>`,
    `<text transform="translate(16,${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`,
  );
  if (all.length === 0) out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph / 2}" text-anchor="middle" fill="#777">no data</text>`);
  c.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const pts = s.points.map(([x, y]) => `${num(sx(x))},${num(sy(y))}`);
    const spread = s.spread;
    if (spread && spread.some(([lo, hi]) => hi > lo)) {
      const upper = s.points.map(([x], j) => `${num(sx(x))},${num(sy(spread[j][1]))}`);
      const lower = s.points.map(([x], j) => `${num(sx(x))},${num(sy(spread[j][0]))}`).reverse();
      if (pts.length > 1) out.push(`<polygon class="spread" points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.15" stroke="none"><title>${esc(s.name)}: min-max over runs</title></polygon>`);
      s.points.forEach(([x], j) => {
        const [lo, hi] = spread[j].map(sy);
        const cx = num(sx(x));
        out.push(`<path class="error-bar" d="M${cx},${num(lo)}V${num(hi)}M${num(sx(x) - 3)},${num(lo)}h6M${num(sx(x) - 3)},${num(hi)}h6" stroke="${colour}" fill="none"/>`);
      });
    }
    if (pts.length > 1) out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"><title>${esc(s.name)}</title></polyline>`);
    if (pts.length <= 60) for (const p of pts) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2.5" fill="${colour}"/>`);
    const ly = m.top + 8 + i * 18;
    out.push(
      `<line x1="${width - legendW}" x2="${width - legendW + 18}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${width - legendW + 24}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
