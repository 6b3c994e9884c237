import { api, get } from './api.js';
import { h, replace, fmt, table, toast } from './dom.js';

const TYPES = ['openai', 'anthropic', 'gemini', 'cohere', 'azure', 'bedrock'];
const STATUS_CLASS = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad', disabled: 'muted' };

export async function providers(el) {
  const list = h('div');
  const formSlot = h('div');
  replace(el, h('h1', 'Providers'),
    h('div.toolbar', h('button', { type: 'button', id: 'new-provider', on: { click: () => edit(null) } }, 'New provider')),
    formSlot, list);

  async function load() {
    const ps = (await get('/providers')).data;
    replace(list, h('div.panel', table([
      { label: 'Name', get: (p) => h('b', p.name) },
      { label: 'Type', get: (p) => p.preset ? `${p.type} (${p.preset})` : p.type, hideNarrow: true },
      { label: 'Health', get: (p) => badge(p.enabled ? p.health.status : 'disabled') },
      { label: 'Breakers', get: breakers },
      { label: 'Keys', get: keyPool },
      { label: 'Models', get: (p) => p.models.join(', ') || '–', hideNarrow: true },
      { label: 'Weight', get: (p) => p.weight, num: true, hideNarrow: true },
      { label: 'Source', get: (p) => p.source, hideNarrow: true },
      { label: '', get: (p) => actions(p) },
    ], ps)));
  }

  function actions(p) {
    const result = h('div.tip', { 'aria-live': 'polite' });
    const test = h('button.ghost', { type: 'button', on: { click: async () => {
      test.disabled = true;
      result.textContent = 'Testing…';
      try {
        const r = await api('POST', `/providers/${encodeURIComponent(p.name)}/test`);
        result.className = 'tip ' + (r.ok ? 'ok' : 'bad');
        result.textContent = r.ok ? `OK in ${fmt.ms(r.latency_ms)}` : `Failed: ${r.error}`;
      } catch (e) {
        result.className = 'tip bad';
        result.textContent = e.message;
      } finally {
        test.disabled = false;
      }
    } } }, 'Test');
    const buttons = [test, h('button.ghost', { type: 'button', on: { click: () => edit(p) } }, 'Edit')];
    if (p.source === 'api') {
      buttons.push(h('button.danger', { type: 'button', on: { click: async () => {
        if (!confirm(`Delete provider ${p.name}?`)) return;
        try {
          await api('DELETE', `/config/providers/${encodeURIComponent(p.name)}`);
          toast(`Deleted ${p.name}`);
          load();
        } catch (e) {
          toast(e.message);
        }
      } } }, 'Delete'));
    }
    return h('div', h('div.actions', buttons), result);
  }

  function edit(p) {
    replace(formSlot, providerForm(p, async () => { replace(formSlot); await load(); }, () => replace(formSlot)));
    formSlot.querySelector('input,select')?.focus();
  }

  await load();
}

function badge(status) {
  return h(`span.badge.${STATUS_CLASS[status] || 'muted'}`, status);
}

function breakers(p) {
  const open = p.health.breakers.filter((b) => b.state !== 'closed');
  if (!p.health.breakers.length) return h('span.muted', 'closed');
  return h('span', { title: p.health.breakers.map((b) => `${b.model}: ${b.state}`).join('\n') },
    open.length ? h('span.bad', `${open.length} open`) : h('span.ok', `${p.health.breakers.length} closed`));
}

function keyPool(p) {
  if (!p.key_count) return h('span.muted', 'none');
  const states = p.health.keys.reduce((m, k) => ({ ...m, [k.state]: (m[k.state] || 0) + 1 }), {});
  return Object.entries(states).map(([s, n]) => h(`span.${s === 'ok' || s === 'active' ? 'ok' : 'warn'}`, `${n} ${s} `));
}

