// The web UI, driven in headless Chromium and checked against the JSON API
// of the same running pantau (numbers are fetched, never hard-coded).
//
//   PANTAU_URL      the running pantau (default http://127.0.0.1:9464)
//   PANTAU_TOKEN    the review token (http.api_token)
//   PANTAU_AUDIT_PERIOD  a month (YYYY-MM) with an unreviewed audit sample
//   SCREENSHOT_DIR  where full-page PNGs go (none when unset)
//   CHROMIUM        the browser (default /usr/bin/chromium)
//   PANTAU_BROWSER_NODE  where playwright-core is installed (scripts/browser.sh)
//   PANTAU_WEB_DIR  development aid: serve /assets/* from this directory
//                   (e.g. crates/pantau/web) instead of the binary. The pages
//                   are embedded at build time, so this is how a CSS or JS
//                   edit is tried without rebuilding; unset, nothing changes.
//
// Run it with `scripts/browser.sh run`. It changes data: one negative
// article becomes positive and one survey response is stored.
// Every page (and the states worth seeing: reviewer mode, form errors) is
// also checked for WCAG 2.x AA text contrast (see checkContrast).
// Prints one line per check and "N passed, N failed"; exits 1 on a failure.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, SHOTS, fail, finish, loadPlaywright, pass, section, shot } from './harness.mjs';

const BASE = (process.env.PANTAU_URL || 'http://127.0.0.1:9464').replace(/\/+$/, '');
const TOKEN = process.env.PANTAU_TOKEN || '';
const ENTITY = process.env.PANTAU_ENTITY || 'kemensos';
const WEB_DIR = process.env.PANTAU_WEB_DIR ? path.resolve(process.env.PANTAU_WEB_DIR) : '';
const WAIT_MS = 15_000;
const PAGE_SIZE = 20; // artikel.js shows 20 per page

// ------------------------------------------------------------------ API and formats

async function apiGet(p, { allow404 = false } = {}) {
  const res = await fetch(BASE + p, { headers: { Accept: 'application/json' } });
  if (allow404 && res.status === 404) return null;
  const text = await res.text();
  assert.ok(res.ok, `GET ${p} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** The page's percentage format: two decimals, decimal comma, " %"; "—" for none. */
const fmtPct = (v) => (v === null || v === undefined ? '—' : `${fmt2(v)} %`);
const fmt2 = (v) => v.toFixed(2).replace('.', ',');
const digits = (t) => Number(String(t).replace(/\D/g, ''));

async function kpiOf() {
  const all = await apiGet(`/api/v1/kpi?entity=${ENTITY}`);
  const k = all.find((x) => x.entity === ENTITY);
  assert.ok(k, `/api/v1/kpi has no entity ${ENTITY}`);
  return k;
}

const jakartaToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function poll(what, fn, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last.ok) return last;
    if (Date.now() > end) throw new Error(`${what}: still ${last.got} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ------------------------------------------------------------------ page helpers

/** Loads a page and waits until its script says the data is in (body[data-state]). */
async function open(page, p) {
  await page.goto(BASE + p);
  await page.waitForSelector('body:not([data-state="loading"])', { timeout: WAIT_MS });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready') {
    const err = await page.locator('[role="alert"]').allTextContents();
    throw new Error(`${p}: page state ${state}: ${err.join(' ').trim() || '(no message)'}`);
  }
}

async function text(page, sel) {
  const loc = page.locator(sel);
  await loc.first().waitFor({ timeout: WAIT_MS });
  return (await loc.first().textContent()).trim();
}

/** Every window's percentage on Ringkasan equals the API's (re-read once if the numbers moved in between). */
async function checkKpiCards(page) {
  let mismatch;
  for (let attempt = 0; attempt < 3; attempt++) {
    await open(page, '/ringkasan');
    const k = await kpiOf();
    mismatch = null;
    for (const w of k.windows) {
      const shown = await text(page, `[data-testid="kpi-pct-${w.window}"]`);
      if (shown !== fmtPct(w.negative_pct)) mismatch = `${w.window}: page ${JSON.stringify(shown)}, API ${fmtPct(w.negative_pct)}`;
    }
    if (!mismatch) return k;
  }
  throw new Error(`KPI card differs from /api/v1/kpi: ${mismatch}`);
}

/** The outlook cards and spikes on Ringkasan match /api/v1/outlook (re-read if they moved). */
async function checkOutlook(page) {
  let mismatch;
  for (let attempt = 0; attempt < 3; attempt++) {
    await open(page, '/ringkasan');
    const o = await apiGet(`/api/v1/outlook?entity=${ENTITY}`);
    mismatch = null;
    for (const key of ['month', 'quarter', 'year']) {
      if (!o[key]) continue;
      const shown = await text(page, `[data-testid="outlook-pct-${key}"]`);
      if (shown !== fmtPct(o[key].projected_percent)) mismatch = `${key}: page ${JSON.stringify(shown)}, API ${fmtPct(o[key].projected_percent)}`;
      if (o[key].remaining_budget != null) {
        const budget = await text(page, `[data-testid="outlook-budget-${key}"]`);
        if (!budget.includes(o[key].remaining_budget.toLocaleString('id-ID'))) mismatch = `${key} budget: page ${JSON.stringify(budget)}, API ${o[key].remaining_budget}`;
      }
    }
    const spikes = await page.locator('[data-testid="spike"]').count();
    const calm = await page.locator('[data-testid="no-spike"]').count();
    if (spikes !== o.spikes.length || calm !== (o.spikes.length ? 0 : 1)) mismatch = `spikes: page ${spikes} (calm ${calm}), API ${o.spikes.length}`;
    if (!mismatch) return o;
  }
  throw new Error(`outlook differs from /api/v1/outlook: ${mismatch}`);
}

/** Tab from the top: the skip link first, then the main navigation. */
async function checkKeyboard(page, p) {
  await open(page, p);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, href: document.activeElement.getAttribute('href') }));
  assert.ok(first.cls.includes('skip-link'), `${p}: first Tab stop is ${JSON.stringify(first)}, not the skip link`);
  await page.keyboard.press('Tab');
  const second = await page.evaluate(() => ({ nav: Boolean(document.activeElement.closest('nav')), text: document.activeElement.textContent.trim() }));
  assert.ok(second.nav, `${p}: second Tab stop ${JSON.stringify(second.text)} is not in the navigation`);
  const current = await page.locator('nav a[aria-current="page"]').count();
  assert.equal(current, 1, `${p}: ${current} nav links with aria-current="page"`);
  pass(`${p}: Tab reaches the skip link, then the navigation (aria-current set)`);
}

