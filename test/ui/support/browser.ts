// Browser tests of the web UI (issue 16): playwright-core drives Debian's chromium (no browser
// download). One browser per test file: `const browser = await openBrowser(t)` in a `before`
// hook's context, or per test. Missing chromium skips loudly, or fails under REQUIRE_PEERS=1.
// Screenshots go to test-output/screenshots/ (not committed).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findBinary, skipOrFail } from '../../support/peers.js';

/** The chromium binary: $CHROMIUM_PATH, Debian's real binary (starts faster than its wrapper), or PATH. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (existsSync('/usr/lib/chromium/chromium')) return '/usr/lib/chromium/chromium';
  return findBinary('chromium') ?? findBinary('chromium-browser');
}

/**
 * Launches headless chromium, closed when the test file ends (call from a test or a `before` of
 * the suite with its context). Returns undefined after skipping when chromium is missing.
 */
export async function openBrowser(t: TestContext): Promise<Browser | undefined> {
  const path = findChromium();
  if (path === undefined) {
    skipOrFail(t, 'PEER MISSING: chromium not found (apt-get install chromium); browser test skipped');
    return undefined;
  }
  return chromium.launch({
    executablePath: path,
    headless: true,
    timeout: 30_000,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

/** Folder of the screenshots of the test run. */
export const SCREENSHOT_DIR = resolve('test-output', 'screenshots');

/** Saves a full-page screenshot of `page` as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fails the test with the page's console errors and failed requests, if any were seen. */
export function watchPageErrors(page: Page): () => readonly string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return () => errors;
}
