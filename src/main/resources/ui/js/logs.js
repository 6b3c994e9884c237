import { get, query } from './api.js';
import { h, replace, fmt, table } from './dom.js';

const PAGE = 50;

export async function logs(el) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const f = {
    provider: h('select', { id: 'f-provider' }, h('option', { value: '' }, 'Any')),
    model: h('input', { id: 'f-model', value: params.get('model') || '', placeholder: 'exact model' }),
    status: h('input', { id: 'f-status', value: params.get('status') || '', inputmode: 'numeric', placeholder: '200, 429…', size: 6 }),
  };
  const providers = (await get('/providers')).data.map((p) => p.name);
  providers.forEach((p) => f.provider.append(h('option', { value: p }, p)));
  f.provider.value = params.get('provider') || '';
  const list = h('div.panel');
  const pager = h('div.actions');
  const error = h('div.field-error', { role: 'alert' });
  const cursors = [];
  replace(el, h('h1', 'Request logs'),
    h('form.toolbar', { id: 'log-filters', on: { submit: (e) => { e.preventDefault(); cursors.length = 0; load(null); } } },
      h('label', { for: 'f-provider' }, 'Provider', f.provider), h('label', { for: 'f-model' }, 'Model', f.model),
      h('label', { for: 'f-status' }, 'Status', f.status), h('button', { type: 'submit' }, 'Filter')),
    error, list, pager);

  async function load(before) {
    error.textContent = '';
    let page;
    try {
      page = await get('/logs' + query({ provider: f.provider.value, model: f.model.value.trim(), status: f.status.value.trim(), limit: PAGE, before }));
    } catch (e) {
      error.textContent = e.message;
      return;
    }
    replace(list, table([
      { label: 'Time', get: (r) => fmt.time(r.time) },
      { label: 'Status', get: (r) => h(`span.${r.status < 400 ? 'ok' : 'bad'}`, r.status) },
      { label: 'Provider', get: (r) => r.provider || '–' },
      { label: 'Model', get: (r) => r.model || r.requested_model || '–' },
      { label: 'Latency', get: (r) => fmt.ms(r.latency_ms), num: true },
      { label: 'Attempts', get: (r) => r.attempts, num: true, hideNarrow: true },
      { label: 'Tokens in/out', get: (r) => `${fmt.int(r.input_tokens)} / ${fmt.int(r.output_tokens)}`, num: true, hideNarrow: true },
      { label: 'Cost', get: (r) => fmt.usd(r.cost_usd), num: true, hideNarrow: true },
      { label: 'Key', get: (r) => r.key_id || '–', hideNarrow: true },
    ], page.data, (r) => { location.hash = `#/logs/${r.id}`; }));
    replace(pager,
      cursors.length ? h('button.ghost', { type: 'button', on: { click: () => { cursors.pop(); load(cursors.at(-1) ?? null); } } }, 'Newer') : null,
      page.next_before ? h('button.ghost', { type: 'button', on: { click: () => { cursors.push(page.next_before); load(page.next_before); } } }, 'Older') : null);
  }
  await load(null);
}

export async function logDetail(el, id) {
  const r = await get('/logs/' + encodeURIComponent(id));
  const kv = [
    ['Request id', r.request_id], ['Time', fmt.time(r.time)], ['Status', r.status], ['Error', r.error || '–'],
    ['Inbound protocol', r.inbound_protocol], ['Requested model', r.requested_model], ['Provider', r.provider || '–'],
    ['Model', r.model || '–'], ['Streamed', r.stream ? 'yes' : 'no'], ['Latency', fmt.ms(r.latency_ms)],
    ['Time to first token', fmt.ms(r.ttft_ms)], ['Input tokens', fmt.int(r.input_tokens)],
    ['Cached tokens', fmt.int(r.cached_tokens)], ['Output tokens', fmt.int(r.output_tokens)],
    ['Cost', fmt.usd(r.cost_usd)], ['Key', r.key_id || '–'], ['Attempts', r.attempts],
  ];
  replace(el, h('p', h('a', { href: '#/logs' }, '← All logs')),
    h('h1', `Request ${r.request_id}`),
    h('div.panel', h('dl.kv', kv.map(([k, v]) => [h('dt', k), h('dd', String(v ?? '–'))]))),
    h('div.panel', h('h2', 'Upstream attempts'), table([
      { label: '#', get: (a) => a.attempt, num: true },
      { label: 'Provider', get: (a) => a.provider },
      { label: 'Model', get: (a) => a.model },
      { label: 'Key', get: (a) => (a.key_index < 0 ? '–' : `#${a.key_index + 1}`) },
      { label: 'Status', get: (a) => h(`span.${a.status > 0 && a.status < 400 ? 'ok' : 'bad'}`, a.status || 'no response') },
      { label: 'Latency', get: (a) => fmt.ms(a.latency_ms), num: true },
      { label: 'Error', get: (a) => a.error || '–' },
    ], r.attempt_list)));
}
