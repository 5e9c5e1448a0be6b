// Artikel: the filtered, paginated article list with each classification's
// explanation, and — for a reviewer with a valid token — sentiment
// corrections with their audit history.
import {
  $, h, replace, api, qs, initEntity, fmtInt, fmtScore, fmtDateTime, SENTIMENTS,
  sentimentLabel, mediaLabel, getToken, getReviewer, setAuth, clearAuth, checkToken, todayJakarta,
  loadSession, signedIn, mayReview, signOut, authed, byField,
} from '/assets/common.js';

const LIMIT = 20;
const FILTERS = ['sentiment', 'media_type', 'outlet', 'from', 'to', 'q', 'unreviewed', 'order'];

let entity;
let total = 0;
// A text search stops counting at the server's cap: "10.000+".
let totalCapped = false;
let offset = 0;
const outlets = new Set();

// Who the audit trail will name: the account (the server records it), or
// with the shared token the name typed in.
// (A stored shared token is what the requests present, so it decides.)
const reviewerName = () => (getToken() ? getReviewer() : signedIn()?.name);

// ------------------------------------------------------------------ reviewer

function renderAuth(message) {
  const box = $('#auth');
  const account = signedIn();
  if (account && !getToken()) {
    const can = mayReview();
    replace(box, h('div', { class: 'auth-state' },
      h('p', { 'data-testid': 'auth-state' }, 'Masuk sebagai ', h('strong', {}, account.name),
        ` (${account.role_label || account.role}). `,
        can ? 'Koreksi sentimen diaktifkan.' : 'Hanya baca: koreksi memerlukan peran analis.'),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'logout', onclick: signOut }, 'Keluar')));
    return;
  }
  if (authed()) {
    replace(box, h('div', { class: 'auth-state' },
      h('p', { 'data-testid': 'auth-state' }, 'Masuk sebagai ', h('strong', {}, getReviewer() || '—'),
        '. Koreksi sentimen diaktifkan.'),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'logout', onclick: logout }, 'Keluar')));
    return;
  }
  const err = h('p', { id: 'auth-error', class: 'field-error', role: 'alert' }, message || '');
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true });
  const reviewer = h('input', { id: 'reviewer', name: 'reviewer', type: 'text', autocomplete: 'name', required: true, maxlength: 100 });
  const form = h('form', { id: 'auth-form', class: 'form-grid', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Token peninjau'), token),
    h('div', { class: 'field' }, h('label', { for: 'reviewer' }, 'Nama peninjau'), reviewer),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'login' }, 'Masuk')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const t = token.value.trim();
    const name = reviewer.value.trim();
    token.removeAttribute('aria-invalid');
    reviewer.removeAttribute('aria-invalid');
    if (!t || !name) {
      const bad = !t ? token : reviewer;
      bad.setAttribute('aria-invalid', 'true');
      bad.setAttribute('aria-describedby', 'auth-error');
      replace(err, !t ? 'Token peninjau wajib diisi.' : 'Nama peninjau wajib diisi (tercatat di riwayat koreksi).');
      bad.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    replace(err, '');
    try {
      if (await checkToken(t)) {
        setAuth(t, name);
        renderAuth();
        renderList(lastItems);
        renderAudit();
      } else {
        token.setAttribute('aria-invalid', 'true');
        token.setAttribute('aria-describedby', 'auth-error');
        replace(err, 'Token salah. Periksa kembali token peninjau Anda.');
        token.focus();
      }
    } catch (e) {
      replace(err, `Token tidak dapat diperiksa: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  });
  const next = encodeURIComponent(location.pathname + location.search);
  replace(box,
    h('p', { class: 'notice', 'data-testid': 'readonly-note' },
      'Mode baca saja. ', h('a', { href: `/masuk?next=${next}` }, 'Masuk dengan akun'),
      ' untuk meninjau, atau masukkan token peninjau bersama.'),
    form, err);
}

function logout() {
  clearAuth();
  renderAuth();
  renderList(lastItems);
  renderAudit();
  $('#token')?.focus();
}

// ------------------------------------------------------------------ filters and URL

function readUrl() {
  const p = new URL(location.href).searchParams;
  for (const k of FILTERS) $('#filters').elements[k].value = p.get(k) || '';
  offset = Math.max(0, Number(p.get('offset')) || 0);
}

function filterValues() {
  const f = $('#filters').elements;
  const v = {};
  for (const k of FILTERS) v[k] = f[k].value.trim();
  return v;
}

function writeUrl(push) {
  const url = new URL(location.href);
  const v = { ...filterValues(), offset: offset || '' };
  for (const [k, val] of Object.entries(v)) {
    if (val) url.searchParams.set(k, val); else url.searchParams.delete(k);
  }
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

// ------------------------------------------------------------------ list

let lastItems = [];
let loadSeq = 0;

async function load() {
  const seq = ++loadSeq;
  const results = $('#results');
  results.dataset.state = 'loading';
  results.setAttribute('aria-busy', 'true');
  const query = qs({ entity: entity.id, ...filterValues(), limit: LIMIT, offset });
  results.dataset.query = query;
  try {
    const data = await api(`/api/v1/articles${query}`);
    if (seq !== loadSeq) return; // a newer request won
    total = data?.total ?? 0;
    totalCapped = Boolean(data?.total_capped);
    lastItems = data?.items || [];
    replace($('#list-error'), '');
    renderList(lastItems);
    results.dataset.state = 'ready';
  } catch (e) {
    if (seq !== loadSeq) return;
    lastItems = [];
    total = 0;
    totalCapped = false;
    renderList([]);
    replace($('#list-error'), `Daftar berita tidak dapat dimuat: ${e.message}`);
    results.dataset.state = 'error';
  } finally {
    if (seq === loadSeq) {
      results.removeAttribute('aria-busy');
      document.body.dataset.state = results.dataset.state;
    }
  }
}

function renderList(items) {
  const shown = totalCapped ? `${fmtInt(total)}+` : fmtInt(total);
  replace($('[data-testid="result-total"]'), shown);
  $('[data-testid="result-total"]').dataset.total = String(total);
  const from = total ? offset + 1 : 0;
  const to = Math.min(offset + items.length, total);
  replace($('#page-info'), total ? `${fmtInt(from)}–${fmtInt(to)} dari ${shown}` : '');
  $('#prev').disabled = offset <= 0;
  $('#next').disabled = offset + LIMIT >= total && !totalCapped;
  replace($('#article-list'), items.length
    ? items.map(renderArticle)
    : h('li', { class: 'muted' }, 'Tidak ada berita yang cocok dengan saringan ini.'));
  for (const a of items) {
    if (a.outlet) outlets.add(a.outlet);
    if (a.override) loadHistory(a);
  }
  replace($('#outlets'), [...outlets].sort().map((o) => h('option', { value: o })));
  renderBulk(items);
}

/** Only http(s) links: a feed could carry a javascript: URL. */
function safeUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const badge = (sentiment, attrs = {}) => h('span', { class: `status badge-${sentiment}`, ...attrs }, sentimentLabel(sentiment));

/** The scored text with each matched lexicon term marked and explained. */
function highlighted(segments) {
  const terms = [];
  const nodes = (segments || []).map((seg) => {
    if (typeof seg.weight !== 'number') return seg.text ?? '';
    const eff = typeof seg.effective === 'number' ? seg.effective : seg.weight;
    const mods = (seg.modifiers || []).length ? `, ${seg.modifiers.join(', ')}` : '';
    const why = `${seg.lemma || seg.text}: ${fmtScore(seg.weight)} → ${fmtScore(eff)}${mods}`;
    terms.push(why);
    const cls = eff < 0 ? 'term-neg' : eff > 0 ? 'term-pos' : 'term-zero';
    return h('mark', { class: `term ${cls}`, title: why, 'data-testid': 'term' }, seg.text ?? '');
  });
  return { nodes, terms };
}

function renderArticle(a) {
  const url = a.url ? safeUrl(a.url) : null;
  const { nodes, terms } = highlighted(a.segments);
  const overridden = a.override && a.effective !== undefined;
  const confirmed = overridden && a.effective === a.classified;
  const li = h('li', {
    class: 'article', 'data-testid': 'article', 'data-id': a.id, 'data-sentiment': a.effective, tabindex: -1,
  },
    h('h3', {}, url ? h('a', { href: url, rel: 'noopener noreferrer' }, a.title || '(tanpa judul)') : (a.title || '(tanpa judul)')),
    h('p', { class: 'meta' }, [a.outlet, mediaLabel(a.media_type, a.media_label), fmtDateTime(a.event_time)].filter(Boolean).join(' · ')),
    h('div', { class: 'assessment' },
      h('span', {}, 'Sentimen: ', badge(a.effective, { 'data-testid': 'sentiment-badge' })),
      confirmed ? h('span', { 'data-testid': 'override-note' },
        `dikonfirmasi oleh ${a.override.by || '—'}`, a.override.at ? ` (${fmtDateTime(a.override.at)})` : '') : null,
      overridden && !confirmed ? h('span', { 'data-testid': 'override-note' },
        `diubah oleh ${a.override.by || '—'}`, a.override.at ? ` (${fmtDateTime(a.override.at)})` : '',
        '; semula ', badge(a.classified)) : null,
      h('span', {}, `Skor ${fmtScore(a.score)}`),
      a.own_channel ? h('span', { class: 'muted', 'data-testid': 'own-channel', title: 'Publikasi kanal milik instansi sendiri: ditampilkan, tidak dihitung dalam persentase pemberitaan negatif' },
        'Kanal sendiri — tidak dihitung dalam IKU') : null),
    a.relevance ? h('p', {}, h('strong', {}, 'Relevansi: '), a.relevance) : null,
    overridden && !confirmed && a.override.reason ? h('p', {}, h('strong', {}, 'Alasan koreksi: '), a.override.reason) : null,
    nodes.length ? h('details', {},
      h('summary', {}, `Teks yang dinilai (${terms.length} istilah)`),
      h('div', { class: 'text', 'data-testid': 'article-text' }, nodes),
      terms.length ? h('p', { class: 'muted' }, 'Istilah: ', terms.join('; ')) : null) : null,
    authed() ? reviewForm(a) : null,
    h('div', { class: 'history', 'data-testid': 'history', hidden: true }));
  return li;
}

// ------------------------------------------------------------------ review

function reviewForm(a) {
  const id = a.id;
  const errId = `rv-e-${id}`;
  const select = h('select', { id: `rv-s-${id}`, name: 'sentiment', 'data-testid': 'review-sentiment' },
    SENTIMENTS.map(([v, label]) => h('option', { value: v, selected: v === a.effective }, label)));
  const reason = h('input', {
    id: `rv-r-${id}`, name: 'reason', type: 'text', maxlength: 2000, required: true, 'data-testid': 'review-reason',
  });
  const err = h('p', { id: errId, class: 'field-error', role: 'alert', 'data-testid': 'review-error' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'review-status' });
  const form = h('form', { class: 'review', 'data-testid': 'review-form', novalidate: true },
    h('div', { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: select.id }, 'Sentimen baru'), select),
      h('div', { class: 'field' }, h('label', { for: reason.id }, 'Alasan koreksi'), reason),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', 'data-testid': 'review-save' }, 'Simpan'),
        a.override ? null : h('button', {
          type: 'button', class: 'secondary', 'data-testid': 'review-confirm',
          title: 'Sentimen dari pengklasifikasi sudah benar: catat sebagai ditinjau',
        }, 'Konfirmasi benar'))),
    err, status);
  form.querySelector('[data-testid="review-confirm"]')?.addEventListener('click', async (ev) => {
    const button = ev.currentTarget;
    button.disabled = true;
    replace(err, '');
    try {
      await confirmArticle(a);
      renderBulk(lastItems);
      const fresh = renderArticle(a);
      form.closest('li').replaceWith(fresh);
      const st = fresh.querySelector('[data-testid="review-status"]');
      replace(st, `Dikonfirmasi: ${sentimentLabel(a.effective)}.`);
      st.tabIndex = -1;
      st.focus();
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        clearAuth();
        renderAuth('Token tidak lagi berlaku. Masuk kembali untuk meninjau.');
        renderList(lastItems);
        return;
      }
      replace(err, `Tidak tersimpan: ${e.message}`);
      button.disabled = false;
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    reason.removeAttribute('aria-invalid');
    replace(err, '');
    replace(status, '');
    const why = reason.value.trim();
    if (why.length < 3) {
      reason.setAttribute('aria-invalid', 'true');
      reason.setAttribute('aria-describedby', errId);
      replace(err, 'Alasan koreksi wajib diisi (minimal 3 karakter).');
      reason.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const entry = await api(`/api/v1/articles/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        auth: true,
        body: { entity: entity.id, sentiment: select.value, ...byField(), reason: why },
      });
      // Update the item in place from the audit entry.
      a.effective = entry?.new_sentiment || select.value;
      a.override = { by: entry?.by || reviewerName(), at: entry?.at || new Date().toISOString(), reason: entry?.reason || why };
      const fresh = renderArticle(a);
      form.closest('li').replaceWith(fresh);
      const st = fresh.querySelector('[data-testid="review-status"]');
      replace(st, `Tersimpan: ${sentimentLabel(entry?.old_sentiment)} → ${sentimentLabel(a.effective)}.`);
      st.tabIndex = -1;
      st.focus();
      await loadHistory(a);
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        // The token changed on the server: back to read-only, say why.
        clearAuth();
        renderAuth('Token tidak lagi berlaku. Masuk kembali untuk mengoreksi.');
        renderList(lastItems);
        $('#token')?.focus();
        return;
      }
      if (e.status === 422) {
        reason.setAttribute('aria-invalid', 'true');
        reason.setAttribute('aria-describedby', errId);
      }
      replace(err, `Tidak tersimpan: ${e.message}`);
      button.disabled = false;
    }
  });
  return form;
}

