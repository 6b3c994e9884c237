import { h } from './dom.js';

const W = 640, H = 220, L = 56, R = 10, T = 10, B = 24;

/**
 * A line chart in SVG: one line per series over shared bucket times. Hovering (or focusing and
 * using the arrow keys) shows each series' value at that bucket below the chart.
 */
export function lineChart({ title, times, series, format = String }) {
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const max = niceMax(values.length ? Math.max(...values) : 0);
  const n = times.length;
  const x = (i) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const svg = h('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, tabindex: 0 });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    svg.append(h('line.axis', { x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      h('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
  }
  const ticks = Math.min(6, n);
  for (let k = 0; k < ticks; k++) {
    const i = ticks <= 1 ? 0 : Math.round((k * (n - 1)) / (ticks - 1));
    svg.append(h('text', { x: x(i), y: H - 6, 'text-anchor': k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle' },
      label(times[i], times[1] - times[0])));
  }
  series.forEach((s, si) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    if (d) svg.append(h(`path.line.s${si % 6}`, { d }));
    if (n === 1 && s.values[0] != null) svg.append(h(`circle.s${si % 6}`, { cx: x(0), cy: y(s.values[0]), r: 3 }));
  });
  const cursor = h('line.cursor', { x1: -10, x2: -10, y1: T, y2: H - B });
  const tip = h('div.tip', '\u00a0');
  let at = -1;
  const show = (i) => {
    at = Math.max(0, Math.min(n - 1, i));
    cursor.setAttribute('x1', x(at));
    cursor.setAttribute('x2', x(at));
    tip.textContent = new Date(times[at]).toLocaleString() + ' — ' +
      series.map((s) => `${s.name}: ${s.values[at] == null ? '–' : format(s.values[at])}`).join(', ');
  };
  const overlay = h('rect.hover', { x: L, y: T, width: W - L - R, height: H - T - B });
  overlay.addEventListener('mousemove', (e) => {
    const box = svg.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * W;
    show(Math.round(((px - L) / (W - L - R)) * (n - 1)));
  });
  svg.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') show(at + 1);
    else if (e.key === 'ArrowLeft') show(at < 0 ? n - 1 : at - 1);
  });
  svg.append(cursor, overlay);
  return h('div.chart', h('h2', title), svg,
    series.length > 1 ? h('div.legend', series.map((s, si) => h('span', h(`i.s${si % 6}`), s.name))) : null, tip);
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function label(ms, step) {
  const d = new Date(ms);
  if (step >= 86400000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Compact axis numbers: 1.2k, 3.4M; small values keep decimals. */
export function compact(v) {
  if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + 'M';
  if (v >= 1e3) return (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + 'k';
  if (v > 0 && v < 1) return v.toPrecision(2);
  return String(Math.round(v * 100) / 100);
}
