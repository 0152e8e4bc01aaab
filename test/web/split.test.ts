/**
 * The page's split screen in headless Chromium (issue 17): the bundled sample keystore split 6-of-9 over three
 * stakers; the downloaded zips, unpacked, pass the CLI's verify (whole tree and one folder with the fingerprint)
 * and combine back to the original key, and hold the same files as a CLI split of the same input. Cancel stops a
 * running split (scrypt shares) and nothing is offered; a wrong password shows the CLI's one-line error. No
 * request leaves the page, nothing is printed to the console, and the secret fields are emptied.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptKeystores } from '../../src/keys/batch.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { runCli } from '../helpers/cli.js';
import { foreignRequests, HAVE_CHROMIUM, openApp, startSession, type AppPage, type WebSession } from './browser.js';

const repo = join(import.meta.dirname, '..', '..');
const SAMPLE = join(repo, 'samples', 'keystore-0.json');
const SAMPLE_TXT = join(repo, 'samples', 'keystore-0.txt');
let s: WebSession;

async function sampleSecret(): Promise<Uint8Array> {
  const keystore = parseKeystore(readFileSync(SAMPLE, 'utf8'), 'sample');
  const [secret] = await decryptKeystores([{ keystore, password: readFileSync(SAMPLE_TXT, 'utf8'), source: 'sample' }]);
  return secret!;
}

/** Clicks every download link of `list` and saves each file into `dir`; returns their names. */
async function downloadAll(app: AppPage, list: string, dir: string): Promise<string[]> {
  const names: string[] = [];
  const links = app.page.locator(`${list} a[download]`);
  for (let i = 0; i < (await links.count()); i++) {
    const [d] = await Promise.all([app.page.waitForEvent('download'), links.nth(i).click()]);
    await d.saveAs(join(dir, d.suggestedFilename()));
    names.push(d.suggestedFilename());
  }
  return names;
}