/** Records that the classifier was right about `a` (an audit entry with
 *  old = new), and marks it reviewed in place. */
async function confirmArticle(a) {
  const entry = await api(`/api/v1/articles/${encodeURIComponent(a.id)}/confirm`, {
    method: 'POST',
    auth: true,
    body: { entity: entity.id, ...byField() },
  });
  a.override = { by: entry?.by || reviewerName(), at: entry?.at || new Date().toISOString(), reason: entry?.reason };
  return entry;
}

/** The page's "confirm every unreviewed article shown" button. */
function renderBulk(items) {
  const open = authed() ? items.filter((a) => !a.override) : [];
  $('#bulk').hidden = open.length === 0;
  replace($('#bulk-confirm'), `Konfirmasi ${fmtInt(open.length)} berita belum ditinjau di halaman ini`);
  $('#bulk-confirm').disabled = false;
}

async function confirmPage() {
  const open = lastItems.filter((a) => !a.override);
  const button = $('#bulk-confirm');
  button.disabled = true;
  let done = 0;
  const failed = [];
  for (const a of open) {
    replace($('#bulk-status'), `Mengonfirmasi ${fmtInt(done + failed.length + 1)} dari ${fmtInt(open.length)}…`);
    try {
      await confirmArticle(a);
      done += 1;
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        clearAuth();
        renderAuth('Token tidak lagi berlaku. Masuk kembali untuk meninjau.');
        break;
      }
      failed.push(`${a.title || a.id}: ${e.message}`);
    }
  }
  renderList(lastItems);
  replace($('#bulk-status'), failed.length
    ? `${fmtInt(done)} dikonfirmasi; ${fmtInt(failed.length)} gagal (${failed.join('; ')}).`
    : `${fmtInt(done)} berita dikonfirmasi.`);
}

