// What the browser tests share: playwright-core from scripts/browser.sh's
// prefix, the pass/fail tally, sections whose first failure ends the
// section (not the run), and screenshots.

import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = process.env.SCREENSHOT_DIR || '';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** playwright-core from scripts/browser.sh's prefix (ESM ignores NODE_PATH). */
export function loadPlaywright() {
  const prefixes = [process.env.PANTAU_BROWSER_NODE, path.join(ROOT, 'target/browser-node'), ROOT].filter(Boolean);
  for (const p of prefixes) {
    try {
      return createRequire(path.join(path.resolve(ROOT, p), 'noop.js'))('playwright-core');
    } catch { /* next */ }
  }
  console.error(`playwright-core not found in ${prefixes.join(', ')}: run scripts/browser.sh install`);
  process.exit(1);
}

const tally = { passed: 0, failed: 0 };
export const pass = (what) => { tally.passed++; console.log(`ok - ${what}`); };
/** Counts a failure that does not end its section (it prints its own lines). */
export const fail = () => { tally.failed++; };

/** Runs a group of dependent checks; the first failure ends the group, not the run. */
export async function section(name, page, fn) {
  console.log(`# ${name}`);
  try {
    await fn();
  } catch (e) {
    tally.failed++;
    // Playwright's messages carry terminal colours; the Rust test's log does not want them.
    const msg = e.message.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 6).join('\n    ');
    console.log(`not ok - ${name}: ${msg}`);
    if (page && SHOTS) await page.screenshot({ path: path.join(SHOTS, `failure-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
  }
}

export async function shot(page, file) {
  if (!SHOTS) return;
  await page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
  pass(`screenshot ${file}`);
}

/** Prints the summary line and exits 1 on any failure. */
export function finish() {
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed ? 1 : 0);
}
