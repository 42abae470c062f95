// The one way the pages talk to the gateway's REST API (/api/v1). It sends the session cookie, the
// CSRF token on every change, an idempotency key per change (kept across its retries, so a retry never
// does a thing twice), retries once the server said it was busy (503, 504), and turns every error into
// an ApiError whose text is in the person's language. Nothing here logs a request or an answer: they
// can hold personal data.
import { t } from './i18n.js';

let sessionInfo = null;

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code || String(status));
    this.status = status;
    this.code = code || '';
    this.detail = detail || '';
  }

  // What the person reads: a sentence of their language, then the server's precise reason for bad
  // input (it names the field and never holds personal data).
  text() {
    const key = this.status === 0 ? 'error.network' : `error.${this.code || this.status}`;
    let sentence = t(key);
    if (sentence === key) sentence = t('error.other', { status: this.status });
    if ((this.code === 'INVALID_ARGUMENT' || this.code === 'FAILED_PRECONDITION') && this.detail) {
      return `${sentence} (${this.detail})`;
    }
    return sentence;
  }
}

function newKey() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    for (const v of Array.isArray(value) ? value : [value]) q.append(name, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(method, path, body, key) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    if (sessionInfo && sessionInfo.csrf_token) headers['X-CSRF-Token'] = sessionInfo.csrf_token;
    if (key) headers['Idempotency-Key'] = key;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;
  }
  if (response.ok && json) return json;
  const error = json && json.error ? json.error : {};
  const e = new ApiError(response.status, error.code, error.message);
  e.retryAfter = Number(response.headers.get('Retry-After')) || 0;
  throw e;
}

// The gateway's own routes (sign-in, accounts, API keys) take no idempotency key: the gateway refuses
// one there. Every change of the services takes one.
const keyless = (path) => path.startsWith('/auth/') || path.startsWith('/admin/');

// method: GET, POST, PUT, DELETE. A change (not GET) gets an idempotency key, reused by its retries.
export async function call(method, path, body, { idempotent = method !== 'GET' && !keyless(path) } = {}) {
  const key = idempotent ? newKey() : '';
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(method, path, body, key);
    } catch (e) {
      const busy = e.status === 503 || e.status === 504 || e.status === 0;
      if (!busy || attempt >= 2) {
        if (e.status === 401 && !path.startsWith('/auth/')) goToSignIn();
        throw e;
      }
      await sleep(Math.min(5, e.retryAfter || attempt + 1) * 1000);
    }
  }
}

export const get = (path, params) => call('GET', path + query(params));
export const post = (path, body = {}) => call('POST', path, body);
export const put = (path, body = {}) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

// Path segments are ids chosen by people or the server: always encoded.
export const seg = (s) => encodeURIComponent(String(s));

export function goToSignIn() {
  const here = location.pathname + location.search;
  location.assign(`/login.html?next=${encodeURIComponent(here)}`);
}

// Who is signed in, or null. Cached for the page's life; signIn and signOut change it.
export async function session({ required = true } = {}) {
  if (sessionInfo) return sessionInfo;
  try {
    sessionInfo = await send('GET', '/auth/session');
    return sessionInfo;
  } catch (e) {
    if (e.status === 401) {
      if (required) goToSignIn();
      return null;
    }
    throw e;
  }
}

export async function signIn(username, password) {
  sessionInfo = await send('POST', '/auth/login', { username, password });
  return sessionInfo;
}

export async function signOut() {
  try {
    await send('POST', '/auth/logout', {});
  } finally {
    sessionInfo = null;
  }
}

// The page of each role after signing in.
export const HOME = {
  operator: '/operator.html',
  medical: '/operator.html',
  shelter: '/shelter.html',
  team: '/team.html',
  workshop: '/workshop.html',
  monitoring: '/monitoring.html',
  admin: '/admin.html',
};