/** j/k move between the cards, c confirms the card in focus, / searches.
 *  Keys typed into a field are the field's. */
function onShortcut(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest?.('input, select, textarea, [contenteditable="true"]')) return;
  const cards = [...document.querySelectorAll('[data-testid="article"]')];
  const at = cards.indexOf(document.activeElement?.closest?.('[data-testid="article"]'));
  if (ev.key === 'j' || ev.key === 'k') {
    if (!cards.length) return;
    const next = ev.key === 'j' ? Math.min(at + 1, cards.length - 1) : Math.max(at - 1, 0);
    cards[next].focus();
    cards[next].scrollIntoView({ block: 'nearest' });
    ev.preventDefault();
  } else if (ev.key === 'c' && at >= 0) {
    cards[at].querySelector('[data-testid="review-confirm"]')?.click();
    ev.preventDefault();
  } else if (ev.key === '/') {
    $('#f-q').focus();
    ev.preventDefault();
  }
}

/** "Who changed what" under the item; silent when there is none. */
async function loadHistory(a) {
  let entries;
  try {
    entries = await api(`/api/v1/articles/${encodeURIComponent(a.id)}/history${qs({ entity: entity.id })}`);
  } catch {
    return;
  }
  const box = document.querySelector(`li[data-id="${CSS.escape(a.id)}"] [data-testid="history"]`);
  if (!box || !Array.isArray(entries) || !entries.length) return;
  replace(box, h('h4', {}, 'Riwayat perubahan'),
    h('ol', {}, entries.map((e) => h('li', { 'data-testid': 'history-entry' },
      `${fmtDateTime(e.at)} — `, h('strong', {}, e.by || '—'), ' mengubah ',
      sentimentLabel(e.old_sentiment), ' → ', sentimentLabel(e.new_sentiment),
      e.reason ? `: “${e.reason}”` : ''))));
  box.hidden = false;
}

