import { get, query } from './api.js';
import { h, replace, fmt } from './dom.js';
import { lineChart, compact } from './chart.js';
import { RANGES, usage } from './overview.js';

export async function costs(el) {
  const state = { range: '30d' };
  const rangeSel = h('select', { id: 'cost-range', on: { change: () => { state.range = rangeSel.value; load(); } } },
    Object.entries(RANGES).map(([k, r]) => h('option', { value: k }, r.label)));
  rangeSel.value = state.range;
  const body = h('div');
  const exportLink = h('a', { id: 'csv', download: 'junction-costs.csv', href: '#' }, 'Export CSV');
  replace(el, h('h1', 'Costs'), h('div.toolbar', h('label', { for: 'cost-range' }, 'Range', rangeSel), exportLink), body);

  async function load() {
    const from = new Date(Date.now() - RANGES[state.range].ms).toISOString();
    const [c, u] = await Promise.all([get('/costs' + query({ from })), usage(state.range, 'provider')]);
    const times = u.data.map((p) => Date.parse(p.start));
    const series = Object.entries(u.groups || {}).map(([name, pts]) => ({ name, values: pts.map((p) => p.cost_usd) }));
    exportLink.href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(csv(c));
    replace(body,
      h('div.stats', h('div.stat', h('span.muted', 'Total'), h('b', { id: 'cost-total' }, fmt.usd(c.total_usd)))),
      h('div.panel', lineChart({ title: 'Cost by provider (USD)', times, series: series.length ? series : [{ name: 'cost', values: u.data.map((p) => p.cost_usd) }], format: (v) => '$' + compact(v) })),
      h('div.grid', breakdown('By provider', c.by_provider, c.total_usd), breakdown('By model', c.by_model, c.total_usd),
        breakdown('By key', c.by_key, c.total_usd)));
  }
  await load();
}

function breakdown(title, map, total) {
  const rows = Object.entries(map);
  return h('div.panel', h('h2', title), h('div.table-wrap', h('table',
    h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th.num', { scope: 'col' }, 'USD'), h('th', { scope: 'col' }, 'Share'))),
    h('tbody', rows.length ? rows.map(([name, usd]) => h('tr', h('td', name), h('td.num', fmt.usd(usd)),
      h('td', h('div.bar', h('span', { style: { width: `${total > 0 ? (usd / total) * 100 : 0}%` } })))))
      : h('tr', h('td.muted', { colspan: 3 }, 'Nothing yet.'))))));
}

/** RFC 4180 CSV of the report: one line per (breakdown, name). */
function csv(c) {
  const q = (s) => `"${String(s).replaceAll('"', '""')}"`;
  const lines = ['dimension,name,cost_usd'];
  for (const [dim, map] of [['provider', c.by_provider], ['model', c.by_model], ['key', c.by_key]]) {
    for (const [name, usd] of Object.entries(map)) lines.push(`${dim},${q(name)},${usd}`);
  }
  lines.push(`total,,${c.total_usd}`);
  return lines.join('\r\n') + '\r\n';
}
