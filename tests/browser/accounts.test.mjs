// Accounts in headless Chromium, against a pantau that requires sign-in
// (see tests/e2e_accounts.rs, which creates the accounts and starts it):
// an analyst signs in, works through the review queue, confirms and
// corrects, and the audit trail names the account; a viewer sees no review
// control and the server refuses its writes; signed out, the pages send to
// /masuk; the public listener shows the survey form.
//
//   PANTAU_URL         the staff listener
//   PANTAU_PUBLIC_URL  the public survey listener
//   PANTAU_ANALYST     name:password of an analyst
//   PANTAU_VIEWER      name:password of a viewer
//   PANTAU_READ_TOKEN  an API token that may read (to check against the API)
//   SCREENSHOT_DIR     where full-page PNGs go (none when unset)

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CHROMIUM, SHOTS, finish, loadPlaywright, pass, section, shot } from './harness.mjs';

const BASE = (process.env.PANTAU_URL || '').replace(/\/+$/, '');
const PUBLIC = (process.env.PANTAU_PUBLIC_URL || '').replace(/\/+$/, '');
const [ANALYST, ANALYST_PW] = (process.env.PANTAU_ANALYST || ':').split(/:(.*)/s);
const [VIEWER, VIEWER_PW] = (process.env.PANTAU_VIEWER || ':').split(/:(.*)/s);
const READ_TOKEN = process.env.PANTAU_READ_TOKEN || '';
const ENTITY = 'kemensos';
const WAIT_MS = 15_000;

async function apiGet(p) {
  const res = await fetch(BASE + p, { headers: { Accept: 'application/json', Authorization: `Bearer ${READ_TOKEN}` } });
  const text = await res.text();
  assert.ok(res.ok, `GET ${p} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** Loads a page and waits until its script says the data is in. */
async function open(page, p, base = BASE) {
  await page.goto(base + p);
  await page.waitForSelector('body:not([data-state="loading"])', { timeout: WAIT_MS });
}

async function signIn(page, name, password, next = '/artikel') {
  await page.goto(`${BASE}/masuk?next=${encodeURIComponent(next)}`);
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${BASE}${next}`), page.click('[data-testid="sign-in"]')]);
  await page.waitForSelector('body:not([data-state="loading"])');
  await page.waitForFunction((n) => document.querySelector('[data-testid="account-name"]')?.textContent.startsWith(n), name);
}

/** A write from inside the page, as its own script would send it (or not). */
const writeFromPage = (page, { withCsrf }) => page.evaluate(async ({ withCsrf, entity }) => {
  const s = await (await fetch('/api/v1/session')).json();
  const list = await (await fetch(`/api/v1/articles?entity=${entity}&unreviewed=true&limit=1`)).json();
  const headers = { 'Content-Type': 'application/json' };
  if (withCsrf) headers['X-CSRF-Token'] = s.csrf;
  const res = await fetch(`/api/v1/articles/${list.items[0].id}/confirm`, { method: 'POST', headers, body: JSON.stringify({ entity }) });
  return { status: res.status, body: await res.text() };
}, { withCsrf, entity: ENTITY });

const { chromium } = loadPlaywright();
if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
setTimeout(() => { console.log('not ok - the browser test took more than 5 minutes'); process.exit(1); }, 300_000).unref();
assert.ok(BASE && PUBLIC && ANALYST_PW && VIEWER_PW && READ_TOKEN, 'set PANTAU_URL, PANTAU_PUBLIC_URL, PANTAU_ANALYST, PANTAU_VIEWER, PANTAU_READ_TOKEN');

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const newPage = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
};
const pageErrors = [];