// ------------------------------------------------------------------ audit mode

const VERDICTS = [...SENTIMENTS, ['not_relevant', 'Tidak relevan']];
const dec1 = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
let audit = null;

async function openAudit() {
  const period = $('#audit-period').value;
  const box = $('#audit-box');
  if (!/^\d{4}-\d{2}$/.test(period)) {
    replace(box, h('p', { class: 'field-error', role: 'alert' }, 'Pilih bulan sampel.'));
    return;
  }
  try {
    audit = await api(`/api/v1/audit${qs({ entity: entity.id, period })}`);
  } catch (e) {
    audit = null;
    replace(box, h('p', { class: 'error-box', role: 'alert' }, `Sampel tidak dapat dibaca: ${e.message}`));
    return;
  }
  renderAudit();
}

/** Progress, the estimate so far, and the next unreviewed article as a card. */
function renderAudit(status) {
  const box = $('#audit-box');
  if (!audit) { replace(box); return; }
  const items = audit.items || [];
  if (!items.length) {
    replace(box, h('p', { 'data-testid': 'audit-empty' },
      `Belum ada sampel audit untuk ${audit.period}. Tarik sampel dengan `,
      h('code', {}, `pantau audit draw --period ${audit.period} --size 80`), '.'));
    return;
  }
  const a = audit.audit;
  const estimate = a && a.estimate != null
    ? h('p', { 'data-testid': 'audit-estimate' }, 'Estimasi teraudit: ',
      h('strong', {}, `${dec1.format(a.estimate)} %`),
      ` (IK 95 %: ${dec1.format(a.ci_low)}–${dec1.format(a.ci_high)} %)`,
      a.reviews_for_2_points > 0 ? `; untuk ±2 poin tinjau ${fmtInt(a.reviews_for_2_points)} berita lagi.` : '.')
    : null;
  const next = items.find((i) => !i.verdict);
  const parts = [
    h('p', { 'data-testid': 'audit-progress', role: 'status' },
      `${fmtInt(audit.reviewed)} dari ${fmtInt(items.length)} berita sampel ${audit.period} sudah ditinjau.`),
    status ? h('p', { class: 'muted', 'data-testid': 'audit-status' }, status) : null,
    estimate,
  ];
  if (!next) {
    parts.push(h('p', { 'data-testid': 'audit-done' }, 'Semua berita sampel sudah ditinjau.'));
  } else if (!authed()) {
    parts.push(h('p', { class: 'notice' }, 'Masuk sebagai peninjau untuk mencatat hasil tinjauan.'));
  } else {
    parts.push(auditCard(next));
  }
  replace(box, ...parts);
}

