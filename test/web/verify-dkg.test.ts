/**
 * The page's verify of a DKG operator folder (issue 17, decision 0906; attacks a14, a16): the deposit certificate
 * check is the core's, so the page prints exactly the lines `dvkeys verify` prints for the same folder: all pass for
 * the finished folder, and the same FAIL lines with the same code for a tampered deposit-data.json or certificate.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { runCli } from '../helpers/cli.js';
import { dkgFolder, DKG_SHARE_PASSWORD, writeFolder, type DkgFolder } from '../helpers/dkg-folder.js';
import { foreignRequests, HAVE_CHROMIUM, openApp, startSession, type WebSession } from './browser.js';

let s: WebSession;
let d: DkgFolder;

/** `<s.dir>/<name>` written from `files`, and its zip holding `<name>/<file>`. */
function folderAndZip(name: string, files: ReadonlyMap<string, Uint8Array>): string {
  const dir = join(s.dir, name);
  writeFolder(dir, files);
  const data: Record<string, Uint8Array> = {};
  for (const f of readdirSync(dir)) data[`${name}/${f}`] = new Uint8Array(readFileSync(join(dir, f)));
  const zip = join(s.dir, `${name}.zip`);
  writeFileSync(zip, zipSync(data));
  return zip;
}

describe.skipIf(!HAVE_CHROMIUM)('web app: verify of a DKG operator folder checks its deposit certificate as the CLI does', () => {
  beforeAll(async () => {
    s = await startSession();
    d = await dkgFolder('web certificate check');
    writeFileSync(join(s.dir, 'share-password.txt'), DKG_SHARE_PASSWORD);
  }, 120_000);
  afterAll(async () => s?.close());

  const cert = (edit: (c: DkgFolder['certificate']) => void): Map<string, Uint8Array> => {
    const c = structuredClone(d.certificate);
    edit(c);
    return new Map([...d.files, ['deposit-certificate.json', utf8(JSON.stringify(c))]]);
  };
  const deposit = (edit: (e: Record<string, string>) => void): Map<string, Uint8Array> => {
    const entries = JSON.parse(new TextDecoder().decode(d.files.get('deposit-data.json'))) as Record<string, string>[];
    edit(entries[0]!);
    return new Map([...d.files, ['deposit-data.json', utf8(JSON.stringify(entries))]]);
  };

  it('finished, certificate without a READY, no certificate, deposit-data.json with another amount: the page prints the CLI lines', async () => {
    const cases: [string, () => Map<string, Uint8Array>, string | undefined][] = [
      ['op-finished', () => d.files, undefined],
      ['op-no-ready-3', () => cert((c) => (c.signatures = c.signatures.filter((x) => x.index !== 3))), 'DKG_NOT_READY'],
      ['op-no-certificate', () => new Map([...d.files].filter(([f]) => f !== 'deposit-certificate.json')), 'DKG_NOT_READY'],
      ['op-amount', () => deposit((e) => (e['amount'] = '1000000000')), 'AMOUNT_INVALID'],
    ];
    const app = await openApp(s, undefined, '#verify');
    const { page } = app;
    for (const [name, files, code] of cases) {
      const zip = folderAndZip(name, files());
      await page.setInputFiles('#verify-files', [zip]);
      await page.fill('#verify-fingerprint', d.fingerprint);
      await page.fill('#verify-password', DKG_SHARE_PASSWORD);
      await page.click('#verify-run');
      await expect.poll(() => page.locator('#verify-status').textContent(), { timeout: 60_000 }).toMatch(/(All checks passed|FAILED)\.$/);
      const cli = await runCli(['verify', name, '--fingerprint', d.fingerprint, '--password-file', 'share-password.txt'], { cwd: s.dir });
      const json = await runCli(['verify', name, '--fingerprint', d.fingerprint, '--password-file', 'share-password.txt', '--json'], { cwd: s.dir });
      const line = (JSON.parse(json.out) as { checks: { subject: string; status: string; code?: string }[] }).checks.find((c) => c.subject === 'deposit-certificate.json');
      expect(cli.code, name).toBe(code === undefined ? 0 : 1);
      expect([line?.status, line?.code], name).toEqual(code === undefined ? ['pass', undefined] : ['fail', code]);
      const shown = await page.locator('#verify-out').textContent();
      expect(shown, name).toBe(cli.out);
      expect(shown, name).toMatch(code === undefined ? /ok {3}files {5}deposit-certificate\.json: every operator signed READY/ : /FAIL files {5}deposit-certificate\.json: /);
    }
    expect(foreignRequests(app, s.url)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.errors).toEqual([]);
    await page.context().close();
  }, 240_000);
});
