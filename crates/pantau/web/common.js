// pantau — helpers shared by every page: DOM building, the JSON API,
// Indonesian number and date formats (times in WIB), who is signed in
// (the session, its CSRF token, the header's account box), the shared
// reviewer token of installations without accounts, the entity picker and
// the period chooser.
//
// Text from the API is always inserted as text nodes (never innerHTML):
// headlines and feed errors come from outside.

export const TZ = 'Asia/Jakarta';

// ------------------------------------------------------------------ DOM

/** Builds an element: h('a', {href: '#x', class: 'y', onclick: f}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** Same as h() for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** Replaces the children of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  fill(node, {}, children);
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// ------------------------------------------------------------------ formats

const dec2 = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/** Number with `digits` decimals, Indonesian style (1.234,56); '—' for null. */
export function fmtNum(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (digits === 2) return dec2.format(v);
  return new Intl.NumberFormat('id-ID', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/** A percentage: `24,44 %`, or `—` when there is none. */
export function fmtPct(v) {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : `${dec2.format(v)} %`;
}

/** An integer count: 1.234. */
export function fmtInt(v) {
  return v === null || v === undefined ? '—' : int.format(v);
}

/** A signed score: −0,42 / +1,10. */
export function fmtScore(v) {
  if (v === null || v === undefined) return '—';
  return (v > 0 ? '+' : v < 0 ? '−' : '') + dec2.format(Math.abs(v));
}

const dateTimeFmt = new Intl.DateTimeFormat('id-ID', {
  timeZone: TZ, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
// Calendar dates (YYYY-MM-DD) carry no time zone: formatting them in UTC
// keeps the day as written.
const dayFmt = new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const dayShortFmt = new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const monthFmt = new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** An instant (RFC 3339) as a WIB date and time: "12 Sep 2026, 10.30 WIB". */
export function fmtDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${dateTimeFmt.format(d)} WIB`;
}

/** A calendar date YYYY-MM-DD: "12 Sep 2026" (short: "12 Sep"). */
export function fmtDay(day, short = false) {
  if (!day) return '—';
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(day);
  return (short ? dayShortFmt : dayFmt).format(d);
}

/** A month key YYYY-MM: "September 2026". */
export function fmtMonth(key) {
  const d = new Date(`${key}-01T00:00:00Z`);
  return /^\d{4}-\d{2}$/.test(key) && !Number.isNaN(d.getTime()) ? monthFmt.format(d) : String(key);
}

/** Today's date in Jakarta: {year, month (1-12), day, iso}. */
export function todayJakarta() {
  // en-CA formats as YYYY-MM-DD.
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [year, month, day] = iso.split('-').map(Number);
  return { year, month, day, iso };
}

export const SENTIMENTS = [
  ['negative', 'Negatif'],
  ['neutral', 'Netral'],
  ['positive', 'Positif'],
];
export const sentimentLabel = (v) => (SENTIMENTS.find(([k]) => k === v) || [v, v || '—'])[1];

export const MEDIA_TYPES = [
  ['print', 'Media Cetak'],
  ['tv', 'Televisi'],
  ['radio', 'Radio'],
  ['online', 'Media Daring'],
  ['social', 'Media Sosial'],
];
/** One label per media type on every page; the server's label only for a type this file does not know. */
export const mediaLabel = (v, serverLabel) => (MEDIA_TYPES.find(([k]) => k === v) || [v, serverLabel || v || '—'])[1];

/** The status pill of a target: Tercapai / Tidak tercapai / why neither. */
export function statusPill(achieved, { noTarget = false } = {}) {
  if (achieved === true) return h('span', { class: 'status status-good' }, 'Tercapai');
  if (achieved === false) return h('span', { class: 'status status-bad' }, 'Tidak tercapai');
  return h('span', { class: 'status status-none' }, noTarget ? 'Tanpa target' : 'Belum ada data');
}

// ------------------------------------------------------------------ API

/** An HTTP error with the server's message, already in words for the user. */
export class ApiError extends Error {
  constructor(status, body, message) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** The server's error body as one line. */
function describe(status, body) {
  if (body && typeof body === 'object') {
    // Every problem when the server lists them, else its one message.
    if (Array.isArray(body.errors) && body.errors.length) {
      return body.errors.map((e) => (typeof e === 'string' ? e : `${e.field}: ${e.message}`)).join('; ');
    }
    if (typeof body.error === 'string') return body.error;
  }
  if (status === 0) return 'Tidak dapat menghubungi server pantau.';
  if (status === 404) return 'Tidak ditemukan (404).';
  return `Permintaan gagal (HTTP ${status}).`;
}

/** How often a read answered "busy" (503 with Retry-After) is tried again. */
const RETRIES_ON_BUSY = 3;

/**
 * Calls the JSON API. `auth: true` sends the reviewer token. Resolves to the
 * parsed body (null for an empty one); rejects with an ApiError.
 */
export async function api(path, { method = 'GET', body, auth = false, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const bearer = token ?? (auth ? getToken() : null);
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  // A signed-in session's writes echo its CSRF token (the cookie alone is
  // refused: a cross-site form could send that).
  if (method !== 'GET' && sessionInfo?.csrf) headers['X-CSRF-Token'] = sessionInfo.csrf;
  let res;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(path, {
        method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, null, describe(0, null));
    }
    // A busy server sheds heavy reads with 503 and Retry-After: a page's
    // reads wait their turn instead of failing (writes are never repeated).
    const retryAfter = res.headers.get('Retry-After');
    const wait = retryAfter === null ? NaN : Number(retryAfter);
    if (res.status !== 503 || method !== 'GET' || !(wait >= 0) || attempt >= RETRIES_ON_BUSY) break;
    await new Promise((ok) => { setTimeout(ok, Math.min(wait, 5) * 1000 + Math.random() * 250); });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!res.ok) throw new ApiError(res.status, data, describe(res.status, data));
  return data;
}

/** A query string from an object, leaving out empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const str = q.toString();
  return str ? `?${str}` : '';
}

// ------------------------------------------------------------------ session

let sessionInfo = null;
let sessionAsked = null;

/**
 * Who is signed in: resolves to {account: {name, role, role_label} | null,
 * csrf, login_required}, asked of the server once per page.
 */
export function loadSession() {
  sessionAsked ??= api('/api/v1/session')
    .catch(() => ({ account: null, csrf: null, login_required: false }))
    .then((s) => { sessionInfo = s; renderAccountBox(s); return s; });
  return sessionAsked;
}

/** The signed-in account, when the session was loaded and has one. */
export const signedIn = () => (sessionInfo?.account?.name ? sessionInfo.account : null);

/** Whether the signed-in account may review (analyst or admin). */
export const mayReview = () => ['analyst', 'admin'].includes(signedIn()?.role);

/** Ends the session, then reloads the page (a private one sends to /masuk). */
export async function signOut() {
  try { await api('/api/v1/session', { method: 'DELETE' }); } catch { /* signed out anyway */ }
  location.reload();
}

function renderAccountBox(s) {
  const box = $('#account-box');
  if (!box) return;
  const a = s?.account?.name ? s.account : null;
  if (a) {
    replace(box,
      h('span', { 'data-testid': 'account-name' }, `${a.name} (${a.role_label || a.role})`),
      h('button', { type: 'button', class: 'link', 'data-testid': 'sign-out', onclick: signOut }, 'Keluar'));
  } else {
    const next = encodeURIComponent(location.pathname + location.search);
    replace(box, h('a', { href: `/masuk?next=${next}`, 'data-testid': 'sign-in-link' }, 'Masuk'));
  }
}

// ------------------------------------------------------------------ reviewer token

// The shared token of installations from before accounts (http.api_token):
// its reviews name their reviewer.

// sessionStorage: the token lives as long as the tab, never on disk.
const TOKEN_KEY = 'pantau.token';
const REVIEWER_KEY = 'pantau.reviewer';

export const getToken = () => sessionStorage.getItem(TOKEN_KEY);
export const getReviewer = () => sessionStorage.getItem(REVIEWER_KEY);

/**
 * Whether this page may write reviews: a signed-in analyst or admin, or
 * the shared token of an installation without accounts.
 */
export const authed = () => mayReview() || Boolean(getToken());

/** What a review's body says of who: with the shared token the name typed in; an account's are the account's. */
export const byField = () => (getToken() ? { by: getReviewer() || '' } : {});

export function setAuth(token, reviewer) {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(REVIEWER_KEY, reviewer);
}

export function clearAuth() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(REVIEWER_KEY);
}

/** Asks the server whether `token` is right: true, false, or throws when it cannot tell. */
export async function checkToken(token) {
  try {
    await api('/api/v1/auth/check', { token });
    return true;
  } catch (e) {
    if (e.status === 401 || e.status === 403) return false;
    throw e;
  }
}

// ------------------------------------------------------------------ entity picker

const DEFAULT_ENTITY = 'kemensos';

/**
 * Fills the header's entity picker and resolves to the chosen entity
 * ({id, name, target_pct}). The choice lives in the URL (?entity=) so a
 * link shows the same view; the picker is hidden with a single entity.
 */
export async function initEntity() {
  const url = new URL(location.href);
  let entities = [];
  try {
    entities = (await api('/api/v1/entities')) || [];
  } catch {
    // An older server without /entities: the single default entity.
  }
  if (!entities.length) entities = [{ id: url.searchParams.get('entity') || DEFAULT_ENTITY, name: '', target_pct: null }];
  const wanted = url.searchParams.get('entity') || localStorage.getItem('pantau.entity');
  const chosen = entities.find((e) => e.id === wanted) || entities[0];
  const wrap = $('#entity-picker');
  const select = $('#entity');
  if (wrap && select) {
    replace(select, entities.map((e) => h('option', { value: e.id, selected: e.id === chosen.id }, e.name || e.id)));
    wrap.hidden = entities.length < 2;
    select.addEventListener('change', () => {
      localStorage.setItem('pantau.entity', select.value);
      url.searchParams.set('entity', select.value);
      location.assign(url.toString());
    });
  }
  return chosen;
}

// ------------------------------------------------------------------ period chooser

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const QUARTERS = ['I (Januari–Maret)', 'II (April–Juni)', 'III (Juli–September)', 'IV (Oktober–Desember)'];

/** The period of today in Jakarta: 'year' → 2026, 'quarter' → 2026-Q3, 'month' → 2026-09. */
export function currentPeriod(kind) {
  const t = todayJakarta();
  if (kind === 'year') return String(t.year);
  if (kind === 'month') return `${t.year}-${String(t.month).padStart(2, '0')}`;
  return `${t.year}-Q${Math.ceil(t.month / 3)}`;
}

/** A period string in words: "Triwulan III 2026", "September 2026", "1 Jan 2026 – 31 Mar 2026". */
export function periodLabel(p) {
  let m;
  if ((m = /^(\d{4})$/.exec(p))) return `Tahun ${m[1]}`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) return `Triwulan ${['I', 'II', 'III', 'IV'][m[2] - 1]} ${m[1]}`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return `${MONTHS[Number(m[2]) - 1] || m[2]} ${m[1]}`;
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(p))) return `${fmtDay(m[1])} – ${fmtDay(m[2])}`;
  return p;
}

/**
 * Builds the period fields inside `container` (kind, year, quarter, month,
 * from, to — each labelled) and returns {get, set}: get() is the period
 * string or throws an Error with a message for the user.
 */
export function periodChooser(container, initial) {
  const t = todayJakarta();
  const field = (id, label, control) => h('div', { class: 'field', id: `${id}-field` }, h('label', { for: id }, label), control);
  const kind = h('select', { id: 'period-kind', name: 'kind' },
    h('option', { value: 'year' }, 'Tahunan'),
    h('option', { value: 'quarter' }, 'Triwulan'),
    h('option', { value: 'month' }, 'Bulanan'),
    h('option', { value: 'range' }, 'Rentang tanggal'));
  const year = h('input', { id: 'period-year', name: 'year', type: 'number', min: 2000, max: 2100, step: 1, value: t.year, inputmode: 'numeric' });
  const quarter = h('select', { id: 'period-quarter', name: 'quarter' }, QUARTERS.map((q, i) => h('option', { value: i + 1 }, q)));
  const month = h('select', { id: 'period-month', name: 'month' }, MONTHS.map((q, i) => h('option', { value: String(i + 1).padStart(2, '0') }, q)));
  const from = h('input', { id: 'period-from', name: 'from', type: 'date' });
  const to = h('input', { id: 'period-to', name: 'to', type: 'date' });
  container.append(
    field('period-kind', 'Jenis periode', kind),
    field('period-year', 'Tahun', year),
    field('period-quarter', 'Triwulan', quarter),
    field('period-month', 'Bulan', month),
    field('period-from', 'Dari tanggal', from),
    field('period-to', 'Sampai tanggal', to),
  );
  const show = () => {
    const k = kind.value;
    $('#period-year-field', container).hidden = k === 'range';
    $('#period-quarter-field', container).hidden = k !== 'quarter';
    $('#period-month-field', container).hidden = k !== 'month';
    $('#period-from-field', container).hidden = k !== 'range';
    $('#period-to-field', container).hidden = k !== 'range';
  };
  kind.addEventListener('change', show);

  const set = (p) => {
    let m;
    quarter.value = String(Math.ceil(t.month / 3));
    month.value = String(t.month).padStart(2, '0');
    if ((m = /^(\d{4})$/.exec(p))) { kind.value = 'year'; year.value = m[1]; }
    else if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) { kind.value = 'quarter'; year.value = m[1]; quarter.value = m[2]; }
    else if ((m = /^(\d{4})-(\d{2})$/.exec(p))) { kind.value = 'month'; year.value = m[1]; month.value = m[2]; }
    else if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(p))) { kind.value = 'range'; from.value = m[1]; to.value = m[2]; }
    show();
  };
  const get = () => {
    const k = kind.value;
    if (k === 'range') {
      if (!from.value || !to.value) throw new Error('Isi tanggal awal dan tanggal akhir rentang.');
      if (from.value > to.value) throw new Error('Tanggal awal harus sebelum atau sama dengan tanggal akhir.');
      return `${from.value}..${to.value}`;
    }
    const y = Number(year.value);
    if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new Error('Tahun harus antara 2000 dan 2100.');
    if (k === 'year') return String(y);
    if (k === 'quarter') return `${y}-Q${quarter.value}`;
    return `${y}-${month.value}`;
  };
  set(initial);
  return { get, set };
}

/**
 * The period form of a report page: the chooser in #period-fields, the
 * period from the URL (else the current `defaultKind` period), errors in
 * #period-error, back/forward navigation. `show(period, push)` renders a
 * period; resolves once the first one is shown.
 */
export async function periodPage(defaultKind, show) {
  const fromUrl = () => new URL(location.href).searchParams.get('period') || currentPeriod(defaultKind);
  const initial = fromUrl();
  const chooser = periodChooser($('#period-fields'), initial);
  $('#period-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    let period;
    try {
      period = chooser.get();
    } catch (e) {
      replace($('#period-error'), e.message);
      return;
    }
    replace($('#period-error'), '');
    show(period, true);
  });
  window.addEventListener('popstate', () => {
    const p = fromUrl();
    chooser.set(p);
    show(p, false);
  });
  // The URL's period as written: the server says what is wrong with a bad one.
  await show(initial, false);
}
if (document.getElementById('account-box')) loadSession();
