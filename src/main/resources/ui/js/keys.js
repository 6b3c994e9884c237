import { api, get } from './api.js';
import { h, replace, fmt, table, toast } from './dom.js';

export async function keys(el) {
  const list = h('div.panel');
  const created = h('div', { 'aria-live': 'polite' });
  const f = {
    name: h('input', { id: 'k-name', required: true }),
    allowed_models: h('input', { id: 'k-allowed_models', placeholder: 'gpt-4o*, claude-* (empty: all)' }),
    rpm: h('input', { id: 'k-rpm', type: 'number', min: 1 }),
    tpm: h('input', { id: 'k-tpm', type: 'number', min: 1 }),
    budget_usd: h('input', { id: 'k-budget_usd', type: 'number', min: 0, step: '0.01' }),
  };
  const errors = Object.fromEntries(Object.keys(f).map((k) => [k, h('div.field-error', { id: `k-${k}-error` })]));
  const general = h('div.field-error', { role: 'alert' });
  const field = (k, label) => {
    f[k].setAttribute('aria-describedby', `k-${k}-error`);
    return h('div', h('label', { for: `k-${k}` }, label, f[k]), errors[k]);
  };
  const form = h('form.panel', { id: 'key-form', novalidate: true, on: { submit: async (e) => {
    e.preventDefault();
    Object.values(errors).forEach((x) => { x.textContent = ''; });
    general.textContent = '';
    const body = { name: f.name.value.trim() };
    const models = f.allowed_models.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (models.length) body.allowed_models = models;
    for (const k of ['rpm', 'tpm', 'budget_usd']) if (f[k].value !== '') body[k] = Number(f[k].value);
    try {
      const k = await api('POST', '/keys', body);
      form.reset();
      showSecret(k);
      await load();
    } catch (err) {
      if (err.param && errors[err.param]) errors[err.param].textContent = err.message;
      else general.textContent = err.message;
    }
  } } },
  h('h2', 'New virtual key'),
  h('div.form-grid', field('name', 'Name'), field('allowed_models', 'Allowed models'), field('rpm', 'Requests / min'),
    field('tpm', 'Tokens / min'), field('budget_usd', 'Budget (USD)')),
  general, h('div.actions', h('button', { type: 'submit' }, 'Create key')));
  replace(el, h('h1', 'Virtual keys'), created, form, list);

  function showSecret(k) {
    const secret = h('div.secret', { id: 'new-secret' }, k.key);
    const copy = h('button', { type: 'button', on: { click: async () => {
      try {
        await navigator.clipboard.writeText(k.key);
        toast('Copied');
      } catch {
        // No clipboard (plain http off localhost): select it for Ctrl+C instead.
        getSelection().selectAllChildren(secret);
        toast('Press Ctrl+C to copy');
      }
    } } }, 'Copy');
    replace(created, h('div.panel', h('h2', `Key "${k.name}" created`),
      h('p', 'This is the only time the secret is shown. Store it now.'), secret,
      h('div.actions', copy, h('button.ghost', { type: 'button', on: { click: () => replace(created) } }, 'Done'))));
    copy.focus();
  }

  async function load() {
    const ks = (await get('/keys')).data;
    replace(list, table([
      { label: 'Name', get: (k) => h('b', k.name) },
      { label: 'Id', get: (k) => h('code', k.id), hideNarrow: true },
      { label: 'Models', get: (k) => k.allowed_models.join(', ') || 'all', hideNarrow: true },
      { label: 'Requests / min', get: (k) => meter(k.window?.requests, k.rpm, fmt.int) },
      { label: 'Tokens / min', get: (k) => meter(k.window?.tokens, k.tpm, fmt.int) },
      { label: 'Spend / budget', get: (k) => meter(k.spent_usd, k.budget_usd, fmt.usd) },
      { label: 'Created', get: (k) => fmt.time(k.created), hideNarrow: true },
      { label: '', get: (k) => k.revoked ? h('span.muted', 'revoked') : h('button.danger', { type: 'button', 'data-key': k.id, on: { click: async () => {
        if (!confirm(`Revoke key ${k.name}? Requests with it fail at once.`)) return;
        await api('DELETE', `/keys/${encodeURIComponent(k.id)}`);
        toast(`Revoked ${k.name}`);
        load();
      } } }, 'Revoke') },
    ], ks));
  }
  await load();
}

/** "used / limit" with a bar, or just "used" when unlimited. */
function meter(used, limit, format) {
  if (used === undefined || used === null) return limit ? `– / ${format(limit)}` : '–';
  if (!limit) return h('span', format(used), h('span.muted', ' (no limit)'));
  const share = Math.min(1, used / limit);
  return h('div', `${format(used)} / ${format(limit)}`,
    h(`div.bar${share >= 1 ? '.over' : ''}`, { role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': limit, 'aria-valuenow': used },
      h('span', { style: { width: `${share * 100}%` } })));
}