/** Every visible-kind form control has an accessible name from a label or ARIA. */
async function checkLabels(page, where) {
  const unlabelled = await page.$$eval('input, select, textarea', (els) => els
    .filter((e) => e.type !== 'hidden')
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    .map((e) => e.id || e.name || e.outerHTML.slice(0, 80)));
  const n = await page.locator('input, select, textarea').count();
  assert.deepEqual(unlabelled, [], `${where}: controls without a label`);
  pass(`${where}: all ${n} form controls are labelled`);
}

// ------------------------------------------------------------------ contrast

/**
 * Runs in the page: every visible element that directly holds non-whitespace
 * text (plus the value or placeholder shown in a text field or select), with
 * its text colour, effective background and WCAG 2.x contrast ratio.
 *
 * The background is found by walking up the ancestors until an opaque
 * background-color; semi-transparent ones on the way are alpha-blended, and
 * white is assumed below the root. The text colour is blended over that
 * background with its own alpha times the opacity of the element and its
 * ancestors (slightly strict when the faded subtree also holds the
 * background). SVG text is painted with `fill`, so that is its colour.
 * Limits: what lies underneath only by position (absolute or overlapping
 * siblings, SVG shapes) is not seen; ::before/::after content is not
 * checked (app.css has none). Text over a background-image or gradient
 * cannot be judged from colours, so it is returned as skipped, not passed
 * (app.css uses none). Disabled controls are skipped: WCAG 1.4.3 exempts
 * inactive user interface components. Text that is not rendered — hidden,
 * clipped to 1 px (.visually-hidden), or outside the page (.skip-link until
 * focused) — is not looked at.
 */
function scanContrast() {
  const canvas = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  /** Any CSS colour → [r, g, b, a] with r, g, b in 0..255 and a in 0..1. */
  const parse = (c) => {
    const m = /^rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\)$/.exec(c.trim());
    if (m) {
      let a = m[4] === undefined ? 1 : parseFloat(m[4]);
      if (m[4]?.endsWith('%')) a /= 100;
      return [+m[1], +m[2], +m[3], a];
    }
    // Anything else (color(), oklch(), keywords): let the canvas paint it.
    canvas.clearRect(0, 0, 1, 1);
    canvas.fillStyle = '#000';
    canvas.fillStyle = c;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  /** `top` (with alpha) over the opaque `under`. */
  const over = (top, under, alpha = top[3]) => [0, 1, 2].map((i) => top[i] * alpha + under[i] * (1 - alpha)).concat(1);
  const lum = ([r, g, b]) => {
    const ch = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const parentOf = (el) => el.parentElement || el.getRootNode()?.host || null;

  /** A short CSS-ish path: tag#id.class[data-testid], up to an id or 5 levels. */
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = parentOf(e)) {
      let part = e.localName;
      if (e.id) part += `#${e.id}`;
      const cls = (e.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
      if (cls.length) part += '.' + cls.join('.');
      const tid = e.getAttribute('data-testid');
      if (tid) part += `[data-testid="${tid}"]`;
      parts.unshift(part);
      if (e.id || e === document.body) break;
    }
    return parts.join(' > ');
  };

  /** Not rendered for a sighted reader, or clipped to nothing, or off the page. */
  const invisible = (el) => {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return true;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return true;
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return true;
    for (let e = el; e && e !== document.documentElement; e = parentOf(e)) {
      const cs = getComputedStyle(e);
      const clips = cs.overflow !== 'visible' || cs.clip !== 'auto' || cs.clipPath !== 'none';
      if (clips) {
        const b = e.getBoundingClientRect();
        if (b.width <= 1 || b.height <= 1) return true;
      }
    }
    return false;
  };

  /** The opaque colour behind el, or {image} if a background image is in the way. */
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = parentOf(e)) {
      const cs = getComputedStyle(e);
      // The colour under an image or gradient is not what the reader sees.
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return { image: where(e) };
      const c = parse(cs.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return { bg };
  };

  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = parentOf(e)) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };

  const results = [];
  const skipped = [];
  const measure = (el, text, colour, extraAlpha = 1) => {
    const cs = getComputedStyle(el);
    const b = background(el);
    if (b.image) { skipped.push({ where: where(el), text, why: `background image on ${b.image}` }); return; }
    const fg = parse(colour);
    const shown = over(fg, b.bg, fg[3] * extraAlpha * opacity(el));
    const px = parseFloat(cs.fontSize);
    const bold = parseInt(cs.fontWeight, 10) >= 700;
    const large = px >= 24 || (bold && px >= 18.66);
    results.push({
      where: where(el), text: text.replace(/\s+/g, ' ').trim().slice(0, 40),
      fg: hex(shown), bg: hex(b.bg), ratio: ratio(shown, b.bg),
      need: large ? 3 : 4.5, size: `${Math.round(px * 10) / 10}px${bold ? ' bold' : ''}`,
    });
  };

  const NOT_TEXT = new Set(['script', 'style', 'noscript', 'template', 'title', 'desc', 'metadata', 'option', 'optgroup', 'datalist', 'head']);
  const FIELD_TYPES = new Set(['text', 'search', 'number', 'date', 'password', 'email', 'tel', 'url']);
  for (const el of document.body.querySelectorAll('*')) {
    const tag = el.localName;
    if (NOT_TEXT.has(tag)) continue;
    if (el.closest(':disabled, [aria-disabled="true"]')) continue;
    let own = '';
    if (tag === 'select') own = el.selectedOptions[0]?.textContent || '';
    else if (tag === 'input' && ['submit', 'button', 'reset'].includes(el.type)) own = el.value;
    else if (tag === 'input' || tag === 'textarea') {
      if (tag === 'input' && !FIELD_TYPES.has(el.type)) continue;
      if (!el.value && el.placeholder) {
        if (invisible(el)) continue;
        measure(el, el.placeholder, getComputedStyle(el, '::placeholder').color);
        continue;
      }
      own = el.value;
    } else {
      for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE) own += n.data;
    }
    if (!own.trim() || invisible(el)) continue;
    if (el instanceof SVGElement) {
      const cs = getComputedStyle(el);
      if (!/^(rgb|color|#)/.test(cs.fill)) { skipped.push({ where: where(el), text: own, why: `fill ${cs.fill}` }); continue; }
      measure(el, own, cs.fill, parseFloat(cs.fillOpacity));
    } else {
      measure(el, own, getComputedStyle(el).color);
    }
  }
  return { results, skipped };
}

/**
 * WCAG 2.x AA (1.4.3) on what the page shows now: >= 4.5:1 for normal text,
 * >= 3:1 for large text (>= 24px, or >= 18.66px bold). A failure is counted
 * and listed but does not end the section: the functional checks go on.
 */
