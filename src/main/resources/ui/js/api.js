// Every call to the management API. The session is an HttpOnly cookie the browser sends by itself;
// the console header is the CSRF proof the gateway asks of cookie-authenticated mutations.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.param = e.param || null;
    this.problems = e.problems || [];
  }
}

let onUnauthorized = () => {};
export function whenSignedOut(fn) { onUnauthorized = fn; }

export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { 'x-junction-console': '1' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch('/api/v1' + path, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') onUnauthorized();
    throw new ApiError(res.status, json);
  }
  return json;
}

export const get = (path) => api('GET', path);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
