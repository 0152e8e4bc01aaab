/**
 * Shared set-up of the browser tests (issue 17): builds the page (scripts/build-web.mjs) into a temporary folder,
 * and drives headless Chromium through playwright-core. The Chromium is the system's (Debian's `chromium`
 * package, /usr/bin/chromium, or DVKEYS_CHROMIUM); where it is absent the tests are skipped with a message saying
 * so (.ci/run installs it).
 *
 * Every request the browser makes is logged per page: the tests check that the only ones are the page's own
 * file:// URL and the blob: URLs the page makes itself (its KDF workers and downloads).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['DVKEYS_CHROMIUM'] ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set DVKEYS_CHROMIUM)`);

export interface WebSession {
  readonly browser: Browser;
  readonly url: string;
  readonly dir: string;
  close(): Promise<void>;
}

/** Builds the page into a temporary folder and launches Chromium. */
export async function startSession(): Promise<WebSession> {
  const dir = mkdtempSync(join(tmpdir(), 'dvkeys-web-'));
  const { buildWeb } = await import('../../scripts/build-web.mjs');
  const file = join(dir, 'dvkeys.html');
  await buildWeb(file);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    browser,
    url: pathToFileURL(file).href,
    dir,
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page on the app with its request log, console log and page errors. */
export interface AppPage {
  readonly page: Page;
  /** Every request URL the page (or its workers) made. */
  readonly requests: string[];
  /** Console messages (the page must print none). */
  readonly console: string[];
  /** Uncaught page errors. */
  readonly errors: string[];
  /** Failed requests: `<url> <error text>`. */
  readonly failed: string[];
}

export async function openApp(s: WebSession, viewport = { width: 1280, height: 800 }, hash = ''): Promise<AppPage> {
  const context = await s.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleLog: string[] = [];
  const errors: string[] = [];
  const failed: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('console', (m) => consoleLog.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(s.url + hash);
  return { page, requests, console: consoleLog, errors, failed };
}

/** The requests that are neither the page itself nor a blob: URL the page made. */
export function foreignRequests(app: AppPage, url: string): string[] {
  return app.requests.filter((r) => r.split('#')[0] !== url && !r.startsWith('blob:'));
}
