/**
 * The page's verify and combine screens in headless Chromium (issue 17), on a tree the CLI wrote from the sample
 * keystore: verify of one operator's zip prints exactly the lines `dvkeys verify` prints for that folder (with the
 * right fingerprint: all pass; with a wrong one: the same FAIL lines); combine of six folders' zips downloads the
 * original key. No request leaves the page.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptKeystores } from '../../src/keys/batch.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { runCli } from '../helpers/cli.js';
import { foreignRequests, HAVE_CHROMIUM, openApp, startSession, type WebSession } from './browser.js';

const repo = join(import.meta.dirname, '..', '..');
const SAMPLE = join(repo, 'samples', 'keystore-0.json');
const SAMPLE_TXT = join(repo, 'samples', 'keystore-0.txt');
let s: WebSession;
let tree: string;
let fingerprint: string;

/** `<dir>/<folder>` as `<zips>/<folder>.zip` holding `<folder>/<file>`. */
function zipFolder(folder: string, zips: string): string {
  const data: Record<string, Uint8Array> = {};
  for (const f of readdirSync(join(tree, folder))) data[`${folder}/${f}`] = new Uint8Array(readFileSync(join(tree, folder, f)));
  const path = join(zips, `${folder}.zip`);
  writeFileSync(path, zipSync(data));
  return path;
}

describe.skipIf(!HAVE_CHROMIUM)('web app: verify and combine screens', () => {
  beforeAll(async () => {
    s = await startSession();
    tree = join(s.dir, 'tree');
    const r = await runCli(['split', SAMPLE, '--operators', 'eridian:3,spacesider:3,cloud:3', '--out', tree, '--json']);
    expect(r.code, r.err).toBe(0);
    fingerprint = JSON.parse(r.out).fingerprint;
    mkdirSync(join(s.dir, 'zips'));
  }, 120_000);
  afterAll(async () => s?.close());

  it('verify of one folder zip prints the lines of dvkeys verify, with the right and with a wrong fingerprint', async () => {
    const zip = zipFolder('spacesider-2', join(s.dir, 'zips'));
    const app = await openApp(s, undefined, '#verify');
    const { page } = app;
    const grouped = (fingerprint.match(/.{8}/g) ?? []).join(' '); // as read aloud
    for (const [fp, code] of [[grouped, 0], [`${fingerprint.slice(0, 63)}${fingerprint.endsWith('0') ? '1' : '0'}`, 1]] as const) {
      await page.setInputFiles('#verify-files', [zip]);
      await page.fill('#verify-fingerprint', fp);
      await page.click('#verify-run');
      await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 60_000 }).toMatch(/(All checks passed|FAILED)\.$/);
      const cli = await runCli(['verify', 'spacesider-2', '--fingerprint', fp], { cwd: tree });
      expect(cli.code).toBe(code);
      expect(await page.locator('#verify-out').textContent()).toBe(cli.out);
    }
    expect(await page.locator('#verify-out').textContent()).toMatch(/FAIL/);
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('verify without a ceremony.json shows the one-line error', async () => {
    const app = await openApp(s, undefined, '#verify');
    const { page } = app;
    await page.setInputFiles('#verify-files', [SAMPLE]);
    await page.click('#verify-run');
    await expect.poll(() => page.locator('#verify-error').textContent()).toMatch(/^dvkeys verify: error: .*has no ceremony\.json.* \[INVALID_FORMAT\]$/);
    await page.context().close();
  });

  it('combine of six folder zips downloads the original key', async () => {
    const six = ['cloud-3', 'eridian-1', 'spacesider-2', 'cloud-1', 'spacesider-3', 'eridian-2'].map((f) => zipFolder(f, join(s.dir, 'zips')));
    const app = await openApp(s, undefined, '#combine');
    const { page } = app;
    await page.setInputFiles('#combine-files', six);
    await page.selectOption('#combine-kdf', 'pbkdf2');
    await page.click('#combine-run');
    await expect.poll(() => page.locator('#combine-downloads a').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator('#combine-status').textContent()).toMatch(/^Recovered 1 validator key\(s\) from .*; each matches its validator pubkey\./);
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#combine-downloads a').click()]);
    expect(d.suggestedFilename()).toBe('recovered-keys.zip');
    const path = join(s.dir, 'recovered.zip');
    await d.saveAs(path);
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    expect(Object.keys(files).sort()).toEqual(['keystore-0.json', 'keystore-0.txt']);
    const dec = new TextDecoder();
    const [got] = await decryptKeystores([{ keystore: parseKeystore(dec.decode(files['keystore-0.json']), 'r'), password: dec.decode(files['keystore-0.txt']), source: 'r' }]);
    const [want] = await decryptKeystores([{ keystore: parseKeystore(readFileSync(SAMPLE, 'utf8'), 's'), password: readFileSync(SAMPLE_TXT, 'utf8'), source: 's' }]);
    expect(Buffer.from(got!).toString('hex')).toBe(Buffer.from(want!).toString('hex'));
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