/** Create (p null) or replace a provider; problems from the API are shown at their field. */
function providerForm(p, saved, cancel) {
  const fields = {
    name: h('input', { id: 'pf-name', value: p ? p.name : '', required: true, readonly: !!p }),
    type: h('select', { id: 'pf-type' }, h('option', { value: '' }, '(from preset)'), TYPES.map((t) => h('option', { value: t }, t))),
    preset: h('input', { id: 'pf-preset', value: p?.preset || '', placeholder: 'groq, together, …' }),
    base_url: h('input', { id: 'pf-base_url', value: p && !p.base_url.startsWith('local:') ? p.base_url : '', placeholder: 'https://…' }),
    api_keys: h('textarea', { id: 'pf-api_keys', placeholder: 'one per line, or ${ENV_VAR}' }),
    models: h('input', { id: 'pf-models', value: p ? p.models.join(', ') : '', placeholder: 'gpt-4o, gpt-4o-mini' }),
    weight: h('input', { id: 'pf-weight', type: 'number', value: p ? p.weight : 1 }),
    timeout_ms: h('input', { id: 'pf-timeout_ms', type: 'number', value: p ? p.timeout_ms : '' }),
    max_retries: h('input', { id: 'pf-max_retries', type: 'number', value: p ? p.max_retries : '' }),
    enabled: h('input', { id: 'pf-enabled', type: 'checkbox', checked: p ? p.enabled : true }),
  };
  fields.type.value = p && !p.preset ? p.type : '';
  const errors = {};
  const row = (key, label, wide) => {
    errors[key] = h('div.field-error', { id: `pf-${key}-error` });
    fields[key].setAttribute('aria-describedby', `pf-${key}-error`);
    return h(wide ? 'div.wide' : 'div', h('label', { for: `pf-${key}` }, label, fields[key]), errors[key]);
  };
  const general = h('div.field-error', { role: 'alert' });
  const form = h('form.panel', { id: 'provider-form', novalidate: true, on: { submit: async (e) => {
    e.preventDefault();
    Object.values(errors).forEach((x) => { x.textContent = ''; });
    general.textContent = '';
    const body = { enabled: fields.enabled.checked };
    for (const k of ['type', 'preset', 'base_url']) if (fields[k].value.trim()) body[k] = fields[k].value.trim();
    const keys = fields.api_keys.value.split('\n').map((s) => s.trim()).filter(Boolean);
    if (keys.length) body.api_keys = keys;
    const models = fields.models.value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    if (models.length) body.models = models;
    for (const k of ['weight', 'timeout_ms', 'max_retries']) if (fields[k].value !== '') body[k] = Number(fields[k].value);
    const name = fields.name.value.trim();
    if (!name) { errors.name.textContent = 'A provider needs a name'; return; }
    try {
      await api('PUT', `/config/providers/${encodeURIComponent(name)}`, body);
      toast(`Saved ${name}`);
      saved();
    } catch (err) {
      const unplaced = [];
      for (const problem of err.problems.length ? err.problems : [err.message]) {
        const field = problem.split(/[:.[]/)[0].trim();
        if (errors[field]) errors[field].textContent = (errors[field].textContent ? errors[field].textContent + '; ' : '') + problem.slice(problem.indexOf(':') + 1).trim();
        else unplaced.push(problem);
      }
      general.textContent = unplaced.join('; ');
      form.querySelector('.field-error:not(:empty)')?.previousElementSibling?.querySelector('input,select,textarea')?.focus();
    }
  } } },
  h('h2', p ? `Edit ${p.name}` : 'New provider'),
  p ? h('p.muted', 'Keys are never shown: enter them again (or ${VAR} references) to keep the provider working. Saving replaces the provider as a whole.') : null,
  h('div.form-grid', row('name', 'Name'), row('type', 'Type'), row('preset', 'Preset'), row('base_url', 'Base URL', true),
    row('api_keys', 'API keys', true), row('models', 'Models', true), row('weight', 'Weight'), row('timeout_ms', 'Timeout (ms)'),
    row('max_retries', 'Max retries'), row('enabled', 'Enabled')),
  general,
  h('div.actions', h('button', { type: 'submit' }, 'Save'), h('button.ghost', { type: 'button', on: { click: cancel } }, 'Cancel')));
  return form;
}
