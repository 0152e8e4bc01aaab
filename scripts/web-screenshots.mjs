/* global document */
// Regenerates the screenshots of docs/web.md (docs/web/*.png): builds the page (scripts/build-web.mjs), opens it
// in headless Chromium (/usr/bin/chromium or DVKEYS_CHROMIUM) and drives each screen with the bundled sample
// keystore (a public test key). Run: node scripts/web-screenshots.mjs
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildWeb } from './build-web.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(repo, 'docs', 'web');
const sample = [join(repo, 'samples', 'keystore-0.json'), join(repo, 'samples', 'keystore-0.txt')];
const work = mkdtempSync(join(tmpdir(), 'dvkeys-shots-'));
mkdirSync(shots, { recursive: true });
const file = join(work, 'dvkeys.html');
await buildWeb(file);
const url = pathToFileURL(file).href;
const browser = await chromium.launch({ executablePath: process.env.DVKEYS_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const wide = { width: 1280, height: 800 };
const narrow = { width: 390, height: 844 };

async function open(viewport, hash) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url + hash);
  return page;
}

try {
  let page = await open(wide, '#plan');
  await page.screenshot({ path: join(shots, 'plan.png'), fullPage: true });
  await page.context().close();

  page = await open(narrow, '#plan');
  await page.fill('#plan-operators', 'eridian:3,spacesider:3');
  await page.fill('#plan-threshold', '3');
  await page.press('#plan-threshold', 'Enter');
  await page.screenshot({ path: join(shots, 'plan-refused-390.png') });
  await page.context().close();

  page = await open(wide, '#split');
  await page.setInputFiles('#split-files', sample);
  await page.click('#split-run');
  await page.waitForFunction(() => document.querySelectorAll('#split-downloads a').length === 10, undefined, { timeout: 120_000 });
  await page.screenshot({ path: join(shots, 'split.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#split-downloads a').nth(5).click()]);
  const zip = join(work, download.suggestedFilename());
  await download.saveAs(zip);
  const fingerprint = await page.locator('#split-fingerprint').textContent();
  await page.context().close();

  page = await open(wide, '#verify');
  await page.setInputFiles('#verify-files', [zip]);
  await page.fill('#verify-fingerprint', fingerprint ?? '');
  await page.click('#verify-run');
  await page.waitForFunction(() => /(passed|FAILED)\.$/.test(document.getElementById('verify-status')?.textContent ?? ''), undefined, { timeout: 120_000 });
  await page.screenshot({ path: join(shots, 'verify.png'), fullPage: true });
  await page.context().close();

  page = await open(narrow, '#combine');
  await page.screenshot({ path: join(shots, 'combine-390.png'), fullPage: true });
  await page.context().close();
  console.log(`wrote ${shots}/{plan,plan-refused-390,split,verify,combine-390}.png`);
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