function auditCard(item) {
  const url = item.url ? safeUrl(item.url) : null;
  const reason = h('input', { id: 'audit-reason', name: 'reason', type: 'text', maxlength: 2000, 'data-testid': 'audit-reason' });
  const err = h('p', { class: 'field-error', role: 'alert', 'data-testid': 'audit-error' });
  const send = async (verdict, button) => {
    replace(err, '');
    for (const b of card.querySelectorAll('button')) b.disabled = true;
    try {
      await api(`/api/v1/audit/${encodeURIComponent(item.id)}`, {
        method: 'PUT',
        auth: true,
        body: { entity: entity.id, verdict, ...byField(), reason: reason.value.trim() },
      });
      const said = `Tercatat: “${item.title}” — ${button.textContent}.`;
      await openAudit();
      renderAudit(said);
      const next = $('[data-testid="audit-card"] h3');
      if (next) { next.tabIndex = -1; next.focus(); }
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        clearAuth();
        renderAuth('Token tidak lagi berlaku. Masuk kembali untuk mencatat tinjauan.');
        renderAudit();
        return;
      }
      replace(err, `Tidak tersimpan: ${e.message}`);
      for (const b of card.querySelectorAll('button')) b.disabled = false;
    }
  };
  const card = h('article', { class: 'article', 'data-testid': 'audit-card', 'data-id': item.id },
    h('h3', {}, url ? h('a', { href: url, rel: 'noopener noreferrer' }, item.title || '(tanpa judul)') : (item.title || '(tanpa judul)')),
    h('p', { class: 'meta' }, [`#${item.seq + 1}`, item.outlet, mediaLabel(item.media_type), fmtDateTime(item.published)].filter(Boolean).join(' · ')),
    h('p', {}, 'Menurut pengklasifikasi: ', badge(item.sentiment)),
    h('div', { class: 'field' }, h('label', { for: reason.id }, 'Catatan (opsional)'), reason),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Sentimen sebenarnya' },
      VERDICTS.map(([v, label]) => {
        const b = h('button', { type: 'button', class: v === 'not_relevant' ? 'secondary' : '', 'data-testid': `audit-verdict-${v}` }, label);
        b.addEventListener('click', () => send(v, b));
        return b;
      })),
    err);
  return card;
}