async function checkContrast(page, where) {
  const { results, skipped } = await page.evaluate(scanContrast);
  assert.ok(results.length > 0, `${where}: no text found to check contrast on`);
  // WCAG's ratios are thresholds, not to be rounded up: show two decimals, floored.
  const show = (r) => (Math.floor(r * 100) / 100).toFixed(2);
  const lowest = results.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const bad = results.filter((r) => r.ratio < r.need);
  const skipNote = skipped.length ? `; ${skipped.length} skipped: ${[...new Set(skipped.map((s) => s.why))].join(', ')}` : '';
  if (!bad.length) {
    pass(`${where}: ${results.length} text elements meet WCAG AA contrast (lowest ${show(lowest.ratio)}:1${skipNote})`);
    console.log(`#   lowest: ${lowest.where} ${JSON.stringify(lowest.text)} ${lowest.fg} on ${lowest.bg}, ${lowest.size}`);
    return;
  }
  fail();
  // Twenty article rows with the same grey are one problem: group by path and colours.
  const groups = new Map();
  for (const r of bad) {
    const key = `${r.where}|${r.fg}|${r.bg}|${r.size}`;
    const g = groups.get(key) || { ...r, n: 0 };
    g.n++;
    g.ratio = Math.min(g.ratio, r.ratio);
    groups.set(key, g);
  }
  const lines = [...groups.values()].sort((a, b) => a.ratio - b.ratio).map((g) =>
    `${g.where} ${JSON.stringify(g.text)}${g.n > 1 ? ` (×${g.n})` : ''}: ${g.fg} on ${g.bg}, ${g.size}: ${show(g.ratio)}:1 < ${g.need}:1`);
  const MAX = 15;
  const more = lines.length > MAX ? [`… and ${lines.length - MAX} more`] : [];
  console.log(`not ok - ${where}: ${bad.length} of ${results.length} text elements below WCAG AA contrast (lowest ${show(lowest.ratio)}:1${skipNote})\n    ${lines.slice(0, MAX).concat(more).join('\n    ')}`);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `contrast-${where.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'root'}.png`), fullPage: true }).catch(() => {});
}

// ------------------------------------------------------------------ main

const { chromium } = loadPlaywright();
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
// A hung browser must not hang the Rust test that runs this.
setTimeout(() => { console.log('not ok - the browser test took more than 5 minutes'); process.exit(1); }, 300_000).unref();

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
context.setDefaultTimeout(WAIT_MS);
if (WEB_DIR) {
  // Development aid (see the top): the binary's assets, replaced by the files on disk.
  const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };
  await context.route(`${BASE}/assets/**`, async (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/assets\//, ''));
    const file = path.join(WEB_DIR, name);
    if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file)) return route.continue();
    await route.fulfill({ status: 200, contentType: TYPES[name.split('.').pop()] || 'application/octet-stream', body: fs.readFileSync(file) });
  });
  console.log(`# PANTAU_WEB_DIR: /assets/* served from ${WEB_DIR}, not from the binary`);
}
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
page.on('response', (r) => {
  if (r.url().startsWith(`${BASE}/assets/`) && r.status() >= 400) pageErrors.push(`${r.url()}: HTTP ${r.status()}`);
});
let surveyPosts = 0;
page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/v1/survey/responses')) surveyPosts++; });