/** Unpacks the zips of `dir` into `out` (each holds `<folder>/...`) and copies the other files. */
function unpack(dir: string, names: string[], out: string): void {
  mkdirSync(out, { recursive: true });
  for (const n of names) {
    const bytes = new Uint8Array(readFileSync(join(dir, n)));
    if (!n.endsWith('.zip')) {
      writeFileSync(join(out, n), bytes);
      continue;
    }
    for (const [path, data] of Object.entries(unzipSync(bytes))) {
      mkdirSync(join(out, path, '..'), { recursive: true });
      writeFileSync(join(out, path), data);
    }
  }
}

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe.skipIf(!HAVE_CHROMIUM)('web app: split screen', () => {
  beforeAll(async () => {
    s = await startSession();
  }, 60_000);
  afterAll(async () => s?.close());

  it('splits the sample 6-of-9 over three stakers; the zips pass the CLI verify and combine back to the key', async () => {
    const app = await openApp(s, undefined, '#split');
    const { page } = app;
    await page.setInputFiles('#split-files', [SAMPLE, SAMPLE_TXT]);
    await page.fill('#split-threshold', '6');
    await page.click('#split-run');
    await expect.poll(() => page.getByTestId('fingerprint').textContent(), { timeout: 60_000 }).toMatch(/^[0-9a-f]{64}$/);
    const fingerprint = (await page.getByTestId('fingerprint').textContent())!;
    expect(await page.locator('#split-error').textContent()).toBe('');
    expect(await page.locator('#split-status').textContent()).toContain('Split 1 validator key(s) into 9 shares, threshold 6 of 9 (eridian 3, spacesider 3, cloud 3).');

    const got = join(s.dir, 'downloads');
    mkdirSync(got);
    const names = await downloadAll(app, '#split-downloads', got);
    const folders = ['eridian-1', 'eridian-2', 'eridian-3', 'spacesider-1', 'spacesider-2', 'spacesider-3', 'cloud-1', 'cloud-2', 'cloud-3'];
    expect(names).toEqual(['ceremony.json', ...folders.map((f) => `${f}.zip`)]);
    const tree = join(s.dir, 'tree');
    unpack(got, names, tree);

    // The same files as the CLI writes for the same input and options.
    const cli = await runCli(['split', SAMPLE, '--operators', 'eridian:3,spacesider:3,cloud:3', '--threshold', '6', '--out', join(s.dir, 'cli')]);
    expect(cli.code, cli.err).toBe(0);
    expect(listTree(tree)).toEqual(listTree(join(s.dir, 'cli')));

    const whole = await runCli(['verify', tree, '--fingerprint', fingerprint]);
    expect(whole.code, whole.out + whole.err).toBe(0);
    expect(whole.out).toContain('All checks passed.');
    const one = await runCli(['verify', join(tree, 'spacesider-2'), '--fingerprint', fingerprint]);
    expect(one.code, one.out + one.err).toBe(0);

    const back = join(s.dir, 'back');
    const six = ['cloud-3', 'eridian-1', 'spacesider-2', 'cloud-1', 'spacesider-3', 'eridian-2'];
    const c = await runCli(['combine', ...six.flatMap((f) => ['--in', join(tree, f)]), '--out', back, '--insecure-keys']);
    expect(c.code, c.err).toBe(0);
    const recovered = parseKeystore(readFileSync(join(back, 'keystore-0.json'), 'utf8'), 'back');
    const [secret] = await decryptKeystores([{ keystore: recovered, password: readFileSync(join(back, 'keystore-0.txt'), 'utf8'), source: 'back' }]);
    expect(Buffer.from(secret!).toString('hex')).toBe(Buffer.from(await sampleSecret()).toString('hex'));

    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a wrong password shows the one-line error of dvkeys split; the password field is emptied', async () => {
    const app = await openApp(s, undefined, '#split');
    const { page } = app;
    await page.setInputFiles('#split-files', [SAMPLE]);
    await page.fill('#split-password', 'not the password');
    await page.click('#split-run');
    await expect.poll(() => page.locator('#split-error').textContent(), { timeout: 60_000 }).not.toBe('');
    let expected = '';
    try {
      await decryptKeystores([{ keystore: parseKeystore(readFileSync(SAMPLE, 'utf8'), 'keystore-0.json'), password: 'not the password', source: 'keystore-0.json' }]);
    } catch (e) {
      expected = `dvkeys split: error: ${(e as Error).message} [${(e as { code: string }).code}]`;
    }
    expect(expected).toMatch(/wrong password.*\[WRONG_PASSWORD\]$/);
    expect(await page.locator('#split-error').textContent()).toBe(expected);
    expect(await page.inputValue('#split-password')).toBe('');
    expect(await page.locator('#split-downloads a').count()).toBe(0);
    expect(await page.getByTestId('fingerprint').textContent()).toBe('');
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('Cancel stops a running split at once and nothing is offered; the next split works', async () => {
    const app = await openApp(s, undefined, '#split');
    const { page } = app;
    await page.setInputFiles('#split-files', [SAMPLE, SAMPLE_TXT]);
    await page.selectOption('#split-kdf', 'scrypt'); // 9 share keystores at n = 2^18: many seconds of work
    await page.click('#split-run');
    await expect.poll(() => page.locator('#split-status').textContent()).toMatch(/^decrypting input keystores/);
    await page.waitForTimeout(1500);
    expect(await page.isDisabled('#split-cancel')).toBe(false);
    const t0 = Date.now();
    await page.click('#split-cancel');
    await expect.poll(() => page.locator('#split-status').textContent(), { timeout: 5000 }).toBe('Cancelled: nothing was made.');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await page.locator('#split-error').textContent()).toBe('');
    expect(await page.locator('#split-downloads a').count()).toBe(0);
    expect(await page.getByTestId('fingerprint').textContent()).toBe('');
    expect(await page.isDisabled('#split-cancel')).toBe(true);
    // Nothing arrives later either, and the workers come back for the next split.
    await page.waitForTimeout(1000);
    expect(await page.locator('#split-downloads a').count()).toBe(0);
    await page.setInputFiles('#split-files', [SAMPLE, SAMPLE_TXT]);
    await page.selectOption('#split-kdf', 'pbkdf2');
    await page.click('#split-run');
    await expect.poll(() => page.locator('#split-downloads a').count(), { timeout: 60_000 }).toBe(10);
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