try {
  const page = await newPage();

  await section('sign-in required', page, async () => {
    await page.goto(`${BASE}/artikel?unreviewed=true`);
    assert.equal(new URL(page.url()).pathname, '/masuk', `an anonymous visit to /artikel shows ${page.url()}`);
    assert.equal(new URL(page.url()).searchParams.get('next'), '/artikel?unreviewed=true');
    pass('signed out, /artikel sends to /masuk and remembers where to go back');
    const status = await page.evaluate(async () => (await fetch('/api/v1/kpi')).status);
    assert.equal(status, 401);
    pass('signed out, the API answers 401');
    await page.fill('#name', ANALYST);
    await page.fill('#password', `${ANALYST_PW}-salah`);
    await page.click('[data-testid="sign-in"]');
    await page.waitForFunction(() => /salah/.test(document.querySelector('[data-testid="sign-in-error"]')?.textContent || ''));
    assert.equal(new URL(page.url()).pathname, '/masuk');
    assert.equal(await page.inputValue('#password'), '', 'the wrong password is left in the field');
    pass('a wrong password is refused with a message, and cleared');
    await shot(page, 'masuk.png');
  });

  await section('analyst', page, async () => {
    await signIn(page, ANALYST, ANALYST_PW, '/artikel?unreviewed=true&order=negative');
    assert.match(await page.textContent('[data-testid="account-name"]'), new RegExp(`^${ANALYST} \\(analis\\)`));
    assert.match(await page.textContent('[data-testid="auth-state"]'), /Koreksi sentimen diaktifkan/);
    assert.equal(await page.locator('#token').count(), 0, 'the shared-token form is shown to a signed-in analyst');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'pantau_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Strict', `session cookie ${JSON.stringify(session)}`);
    assert.equal(await page.evaluate(() => document.cookie.includes('pantau_session')), false, 'the page script can read the session');
    pass(`the analyst ${ANALYST} is signed in with an HttpOnly, SameSite=Strict cookie; review controls on`);

    // The queue, most negative first: confirm the first card.
    const queueUrl = `/api/v1/articles?entity=${ENTITY}&unreviewed=true&order=negative&limit=50`;
    const queue = await apiGet(queueUrl);
    const firstId = await page.getAttribute('[data-testid="article"]', 'data-id');
    assert.equal(firstId, queue.items[0].id, 'the page shows the queue in the API\'s order');
    await page.locator(`[data-testid="article"][data-id="${firstId}"] [data-testid="review-confirm"]`).click();
    await page.waitForFunction(([id, who]) => new RegExp(`dikonfirmasi oleh ${who}`).test(document.querySelector(`[data-id="${id}"] [data-testid="override-note"]`)?.textContent || ''), [firstId, ANALYST]);
    const confirmed = (await apiGet(`/api/v1/articles/${firstId}/history?entity=${ENTITY}`)).at(-1);
    assert.equal(confirmed?.by, ANALYST, `the trail names ${JSON.stringify(confirmed)}`);
    assert.equal(confirmed.old_sentiment, confirmed.new_sentiment);
    assert.equal((await apiGet(queueUrl)).total, queue.total - 1, 'the queue did not shrink');
    pass(`confirmed ${firstId}: the audit trail names the account ${ANALYST}; the queue shrank to ${queue.total - 1}`);

    // Correct the next one: a new sentiment with a reason.
    const secondId = queue.items[1].id;
    const card = page.locator(`[data-testid="article"][data-id="${secondId}"]`);
    const current = queue.items[1].effective;
    const other = current === 'positive' ? 'neutral' : 'positive';
    await card.locator('[data-testid="review-sentiment"]').selectOption(other);
    await card.locator('[data-testid="review-reason"]').fill('Uji akun: nada berita ini keliru dinilai');
    await card.locator('[data-testid="review-save"]').click();
    await page.locator(`[data-id="${secondId}"] [data-testid="history-entry"]`).first().waitFor();
    const hist = await page.locator(`[data-id="${secondId}"] [data-testid="history-entry"]`).allTextContents();
    assert.ok(hist.some((t) => t.includes(ANALYST)), `the page's history shows ${JSON.stringify(hist)}`);
    const corrected = (await apiGet(`/api/v1/articles/${secondId}/history?entity=${ENTITY}`)).at(-1);
    assert.equal(corrected?.by, ANALYST);
    assert.equal(corrected.new_sentiment, other);
    pass(`corrected ${secondId} ${current} → ${other}: the audit trail names ${ANALYST}`);
    await shot(page, 'artikel-analis.png');

    // The cookie alone does not write: the CSRF token must be echoed.
    const forged = await writeFromPage(page, { withCsrf: false });
    assert.equal(forged.status, 403, `a write without the CSRF token: ${JSON.stringify(forged)}`);
    pass('a write with the session cookie but without X-CSRF-Token is refused (403)');

    await page.click('[data-testid="sign-out"]');
    await page.waitForURL(/\/masuk\?next=/);
    pass('Keluar ends the session: the page goes back to /masuk');
  });

  await section('viewer', page, async () => {
    await signIn(page, VIEWER, VIEWER_PW, '/artikel');
    assert.match(await page.textContent('[data-testid="auth-state"]'), /Hanya baca/);
    assert.equal(await page.locator('[data-testid="review-form"]').count(), 0, 'review controls for a viewer');
    assert.equal(await page.locator('[data-testid="review-confirm"]').count(), 0, 'confirm buttons for a viewer');
    assert.ok(await page.locator('#bulk').isHidden(), 'the bulk confirmation is offered to a viewer');
    pass(`the viewer ${VIEWER} sees the articles and no review control`);
    const tried = await writeFromPage(page, { withCsrf: true });
    assert.equal(tried.status, 403, `a viewer's write: ${JSON.stringify(tried)}`);
    assert.match(tried.body, /viewer/);
    pass('the server refuses a viewer\'s write even with the CSRF token (403)');
    await open(page, '/ringkasan');
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    pass('the viewer reads Ringkasan');
  });

  await section('public listener', page, async () => {
    const anon = await newPage();
    await open(anon, '/', PUBLIC);
    assert.equal(await anon.getAttribute('body', 'data-state'), 'ready');
    assert.ok(await anon.locator('#survey-form').isVisible(), 'no survey form at the public address');
    assert.equal(await anon.locator('.site-nav a').count(), 1, 'the public page links staff pages');
    const staff = await anon.goto(`${PUBLIC}/artikel`);
    assert.equal(staff.status(), 404);
    pass('the public listener shows the survey form, and no staff page');
    await shot(anon, 'survei-publik.png');
  });

  await section('no script errors', null, async () => {
    assert.deepEqual(pageErrors, [], 'uncaught errors');
    pass('no uncaught script error on any page');
  });
} finally {
  await browser.close();
}
finish();