// ------------------------------------------------------------------ start

async function fillOutlets() {
  try {
    const o = await api(`/api/v1/overview${qs({ entity: entity.id, days: 1 })}`);
    for (const f of o?.feeds || []) if (f.outlet) outlets.add(f.outlet);
    replace($('#outlets'), [...outlets].sort().map((x) => h('option', { value: x })));
  } catch {
    // Only suggestions: the field works without them.
  }
}

function validDates() {
  const { from, to } = filterValues();
  const err = $('#filter-error');
  const fields = [$('#f-from'), $('#f-to')];
  fields.forEach((f) => f.removeAttribute('aria-invalid'));
  if (from && to && from > to) {
    fields.forEach((f) => { f.setAttribute('aria-invalid', 'true'); f.setAttribute('aria-describedby', 'filter-error'); });
    replace(err, '"Dari tanggal" harus sebelum atau sama dengan "Sampai tanggal".');
    return false;
  }
  replace(err, '');
  return true;
}

entity = await initEntity();
await loadSession();
renderAuth();
readUrl();
$('#audit-period').value = todayJakarta().iso.slice(0, 7);
$('#audit-form').addEventListener('submit', (ev) => { ev.preventDefault(); openAudit(); });
$('#filters').addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (!validDates()) { $('#f-from').focus(); return; }
  offset = 0;
  writeUrl(true);
  load();
});
$('#f-reset').addEventListener('click', () => {
  $('#filters').reset();
  replace($('#filter-error'), '');
  offset = 0;
  writeUrl(true);
  load();
});
const page = (delta) => {
  offset = Math.max(0, offset + delta);
  writeUrl(true);
  load().then(() => $('#results-heading').focus());
};
$('#prev').addEventListener('click', () => page(-LIMIT));
$('#next').addEventListener('click', () => page(LIMIT));
window.addEventListener('popstate', () => { readUrl(); load(); });
$('#bulk-confirm').addEventListener('click', confirmPage);
document.addEventListener('keydown', onShortcut);

// A stored token is checked again: it may have been rotated since.
if (authed()) {
  checkToken(getToken()).then((ok) => {
    if (!ok) {
      clearAuth();
      renderAuth('Token tersimpan tidak lagi berlaku. Masuk kembali.');
      renderList(lastItems);
    }
  }).catch(() => {});
}
fillOutlets();
await load();
