import { get } from './api.js';
import { h, replace, table } from './dom.js';

export async function models(el) {
  const vms = (await get('/virtual-models')).data;
  replace(el, h('h1', 'Virtual models'),
    h('p.muted', 'Names clients may ask for that route to one or more provider models (set in the config file).'),
    h('div.panel', table([
      { label: 'Name', get: (m) => h('b', m.name) },
      { label: 'Strategy', get: (m) => m.strategy || 'fallback' },
      { label: 'Sticky', get: (m) => m.sticky || '–', hideNarrow: true },
      { label: 'Targets', get: (m) => h('ol', m.targets.map((t) => h('li', `${t.provider}/${t.model}`, t.weight !== 1 ? ` (weight ${t.weight})` : ''))) },
    ], vms)));
}
