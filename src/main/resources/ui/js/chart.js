import { h } from './dom.js';

const H = 220, L = 60, R = 12, T = 10, B = 24;

/**
 * A line chart in SVG: one line per series over shared bucket times, drawn at the container's
 * real pixel width (redrawn on resize) so its text keeps one size. Hovering, or focusing it and
 * using the arrow keys, shows each series' value at that bucket below the chart.
 */
export function lineChart({ title, times, series, format = String }) {
  const svg = h('svg', { height: H, role: 'img', 'aria-label': title, tabindex: 0 });
  const tip = h('div.tip', '\u00a0');
  const box = h('div.chart', h('h2', title), svg,
    series.length > 1 ? h('div.legend', series.map((s, si) => h('span', h(`i.s${si % 6}`), s.name))) : null, tip);
  let at = -1;
  let width = 0;
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const max = niceMax(values.length ? Math.max(...values) : 0);
  const n = times.length;
  const x = (i) => L + (n <= 1 ? 0 : (i * (width - L - R)) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const cursor = h('line.cursor', { x1: 0, x2: 0, y1: T, y2: H - B, visibility: 'hidden' });
  const show = (i) => {
    at = Math.max(0, Math.min(n - 1, i));
    cursor.removeAttribute('visibility');
    cursor.setAttribute('x1', x(at));
    cursor.setAttribute('x2', x(at));
    tip.textContent = new Date(times[at]).toLocaleString() + ' — ' +
      series.map((s) => `${s.name}: ${s.values[at] == null ? '–' : format(s.values[at])}`).join(', ');
  };
  const draw = (w) => {
    width = Math.max(240, Math.floor(w));
    svg.setAttribute('width', width);
    svg.setAttribute('viewBox', `0 0 ${width} ${H}`);
    svg.replaceChildren();
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      svg.append(h('line.axis', { x1: L, x2: width - R, y1: y(v), y2: y(v) }),
        h('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
    }
    const ticks = Math.min(Math.max(2, Math.floor(width / 110)), n);
    for (let k = 0; k < ticks; k++) {
      const i = ticks <= 1 ? 0 : Math.round((k * (n - 1)) / (ticks - 1));
      svg.append(h('text', { x: x(i), y: H - 6, 'text-anchor': k === 0 ? 'start' : k === ticks - 1 ? 'end' : 'middle' },
        label(times[i], times[1] - times[0])));
    }
    series.forEach((s, si) => {
      let d = '';
      s.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const prev = s.values[i - 1];
        d += `${prev === null || prev === undefined ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
        const next = s.values[i + 1];
        // A point with no neighbour draws no line: show it as a dot.
        if ((prev === null || prev === undefined) && (next === null || next === undefined)) {
          svg.append(h(`circle.s${si % 6}`, { cx: x(i), cy: y(v), r: 3 }));
        }
      });
      if (d) svg.append(h(`path.line.s${si % 6}`, { d }));
    });
    const overlay = h('rect.hover', { x: L, y: T, width: width - L - R, height: H - T - B });
    overlay.addEventListener('mousemove', (e) => {
      const px = e.clientX - svg.getBoundingClientRect().left;
      show(Math.round(((px - L) / (width - L - R)) * (n - 1)));
    });
    svg.append(cursor, overlay);
    if (at >= 0) show(at);
  };
  svg.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') show(at + 1);
    else if (e.key === 'ArrowLeft') show(at < 0 ? n - 1 : at - 1);
  });
  new ResizeObserver((entries) => {
    const w = entries[0].contentRect.width;
    if (Math.abs(w - width) >= 1) draw(w);
  }).observe(box);
  return box;
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