try {
  await section('ringkasan', page, async () => {
    const k = await checkKpiCards(page);
    pass(`ringkasan: all ${k.windows.length} windows show the API's negative % (${k.windows.map((w) => `${w.window} ${fmtPct(w.negative_pct)}`).join(', ')})`);
    const o = await apiGet(`/api/v1/overview?entity=${ENTITY}&days=90`);
    const d = await page.getAttribute('[data-testid="trend-line"]', 'd');
    const points = (d.match(/[ML]/g) || []).length;
    const days = o.daily.filter((x) => x.negative_pct !== null && x.negative_pct !== undefined).length;
    assert.ok(points > 0, 'the trend line has no points');
    assert.equal(points, days, `trend line has ${points} points, the API ${days} days with data`);
    assert.equal(await page.locator('[data-testid="trend-chart"] circle').count(), days, 'one dot per day with data');
    const label = await page.getAttribute('[data-testid="trend-chart"]', 'aria-labelledby');
    assert.ok(label, 'the chart has no accessible name');
    pass(`ringkasan: the trend chart draws ${points} daily points out of ${o.daily.length} days`);
    const rows = await page.locator('[data-testid="feed-row"]').count();
    assert.equal(rows, o.feeds.length, `feed rows ${rows}, API feeds ${o.feeds.length}`);
    for (const f of o.feeds) {
      const row = page.locator(`[data-testid="feed-row"][data-feed="${f.id}"]`);
      const cls = (await row.getAttribute('class')) || '';
      assert.equal(cls.includes('failing'), Boolean(f.failing), `feed ${f.id}: failing ${f.failing}, row class ${JSON.stringify(cls)}`);
      if (f.failing) assert.match(await row.textContent(), /Gagal/, `failing feed ${f.id} does not say "Gagal"`);
    }
    pass(`ringkasan: ${rows} feed rows, ${o.feeds.filter((f) => f.failing).length} marked failing`);
    const ol = await checkOutlook(page);
    assert.ok(ol.month, 'the demo has a month to project');
    pass(`ringkasan: the projected month ${fmtPct(ol.month.projected_percent)}, budget ${ol.month.remaining_budget}, ${ol.spikes.length} spikes, as the API says`);

    // Why the number is what it is: the month's negatives, worst first, with their words.
    const month = jakartaToday().slice(0, 7);
    const mr = await apiGet(`/api/v1/report?entity=${ENTITY}&period=${month}&format=json`);
    assert.ok(mr.summary.total > 0, `the demo has no articles in ${month}`);
    const lead = await text(page, '[data-testid="why-lead"]');
    assert.ok(lead.includes(`${mr.summary.negative} berita negatif`), `why: ${lead} (API: ${mr.summary.negative} negative)`);
    assert.ok(lead.includes(fmtPct(mr.summary.negative_pct)), `why: ${lead} lacks ${fmtPct(mr.summary.negative_pct)}`);
    const why = page.locator('[data-testid="why-article"]');
    assert.equal(await why.count(), Math.min(5, mr.top_negative.length), 'why: one item per top negative, at most 5');
    for (let i = 0; i < Math.min(5, mr.top_negative.length); i++) {
      const a = mr.top_negative[i];
      const t = await why.nth(i).textContent();
      assert.ok(t.includes(a.title), `why #${i + 1}: ${t} is not ${a.title}`);
      if (a.terms.length) assert.ok(t.includes(`Mengapa negatif: “${a.terms[0][0]}”`), `why #${i + 1} lacks its first term: ${t}`);
    }
    const allHref = await page.getAttribute('[data-testid="why-all"]', 'href');
    assert.match(allHref, /sentiment=negative/, `why: ${allHref}`);
    pass(`ringkasan: "Di balik angka" lists the month's ${await why.count()} most negative of ${mr.summary.negative}, each with its words`);
    // The month's outlets, most articles first, a bar each.
    const byTotal = mr.by_outlet.slice().sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
    const outletRows = page.locator('[data-testid="outlet-row"]');
    assert.equal(await outletRows.count(), Math.min(8, byTotal.length), 'outlet rows');
    assert.equal(await outletRows.first().getAttribute('data-outlet'), byTotal[0].key, 'the busiest outlet first');
    assert.ok((await outletRows.first().textContent()).includes(fmtPct(byTotal[0].negative_pct)), 'the outlet row shows its negative %');
    pass(`ringkasan: ${await outletRows.count()} outlets charted, ${byTotal[0].key} (${byTotal[0].total}) first`);
    // Volume bars under the trend: one per day with articles, as tall as its count.
    const withArticles = o.daily.filter((x) => x.total > 0);
    const bars = page.locator('[data-testid="volume-bar"]');
    assert.equal(await bars.count(), withArticles.length, 'one volume bar per day with articles');
    const heights = await bars.evaluateAll((els) => els.map((e) => [Number(e.dataset.total), Number(e.getAttribute('height'))]));
    const tallest = heights.reduce((a, b) => (b[0] > a[0] ? b : a));
    for (const [n, hgt] of heights) assert.ok(Math.abs(hgt / tallest[1] - Math.max(n / tallest[0], 1 / 64)) < 0.02, `bar of ${n} is ${hgt} high, the tallest (${tallest[0]}) ${tallest[1]}`);
    pass(`ringkasan: ${withArticles.length} volume bars under the trend, heights in proportion`);
    await shot(page, 'ringkasan.png');
    await open(page, '/');
    await checkContrast(page, '/');
  });

  await section('artikel', page, async () => {
    await open(page, '/artikel');
    assert.equal(await page.locator('[data-testid="review-form"]').count(), 0, 'review controls without a token');
    assert.ok(await page.locator('[data-testid="readonly-note"]').isVisible(), 'no read-only note');
    pass('artikel: without a token the page is read-only');
    const all = await apiGet(`/api/v1/articles?entity=${ENTITY}&limit=1`);
    assert.equal(Number(await page.getAttribute('[data-testid="result-total"]', 'data-total')), all.total, 'total differs from the API');
    assert.equal(digits(await text(page, '[data-testid="result-total"]')), all.total, 'shown total differs from the API');
    assert.equal(await page.locator('[data-testid="article"]').count(), Math.min(all.total, PAGE_SIZE), 'items on the first page');
    pass(`artikel: the list's total equals the API's (${all.total})`);

    if (all.total > PAGE_SIZE) {
      const firstId = await page.getAttribute('[data-testid="article"]', 'data-id');
      await page.click('[data-testid="next"]');
      await page.waitForFunction(() => {
        const r = document.querySelector('[data-testid="results"]');
        return r.dataset.state === 'ready' && r.dataset.query.includes('offset=20');
      });
      assert.notEqual(await page.getAttribute('[data-testid="article"]', 'data-id'), firstId, 'next page shows the same items');
      await page.click('[data-testid="prev"]');
      await page.waitForFunction(() => {
        const r = document.querySelector('[data-testid="results"]');
        return r.dataset.state === 'ready' && !r.dataset.query.includes('offset=20');
      });
      pass('artikel: Berikutnya / Sebelumnya page through the list');
    }

    // Filter by the effective sentiment, submitted with Enter from the text field.
    await page.selectOption('#f-sentiment', 'negative');
    await page.focus('#f-q');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const r = document.querySelector('[data-testid="results"]');
      return r.dataset.state === 'ready' && r.dataset.query.includes('sentiment=negative');
    });
    const neg = await apiGet(`/api/v1/articles?entity=${ENTITY}&sentiment=negative&limit=50`);
    assert.ok(neg.total > 0, 'the API has no negative article to test with');
    const badges = await page.locator('[data-testid="sentiment-badge"]').allTextContents();
    assert.equal(badges.length, Math.min(neg.total, PAGE_SIZE), 'badges on the filtered page');
    assert.deepEqual([...new Set(badges.map((b) => b.trim()))], ['Negatif'], 'a non-negative badge in the negative filter');
    assert.equal(Number(await page.getAttribute('[data-testid="result-total"]', 'data-total')), neg.total, 'filtered total');
    pass(`artikel: sentiment=negative shows only "Negatif" badges, total ${neg.total} as the API`);
    const terms = await page.locator('[data-testid="term"]').count();
    assert.ok(terms > 0, 'no highlighted lexicon term');
    const title = await page.getAttribute('[data-testid="term"]', 'title');
    assert.match(title || '', /→/, 'a term without its weight tooltip');
    pass(`artikel: ${terms} highlighted lexicon terms with tooltips (e.g. ${JSON.stringify(title)})`);
    // One language: the reasons and the modifiers read in Indonesian.
    const ENGLISH = /\b(name|official|office holder|programme|with context|without context|excluded|other role|headline|negated by|boosted by|dampened by|after contrast|before contrast)\b/;
    const tips = await page.locator('[data-testid="term"]').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    for (const t of tips) assert.doesNotMatch(t, ENGLISH, `an English modifier in a term's tooltip: ${t}`);
    const reasons = (await page.locator('[data-testid="article"] p').allTextContents()).filter((t) => t.startsWith('Relevansi:'));
    assert.ok(reasons.length > 0, 'no relevance reason shown');
    for (const r of reasons) assert.doesNotMatch(r.replace(/"[^"]*"/g, ''), ENGLISH, `an English relevance reason: ${r}`);
    const en = await apiGet(`/api/v1/articles?entity=${ENTITY}&sentiment=negative&limit=50&lang=en`);
    const first = neg.items.find((a) => a.relevance);
    const firstEn = en.items.find((a) => a.id === first.id);
    assert.ok(reasons.some((r) => r.includes(first.relevance)), `the page does not show the API's reason ${first.relevance}`);
    assert.match(firstEn.relevance, ENGLISH, `lang=en: ${firstEn.relevance}`);
    pass(`artikel: reasons and modifiers in Indonesian (e.g. ${JSON.stringify(reasons[0])}); lang=en gives ${JSON.stringify(firstEn.relevance)}`);
    await shot(page, 'artikel.png');
    await checkContrast(page, '/artikel');

    // Sign in: a wrong token is refused and leaves the page read-only.
    assert.ok(TOKEN, 'PANTAU_TOKEN is not set');
    await page.fill('#token', `${TOKEN}-salah`);
    await page.fill('#reviewer', 'Uji Peramban');
    await page.click('[data-testid="login"]');
    await page.waitForFunction(() => document.querySelector('#auth-error')?.textContent.trim().length > 0);
    assert.equal(await page.locator('[data-testid="review-form"]').count(), 0, 'review controls after a wrong token');
    pass('artikel: a wrong token is refused with a message');
    await page.fill('#token', TOKEN);
    await page.click('[data-testid="login"]');
    await page.locator('[data-testid="review-form"]').first().waitFor();
    assert.match(await text(page, '[data-testid="auth-state"]'), /Uji Peramban/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pantau.token')), TOKEN, 'token not kept in sessionStorage');
    pass('artikel: the right token enables review controls');
    await checkLabels(page, '/artikel (reviewer)');

    // An article inside the 30-day window, so that window's count must move.
    const before = await kpiOf();
    const neg30Before = before.windows.find((w) => w.window === '30d').negative;
    const shown = new Set(await page.locator('[data-testid="article"]').evaluateAll((els) => els.map((e) => e.dataset.id)));
    const cutoff = Date.now() - 29 * 86_400_000;
    const target = neg.items.find((a) => shown.has(a.id) && Date.parse(a.event_time) > cutoff);
    assert.ok(target, 'no negative article of the last 29 days on the first page');
    const item = page.locator(`[data-testid="article"][data-id="${target.id}"]`);
    await item.locator('[data-testid="review-sentiment"]').selectOption('positive');
    await item.locator('[data-testid="review-save"]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-id="${id}"] [data-testid="review-error"]`)?.textContent.trim().length > 0, target.id);
    assert.equal(await item.locator('[data-testid="review-reason"]').getAttribute('aria-invalid'), 'true');
    pass('artikel: saving without a reason shows an error next to the field');
    await checkContrast(page, '/artikel (reviewer, reason missing)');
    await item.locator('[data-testid="review-reason"]').fill('Uji peramban: berita ini sebenarnya positif');
    await item.locator('[data-testid="review-save"]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-id="${id}"] [data-testid="sentiment-badge"]`)?.textContent.trim() === 'Positif', target.id);
    await page.locator(`[data-id="${target.id}"] [data-testid="history-entry"]`).first().waitFor();
    const hist = await page.locator(`[data-id="${target.id}"] [data-testid="history-entry"]`).allTextContents();
    assert.ok(hist.some((t) => /Uji Peramban/.test(t) && /Negatif/.test(t) && /Positif/.test(t)), `history shows ${JSON.stringify(hist)}`);
    const apiHist = await apiGet(`/api/v1/articles/${target.id}/history?entity=${ENTITY}`);
    assert.equal(apiHist.at(-1)?.new_sentiment, 'positive', 'the API history lacks the change');
    pass(`artikel: article ${target.id} changed Negatif → Positif, in place, with its history`);
    await shot(page, 'artikel-review.png');
    await checkContrast(page, '/artikel (reviewer, after a review)');

    await poll('30d negative count after the review', async () => {
      const k = await kpiOf();
      const n = k.windows.find((w) => w.window === '30d').negative;
      return { ok: n === neg30Before - 1, got: `${n} (was ${neg30Before})` };
    });
    pass(`artikel: /api/v1/kpi 30d negative went ${neg30Before} → ${neg30Before - 1}`);
    const k = await checkKpiCards(page);
    pass(`ringkasan after review: shows the new 30d ${fmtPct(k.windows.find((w) => w.window === '30d').negative_pct)}`);

    // The review queue: unreviewed, most negative first; a confirmation
    // records the reviewer and takes the article out of the queue.
    const queueUrl = `/api/v1/articles?entity=${ENTITY}&unreviewed=true&order=negative&limit=50`;
    const queue = await apiGet(queueUrl);
    assert.ok(queue.total > 0, 'the review queue is empty');
    assert.ok(!queue.items.some((a) => a.id === target.id), 'the corrected article is still in the queue');
    await open(page, '/artikel?unreviewed=true&order=negative');
    const firstId = await page.getAttribute('[data-testid="article"]', 'data-id');
    assert.equal(firstId, queue.items[0].id, 'the page shows the queue in the API\'s order');
    const head = page.locator(`[data-testid="article"][data-id="${firstId}"]`);
    await head.locator('[data-testid="review-confirm"]').click();
    await page.waitForFunction((id) => /dikonfirmasi oleh Uji Peramban/.test(document.querySelector(`[data-id="${id}"] [data-testid="override-note"]`)?.textContent || ''), firstId);
    const confirmed = await apiGet(`/api/v1/articles/${firstId}/history?entity=${ENTITY}`);
    const last = confirmed.at(-1);
    assert.ok(last && last.by === 'Uji Peramban' && last.old_sentiment === last.new_sentiment, `history after a confirmation: ${JSON.stringify(confirmed)}`);
    assert.equal((await apiGet(queueUrl)).total, queue.total - 1, 'the queue did not shrink');
    pass(`artikel: queue of ${queue.total} most negative first; ${firstId} confirmed by the reviewer and left the queue`);

    // Keyboard: j moves to the next card, c confirms it.
    await page.locator('h1').first().click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const focusedId = await page.evaluate(() => document.activeElement?.dataset?.id);
    const ids = await page.locator('[data-testid="article"]').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert.equal(focusedId, ids[1], `j j focuses the second card (${focusedId})`);
    await page.keyboard.press('c');
    await page.waitForFunction((id) => /dikonfirmasi oleh/.test(document.querySelector(`[data-id="${id}"] [data-testid="override-note"]`)?.textContent || ''), focusedId);
    assert.equal((await apiGet(queueUrl)).total, queue.total - 2, 'c did not confirm the focused card');
    pass(`artikel: keyboard j j c confirmed ${focusedId}`);

    // Bulk: every unreviewed card on the page at once.
    const openOnPage = await page.locator('[data-testid="review-confirm"]').count();
    assert.ok(openOnPage > 0, 'no unreviewed card left on the page');
    await page.click('[data-testid="bulk-confirm"]');
    await page.waitForFunction((n) => new RegExp(`^${n} berita dikonfirmasi`).test(document.querySelector('[data-testid="bulk-status"]')?.textContent || ''), openOnPage);
    assert.equal(await page.locator('[data-testid="review-confirm"]').count(), 0, 'unconfirmed cards after the bulk confirmation');
    assert.ok(await page.locator('#bulk').isHidden(), 'the bulk button stays with nothing to confirm');
    assert.equal((await apiGet(queueUrl)).total, queue.total - 2 - openOnPage, 'the bulk confirmation did not empty the page from the queue');
    pass(`artikel: bulk confirmation of the ${openOnPage} cards left on the page`);

    await open(page, '/artikel');
    await page.click('[data-testid="logout"]');
    assert.equal(await page.locator('[data-testid="review-form"]').count(), 0, 'review controls after Keluar');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('pantau.token')), null, 'token still stored after Keluar');
    pass('artikel: Keluar clears the token and the controls');
  });

  await section('audit', page, async () => {
    const period = process.env.PANTAU_AUDIT_PERIOD;
    assert.ok(period, 'PANTAU_AUDIT_PERIOD is not set');
    const url = `/api/v1/audit?entity=${ENTITY}&period=${period}`;
    const before = await apiGet(url);
    const n = before.items.length;
    assert.ok(n > 0 && before.reviewed === 0, `no unreviewed audit sample for ${period}`);
    await open(page, '/artikel');
    await page.fill('#audit-period', period);
    await page.click('[data-testid="audit-open"]');
    await page.locator('[data-testid="audit-progress"]').waitFor();
    assert.equal(await page.locator('[data-testid="audit-card"]').count(), 0, 'verdict buttons without a token');
    pass('audit: the sample is read-only without a token');
    await page.fill('#token', TOKEN);
    await page.fill('#reviewer', 'Uji Audit');
    await page.click('[data-testid="login"]');
    const card = page.locator('[data-testid="audit-card"]');
    await card.waitFor();
    await checkLabels(page, '/artikel (audit)');
    await checkContrast(page, '/artikel (audit)');
    // One card at a time, in the sample's order; the first is not about
    // the ministry, the rest confirm the classifier (no override, so the
    // counts the other sections check stay put).
    for (let i = 0; i < n; i++) {
      const id = await card.getAttribute('data-id');
      assert.equal(id, before.items[i].id, `card ${i + 1} is not the sample's ${i + 1}th`);
      const verdict = i === 0 ? 'not_relevant' : before.items[i].sentiment;
      await page.click(`[data-testid="audit-verdict-${verdict}"]`);
      await page.waitForFunction((prev) => {
        const c = document.querySelector('[data-testid="audit-card"]');
        return c ? c.dataset.id !== prev : Boolean(document.querySelector('[data-testid="audit-done"]'));
      }, id);
    }
    await page.locator('[data-testid="audit-done"]').waitFor();
    const after = await apiGet(url);
    assert.equal(after.reviewed, n, 'verdicts stored');
    assert.equal(after.items[0].verdict, 'not_relevant');
    assert.ok(after.items.every((i) => i.verdict_by === 'Uji Audit'), 'the reviewer is recorded');
    assert.match(await text(page, '[data-testid="audit-progress"]'), new RegExp(`^${n} dari ${n} `));
    if (after.audit && after.audit.estimate != null) {
      const shown = await text(page, '[data-testid="audit-estimate"]');
      assert.ok(shown.includes(`${after.audit.estimate.toFixed(1).replace('.', ',')} %`), `estimate ${shown} vs ${after.audit.estimate}`);
    } else {
      assert.equal(await page.locator('[data-testid="audit-estimate"]').count(), 0, 'an estimate the API does not have');
    }
    pass(`audit: ${n} sampled articles reviewed one card at a time, as the API records them`);
    await shot(page, 'artikel-audit.png');
    await page.click('[data-testid="logout"]');
  });

  await section('isu', page, async () => {
    // Stories and issues are assigned in the background every few seconds.
    const year = jakartaToday().slice(0, 4);
    let r;
    for (let i = 0; i < 60; i++) {
      r = await apiGet(`/api/v1/issues?entity=${ENTITY}&period=${year}`);
      if (r.issues.length && !r.unassigned) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    assert.ok(r.issues.length > 0, 'no issues after 30 s');
    await open(page, `/isu?period=${year}`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    r = await apiGet(`/api/v1/issues?entity=${ENTITY}&period=${year}`);
    const cards = await page.locator('[data-testid="issue"]').count();
    assert.equal(cards, Math.min(50, r.issues.length), `issue cards ${cards}, API ${r.issues.length}`);
    assert.equal(await text(page, '[data-testid="issue-label"]'), r.issues[0].label, 'the first issue is the API\'s first');
    await page.locator('[data-testid="issue"] summary').first().click();
    const stories = await page.locator('[data-testid="issue"]').first().locator('[data-testid="story"]').count();
    assert.equal(stories, r.issues[0].stories, `first issue: ${stories} stories shown, API ${r.issues[0].stories}`);
    pass(`isu: ${cards} issues ranked as the API ranks them; the first (${r.issues[0].label}) opens its ${stories} stories`);
    await shot(page, 'isu.png');
    assert.equal(await page.locator('[data-testid="issue-edit"]').count(), 0, 'issue controls without a token');

    // With the review token: rename the first issue, then merge it into the second.
    assert.ok(r.issues.length >= 2, `the demo has ${r.issues.length} issues: nothing to merge`);
    {
      await page.evaluate(([t]) => {
        sessionStorage.setItem('pantau.token', t);
        sessionStorage.setItem('pantau.reviewer', 'Uji Isu');
      }, [TOKEN]);
      await open(page, `/isu?period=${year}`);
      await page.waitForFunction(() => document.body.dataset.state === 'ready');
      const [a, b] = r.issues;
      const card = page.locator(`[data-testid="issue"][data-issue="${a.id}"]`);
      await card.locator('summary').click();
      await checkLabels(page, '/isu (analyst)');
      await card.locator('[data-testid="issue-name"]').fill('Isu uji peramban');
      await card.locator('[data-testid="issue-rename"]').click();
      await page.locator('[data-testid="issue-status"]').waitFor();
      let now = await apiGet(`/api/v1/issues?entity=${ENTITY}&period=${year}`);
      assert.equal(now.issues.find((i) => i.id === a.id)?.label, 'Isu uji peramban', 'the rename did not reach the API');
      assert.equal(await text(page, `[data-testid="issue"][data-issue="${a.id}"] [data-testid="issue-label"]`), 'Isu uji peramban');
      const again = page.locator(`[data-testid="issue"][data-issue="${a.id}"]`);
      await again.locator('summary').click();
      await again.locator('[data-testid="issue-merge-into"]').selectOption(b.id);
      await again.locator('[data-testid="issue-merge"]').click();
      await page.waitForFunction((id) => document.body.dataset.state === 'ready'
        && !document.querySelector(`[data-testid="issue"][data-issue="${id}"]`), a.id);
      now = await apiGet(`/api/v1/issues?entity=${ENTITY}&period=${year}`);
      assert.ok(!now.issues.some((i) => i.id === a.id), 'the merged issue is still listed');
      assert.equal(now.issues.find((i) => i.id === b.id)?.stories, a.stories + b.stories, 'the merge did not add the stories');
      pass(`isu: an analyst renamed "${a.label}" and merged it into "${b.label}" (${a.stories + b.stories} stories), as the API records`);
      // Split one story of the merged issue off into a new issue.
      const merged = page.locator(`[data-testid="issue"][data-issue="${b.id}"]`);
      await merged.locator('summary').click();
      const storyIds = await merged.locator('[data-testid="issue-split-story"] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert.equal(storyIds.length, a.stories + b.stories, `split choices ${storyIds.length}`);
      await merged.locator('[data-testid="issue-split-story"]').selectOption(storyIds[0]);
      await merged.locator('[data-testid="issue-split-name"]').fill('Isu pisahan peramban');
      await merged.locator('[data-testid="issue-split"]').click();
      await page.waitForFunction(() => document.body.dataset.state === 'ready'
        && document.querySelector('[data-testid="issue-status"]')?.textContent.includes('dipisahkan'));
      now = await apiGet(`/api/v1/issues?entity=${ENTITY}&period=${year}`);
      const split = now.issues.find((i) => i.label === 'Isu pisahan peramban');
      assert.ok(split, 'no issue named as the split asked');
      assert.equal(split.stories, 1, `the split issue holds ${split.stories} stories`);
      assert.equal(now.issues.find((i) => i.id === b.id)?.stories, a.stories + b.stories - 1, 'the story did not leave its issue');
      const storiesNow = await apiGet(`/api/v1/stories?entity=${ENTITY}&period=${year}&issue=${encodeURIComponent(split.id)}`);
      assert.deepEqual(storiesNow.map((st) => st.id), [storyIds[0]], 'the split issue holds another story');
      pass(`isu: an analyst split a story off into "${split.label}"`);
      await page.evaluate(() => sessionStorage.clear());
    }
  });

  await section('laporan', page, async () => {
    await open(page, '/laporan');
    const period = await page.getAttribute('[data-testid="report"]', 'data-period');
    const r = await apiGet(`/api/v1/report?entity=${ENTITY}&period=${encodeURIComponent(period)}&format=json`);
    assert.equal(await text(page, '[data-testid="report-pct"]'), fmtPct(r.summary.negative_pct), `period ${period}`);
    pass(`laporan: ${period} shows the report's ${fmtPct(r.summary.negative_pct)}`);
    const year = jakartaToday().slice(0, 4);
    await page.selectOption('#period-kind', 'year');
    await page.fill('#period-year', year);
    await page.click('[data-testid="period-submit"]');
    await page.waitForFunction((y) => document.querySelector('[data-testid="report"]')?.dataset.period === y
      && document.body.dataset.state === 'ready', year);
    const ry = await apiGet(`/api/v1/report?entity=${ENTITY}&period=${year}&format=json`);
    assert.equal(await text(page, '[data-testid="report-pct"]'), fmtPct(ry.summary.negative_pct), `period ${year}`);
    pass(`laporan: year ${year} shows the report's ${fmtPct(ry.summary.negative_pct)}`);
    const csvUrl = await page.$eval('[data-testid="download-csv"]', (a) => a.href);
    const csv = await fetch(csvUrl);
    const body = await csv.text();
    assert.equal(csv.status, 200, `${csvUrl}: HTTP ${csv.status}`);
    assert.match(csv.headers.get('content-type') || '', /^text\/csv/, 'CSV content type');
    assert.match(csv.headers.get('content-disposition') || '', /attachment/, 'CSV is not an attachment');
    assert.match(body.split('\n')[0], /^[^,\n]+(,[^,\n]*){3,}/, `no header row: ${body.slice(0, 80)}`);
    pass(`laporan: "Unduh CSV" is text/csv with header ${JSON.stringify(body.split('\n')[0].slice(0, 60))}`);
    const csvId = await fetch(await page.$eval('[data-testid="download-csv-id"]', (a) => a.href));
    const idBody = await csvId.text();
    assert.equal(csvId.status, 200, `CSV (Excel Indonesia): HTTP ${csvId.status}`);
    assert.equal(idBody.split('\n').length, body.split('\n').length, 'the Indonesian CSV has the same rows');
    assert.match(idBody.split('\n')[1], /^total;[^;]+;\d+;/, `not ;-separated: ${idBody.split('\n')[1]}`);
    assert.ok(!/\d\.\d{4}/.test(idBody), 'a decimal point left in the Indonesian CSV');
    pass('laporan: "Unduh CSV (Excel Indonesia)" has the same rows, ;-separated, decimal commas');
    const md = await fetch(await page.$eval('[data-testid="download-md"]', (a) => a.href));
    assert.equal(md.status, 200, `Markdown download: HTTP ${md.status}`);
    pass('laporan: "Unduh Markdown" downloads');
    const pdfUrl = await page.$eval('[data-testid="download-pdf"]', (a) => a.href);
    const pdf = await fetch(pdfUrl);
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(pdf.status, 200, `${pdfUrl}: HTTP ${pdf.status}`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf', 'PDF content type');
    assert.match(pdf.headers.get('content-disposition') || '', /attachment; filename="pantau-.+\.pdf"/, 'PDF file name');
    assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-', 'not a PDF');
    pass(`laporan: "Unduh PDF" is a ${pdfBytes.length}-byte application/pdf attachment`);
    const docx = await fetch(await page.$eval('[data-testid="download-docx"]', (a) => a.href));
    const docxBytes = Buffer.from(await docx.arrayBuffer());
    assert.equal(docx.status, 200, `Word download: HTTP ${docx.status}`);
    assert.match(docx.headers.get('content-type') || '', /wordprocessingml\.document/, 'DOCX content type');
    assert.match(docx.headers.get('content-disposition') || '', /filename="pantau-.+\.docx"/, 'DOCX file name');
    assert.equal(docxBytes.subarray(0, 2).toString('latin1'), 'PK', 'the Word file is not a zip');
    pass(`laporan: "Unduh Word" is a ${docxBytes.length}-byte DOCX attachment`);
    await shot(page, 'laporan.png');
    await checkContrast(page, '/laporan');
  });

  await section('survei', page, async () => {
    const form = await apiGet('/api/v1/survey/form');
    const unit = form.units[0].id;
    const year = jakartaToday().slice(0, 4);
    const ikmUrl = `/api/v1/survey/ikm?unit=${unit}&period=${year}`;
    const respondents = async () => (await apiGet(ikmUrl, { allow404: true }))?.find((u) => u.unit === unit)?.result.respondents ?? 0;
    const before = await respondents();

    await open(page, '/survei');
    await page.fill('#age', '5');
    await page.click('[data-testid="survey-submit"]');
    await page.locator('[data-testid="form-errors"]').waitFor({ state: 'visible' });
    const items = await page.locator('[data-testid="form-errors"] li').count();
    const expected = form.questions.length + 1 + (form.units.length > 1 ? 1 : 0);
    assert.equal(items, expected, `summary lists ${items} problems, expected ${expected}: every question, the age (and the unit)`);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'form-errors', 'focus is not on the summary');
    assert.equal(await page.getAttribute('#u1-1', 'aria-invalid'), 'true', 'U1 not marked invalid');
    assert.equal(await page.getAttribute('#age', 'aria-invalid'), 'true', 'age not marked invalid');
    assert.ok((await text(page, '#err-u1')).length > 0, 'no message next to U1');
    assert.ok((await text(page, '#err-age')).length > 0, 'no message next to the age');
    await shot(page, 'survei-errors.png');
    assert.equal(surveyPosts, 0, 'an invalid form was sent to the server');
    assert.equal(await respondents(), before, 'respondents changed after an invalid submission');
    pass(`survei: the empty form shows ${items} errors, focuses the summary, and stores nothing`);
    await checkLabels(page, '/survei (errors shown)');
    await checkContrast(page, '/survei (errors shown)');

    for (let i = 1; i <= form.questions.length; i++) await page.check(`#u${i}-${(i % 3) + 2}`);
    await page.fill('#age', '34');
    if (form.genders?.length) await page.selectOption('#gender', form.genders[0]);
    await page.click('[data-testid="survey-submit"]');
    await page.waitForSelector('[data-testid="survey-thanks"]:not([hidden]), [data-testid="form-errors"]:not([hidden])');
    if (await page.locator('[data-testid="survey-thanks"]').isHidden()) {
      throw new Error(`a complete form was refused: ${(await page.innerText('[data-testid="form-errors"]')).replace(/\s+/g, ' ')}`);
    }
    assert.ok(await page.locator('[data-testid="form-errors"]').isHidden(), 'errors still shown after success');
    assert.equal(await page.locator('input[type="radio"]:checked').count(), 0, 'the form was not reset');
    assert.equal(surveyPosts, 1, `${surveyPosts} submissions sent`);
    pass('survei: a complete form is thanked and reset');
    await shot(page, 'survei.png');
    await checkContrast(page, '/survei (thanks)');

    await poll('respondents after the submission', async () => {
      const n = await respondents();
      return { ok: n === before + 1, got: `${n} (was ${before})` };
    });
    const rep = (await apiGet(ikmUrl)).find((u) => u.unit === unit);
    await open(page, `/survei/hasil?period=${year}`);
    assert.equal(digits(await text(page, `[data-testid="ikm-respondents-${unit}"]`)), before + 1, 'respondents on Survei-hasil');
    assert.equal(await text(page, `[data-testid="ikm-score-${unit}"]`), fmt2(rep.result.score), 'IKM score on Survei-hasil');
    assert.equal(await page.locator(`[data-testid="nrr-table-${unit}"] tbody tr`).count(), 9, 'NRR rows');
    assert.equal(await page.locator(`[data-testid="nrr-chart-${unit}"] rect`).count(), 9, 'NRR bars');
    pass(`survei-hasil: ${before} → ${before + 1} respondents, score ${fmt2(rep.result.score)} as the API`);
    await shot(page, 'survei-hasil.png');
    await checkContrast(page, '/survei/hasil');
  });

  await section('phone', null, async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta',
    });
    try {
      const p = await phone.newPage();
      p.on('pageerror', (e) => pageErrors.push(`${p.url()} (phone): ${e.message}`));
      await open(p, '/survei');
      // The scale reads 1 to 4 from top to bottom, each choice a whole row.
      const boxes = await p.locator('fieldset.question').first().locator('.options label')
        .evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, text: e.textContent.trim() }; }));
      assert.equal(boxes.length, 4, 'four choices');
      for (let i = 1; i < boxes.length; i++) {
        assert.ok(boxes[i].y > boxes[i - 1].y, `choice ${i + 1} (${boxes[i].text}) is not below choice ${i} (${boxes[i - 1].text})`);
        assert.ok(Math.abs(boxes[i].x - boxes[0].x) < 2, `choice ${i + 1} is not aligned under the first`);
      }
      const widest = await p.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(widest <= 375 + 1, `the survey is ${widest}px wide on a 375px phone`);
      pass(`phone: the survey's scale stands in order, top to bottom (${boxes.map((b) => b.text).join(' / ')})`);
      await shot(p, 'survei-phone.png');
      await open(p, '/');
      const pageWidth = await p.evaluate(() => document.documentElement.scrollWidth);
      const wide = await p.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 376 && !e.parentElement.closest('.chart-scroll, .table-wrap'))
        .slice(0, 4).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ')[0]}` : ''}`));
      assert.ok(pageWidth <= 375 + 1, `Ringkasan is ${pageWidth}px wide on a 375px phone (${wide.join(', ')}): the page scrolls sideways`);
      const chart = await p.locator('[data-testid="trend-chart"]').boundingBox();
      assert.ok(chart.width >= 560, `the trend chart shrank to ${chart.width}px: its labels are unreadable`);
      const scroller = await p.locator('.chart-scroll').evaluate((e) => ({ client: e.clientWidth, scroll: e.scrollWidth }));
      assert.ok(scroller.scroll > scroller.client, 'the chart does not scroll inside its box');
      pass(`phone: Ringkasan fits 375px; the trend chart keeps ${Math.round(chart.width)}px and scrolls in its box`);
      await shot(p, 'ringkasan-phone.png');
    } finally {
      await phone.close();
    }
  });

  await section('keyboard and labels', page, async () => {
    for (const p of ['/', '/artikel', '/laporan', '/survei', '/survei/hasil']) {
      await checkKeyboard(page, p);
      await checkLabels(page, p);
    }
    await open(page, '/laporan');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link does not move focus to main');
    pass('the skip link moves focus to the main content');
  });

  await section('no script errors', null, async () => {
    assert.deepEqual(pageErrors, [], 'uncaught errors or missing assets');
    pass('no uncaught script error and no missing asset on any page');
  });
} finally {
  await browser.close();
}

finish();
