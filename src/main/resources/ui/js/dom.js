// A tiny element builder: h('tag.class', {attrs, on: {event: fn}}, ...children). Text is always
// set as text (never parsed as HTML), so nothing from the API can inject markup.
export function h(spec, props, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElementNS(SVG_TAGS.has(tag) ? SVG : HTML, tag);
  if (classes.length) el.setAttribute('class', classes.join(' '));
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k === 'class') { if (v) el.classList.add(...v.split(' ')); }
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden') el[k] = v;
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

const HTML = 'http://www.w3.org/1999/xhtml';
const SVG = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'path', 'line', 'rect', 'text', 'g', 'circle', 'title']);

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 2500);
}

export const fmt = {
  int: (n) => (n ?? 0).toLocaleString('en-US'),
  usd: (n) => '$' + (n ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: (n ?? 0) < 1 ? 6 : 2 }),
  ms: (n) => (n === null || n === undefined ? '–' : n >= 1000 ? (n / 1000).toFixed(2) + ' s' : n + ' ms'),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '–'),
  pct: (x) => (x === null || x === undefined ? '–' : (x * 100).toFixed(1) + '%'),
};

/** A table from column specs {label, get(row) -> node|text, num}; onRow makes rows keyboard-openable. */
export function table(columns, rows, onRow) {
  return h('div.table-wrap', h('table',
    h('thead', h('tr', columns.map((c) => h(c.num ? 'th.num' : 'th', { scope: 'col', class: c.hideNarrow ? 'hide-narrow' : null }, c.label)))),
    h('tbody', rows.length === 0
      ? h('tr', h('td.muted', { colspan: columns.length }, 'Nothing yet.'))
      : rows.map((r) => {
          const tr = h('tr', columns.map((c) => h(c.num ? 'td.num' : 'td', { class: c.hideNarrow ? 'hide-narrow' : null }, c.get(r))));
          if (onRow) {
            tr.classList.add('clickable');
            tr.tabIndex = 0;
            tr.addEventListener('click', () => onRow(r));
            tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRow(r); });
          }
          return tr;
        }))));
}
