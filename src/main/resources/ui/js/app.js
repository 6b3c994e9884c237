import { api, whenSignedOut } from './api.js';
import { h, replace } from './dom.js';
import { overview } from './overview.js';
import { providers } from './providers.js';
import { models } from './models.js';
import { logs, logDetail } from './logs.js';
import { costs } from './costs.js';
import { keys } from './keys.js';

const main = document.getElementById('main');
const header = document.querySelector('header.top');
const routes = { overview, providers, models, logs, costs, keys };
/** Cleanup of the page shown (stops its live refresh). */
let leave = () => {};

async function route() {
  leave();
  leave = () => {};
  const [, page = 'overview', arg] = location.hash.replace(/^#\/?/, '/').split('/');
  for (const a of header.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === '#/' + page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const view = page === 'logs' && arg ? (el) => logDetail(el, arg) : routes[page];
  if (!view) {
    replace(main, h('h1', 'Not found'), h('p', h('a', { href: '#/overview' }, 'Back to the overview')));
    return;
  }
  const el = h('div');
  replace(main, el);
  try {
    leave = (await view(el)) || (() => {});
  } catch (e) {
    replace(el, h('h1', 'Something went wrong'), h('p.bad', e.message));
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · Junction console`;
}

function signIn(message) {
  leave();
  leave = () => {};
  header.hidden = true;
  const input = h('input', { type: 'password', name: 'key', id: 'key', autocomplete: 'current-password', required: true,
    'aria-describedby': 'key-error' });
  const error = h('div.field-error', { id: 'key-error', role: 'alert' }, message || '');
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { on: { submit: async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      await api('POST', '/session', { key: input.value });
      start();
    } catch (err) {
      error.textContent = err.status === 401 ? 'That is not the master key.' : err.message;
      input.select();
    } finally {
      button.disabled = false;
    }
  } } },
  h('label', { for: 'key' }, 'Master key'), input, error, button);
  replace(main, h('div.panel.signin', h('h1', 'Junction console'),
    h('p.muted', 'Sign in with the gateway\'s master key. It is exchanged for a session cookie and never stored in the browser.'),
    form));
  document.title = 'Sign in · Junction console';
  input.focus();
}

async function start() {
  const s = await api('GET', '/session');
  if (!s.signed_in) return signIn();
  header.hidden = false;
  document.getElementById('signout').hidden = s.open;
  if (!location.hash) location.replace('#/overview');
  route();
}

whenSignedOut(() => signIn('Your session ended; sign in again.'));
window.addEventListener('hashchange', () => { if (!header.hidden) route(); });
document.getElementById('signout').addEventListener('click', async () => {
  await api('DELETE', '/session');
  signIn();
});
start().catch((e) => replace(main, h('p.bad', 'Cannot reach the gateway: ' + e.message)));
