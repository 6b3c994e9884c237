import { get, query } from './api.js';
import { h, replace, fmt } from './dom.js';
import { lineChart, compact } from './chart.js';

export const RANGES = {
  '1h': { ms: 3600e3, bucket: 'minute', label: 'Last hour' },
  '24h': { ms: 86400e3, bucket: 'hour', label: 'Last 24 hours' },
  '7d': { ms: 7 * 86400e3, bucket: 'hour', label: 'Last 7 days' },
  '30d': { ms: 30 * 86400e3, bucket: 'day', label: 'Last 30 days' },
};

/** The usage series of a range ending now, optionally one series per provider or model. */
export function usage(range, groupBy, extra = {}) {
  const r = RANGES[range];
  return get('/usage' + query({ from: new Date(Date.now() - r.ms).toISOString(), bucket: r.bucket, group_by: groupBy, ...extra }));
}

export async function overview(el) {
  const state = { range: '1h', group: '', live: true };
  const rangeSel = h('select', { id: 'range', on: { change: () => { state.range = rangeSel.value; load(); } } },
    Object.entries(RANGES).map(([k, r]) => h('option', { value: k }, r.label)));
  const groupSel = h('select', { id: 'group', on: { change: () => { state.group = groupSel.value; load(); } } },
    h('option', { value: '' }, 'All traffic'), h('option', { value: 'provider' }, 'By provider'), h('option', { value: 'model' }, 'By model'));
  const live = h('input', { type: 'checkbox', id: 'live', checked: true, on: { change: () => { state.live = live.checked; } } });
  const body = h('div');
  replace(el, h('h1', 'Overview'),
    h('div.toolbar', h('label', { for: 'range' }, 'Range', rangeSel), h('label', { for: 'group' }, 'Split', groupSel),
      h('label', { for: 'live' }, 'Live (10 s)', live)),
    body);

  async function load() {
    const u = await usage(state.range, state.group || null);
    const times = u.data.map((p) => Date.parse(p.start));
    const total = u.data.reduce((a, p) => ({
      requests: a.requests + p.requests, errors: a.errors + p.errors, cost: a.cost + p.cost_usd,
      tokens: a.tokens + p.input_tokens + p.output_tokens,
    }), { requests: 0, errors: 0, cost: 0, tokens: 0 });
    const groups = u.groups ? Object.entries(u.groups) : null;
    const by = (field) => groups
      ? groups.map(([name, pts]) => ({ name, values: pts.map((p) => p[field]) }))
      : [{ name: field, values: u.data.map((p) => p[field]) }];
    replace(body,
      h('div.stats',
        stat('Requests', fmt.int(total.requests)),
        stat('Errors', fmt.int(total.errors)),
        stat('Error rate', total.requests ? fmt.pct(total.errors / total.requests) : '–'),
        stat('Tokens', fmt.int(total.tokens)),
        stat('Spend', fmt.usd(total.cost))),
      h('div.grid',
        h('div.panel', lineChart({ title: 'Requests', times, series: by('requests'), format: compact })),
        h('div.panel', lineChart({ title: 'Errors', times, series: by('errors'), format: compact })),
        h('div.panel', lineChart({ title: 'Latency p50 / p99 (ms)', times, format: compact, series: [
          { name: 'p50', values: u.data.map((p) => p.latency_p50_ms) },
          { name: 'p99', values: u.data.map((p) => p.latency_p99_ms) }] })),
        h('div.panel', lineChart({ title: 'Tokens', times, format: compact, series: groups
          ? by('output_tokens').map((s) => ({ ...s, name: s.name + ' (out)' }))
          : [{ name: 'input', values: u.data.map((p) => p.input_tokens) },
             { name: 'output', values: u.data.map((p) => p.output_tokens) },
             { name: 'cached', values: u.data.map((p) => p.cached_tokens) }] })),
        h('div.panel', lineChart({ title: 'Cost (USD)', times, series: by('cost_usd'), format: (v) => '$' + compact(v) }))));
  }

  await load();
  const timer = setInterval(() => { if (state.live && !document.hidden) load().catch(() => {}); }, 10_000);
  return () => clearInterval(timer);
}

function stat(label, value) {
  return h('div.stat', h('span.muted', label), h('b', value));
}
