/**
 * verifyCeremony (src/ceremony/verify.ts) on an in-memory split tree: a failed check is a `fail` line and makes the
 * report not ok, never a `skipped` one (issue 19: a recombination check that threw, and a folder whose keystores
 * did not decrypt, were once reported as skipped and `dvkeys verify` exited 0).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeG1, G1 } from '../../src/bls/group.js';
import { bytesToHex, utf8 } from '../../src/bytes.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { verifyCeremony, type VerifyReport } from '../../src/ceremony/verify.js';
import { insecureTestRng } from '../helpers/rng.js';

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];

async function tree() {
  const { files } = await runSplit({
    validators: [{ secret: Buffer.from('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', 'hex'), source: 'v0' }],
    operators: OPERATORS,
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('ceremony verify'),
  });
  const manifestText = new TextDecoder().decode(files.find((f) => f.path === 'ceremony.json')!.bytes);
  const folders: FolderSnapshot[] = OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map(files.filter((f) => f.path.startsWith(`${name}/`)).map((f) => [f.path.slice(name.length + 1), f.bytes])),
  }));
  return { manifestText, folders };
}

/** Every folder's copy of ceremony.json replaced, so only the altered content itself can fail. */
function withManifest(folders: readonly FolderSnapshot[], text: string): FolderSnapshot[] {
  return folders.map((f) => ({ label: f.label, files: new Map([...f.files, ['ceremony.json', utf8(text)]]) }));
}

const failed = (r: VerifyReport) => r.lines.filter((l) => l.status === 'fail').map(({ check, subject, code, culprits }) => ({ check, subject, code, culprits }));

describe('verifyCeremony', () => {
  it('an honest tree: ok, shares decrypted and every recombination check passes', async () => {
    const { manifestText, folders } = await tree();
    const r = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true });
    expect(failed(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.operators).toEqual(['alice', 'bob', 'carol']);
    expect(r.lines.filter((l) => l.status === 'skipped')).toEqual([]);
    expect(r.lines.find((l) => l.check === 'shares' && l.subject === 'keystores')?.detail).toBe('3 keystore(s) decrypted');
  });

  it('a commitment that is not a valid point: the recombination check throws, reported as a fail (not skipped), report not ok', async () => {
    const { manifestText, folders } = await tree();
    const m = JSON.parse(manifestText);
    // x = 2^381 - 1 with the compression flag: not a field element, so not a point
    m.validators[0].commitments[1] = `0x${'9f'}${'ff'.repeat(47)}`;
    const text = `${JSON.stringify(m, null, 2)}\n`;
    const r = await verifyCeremony({ manifestText: text, manifestSource: 'out/ceremony.json', folders: withManifest(folders, text), wholeTree: true, noDecrypt: true });
    expect(r.ok).toBe(false);
    const subject = `validator 0 ${bytesToHex(Buffer.from(m.validators[0].pubkey.slice(2), 'hex'), true).slice(0, 14)}…`;
    expect(failed(r)).toEqual([{ check: 'sharing', subject, code: 'INVALID_POINT', culprits: undefined }]);
  });

  it('a commitment that is a valid point but not the polynomial: every public share mismatches, names the operators', async () => {
    const { manifestText, folders } = await tree();
    const m = JSON.parse(manifestText);
    m.validators[0].commitments[1] = bytesToHex(encodeG1(G1.BASE), true);
    const text = `${JSON.stringify(m, null, 2)}\n`;
    const r = await verifyCeremony({ manifestText: text, manifestSource: 'out/ceremony.json', folders: withManifest(folders, text), wholeTree: true, noDecrypt: true });
    expect(r.ok).toBe(false);
    expect(failed(r).map((l) => [l.check, l.subject.split(' ').pop(), l.code, l.culprits])).toEqual([['sharing', 'polynomial', 'PUBLIC_SHARE_MISMATCH', ['alice', 'bob', 'carol']]]);
  });

  it("one folder's password wrong: that operator's shares fail with WRONG_PASSWORD and its name, the others decrypt, report not ok", async () => {
    const { manifestText, folders } = await tree();
    const bad = folders.map((f) => (f.label === 'out/bob' ? { label: f.label, files: new Map([...f.files, ['keystore-0.txt', utf8('not the password')]]) } : f));
    const r = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders: bad, wholeTree: true });
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual([{ check: 'shares', subject: 'bob', code: 'WRONG_PASSWORD', culprits: ['bob'] }]);
    expect(r.lines.filter((l) => l.check === 'shares' && l.status === 'pass' && (l.subject === 'alice' || l.subject === 'carol')).map((l) => l.detail)).toEqual(['1 keystore(s) decrypted', '1 keystore(s) decrypted']);
    // the two shares that decrypted are still checked against the public data
    expect(r.lines.find((l) => l.subject.endsWith(' shares'))?.status).toBe('pass');
  });
});

/** Two validators, three operators, 2-of-3: the folder-level checks, each failing alone (issue 19, docs/mutation.md). */
describe('verifyCeremony: folder checks', () => {
  let base: { manifestText: string; folders: FolderSnapshot[] };
  beforeAll(async () => {
    const { files } = await runSplit({
      validators: ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '163dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3'].map((h, v) => ({ secret: Buffer.from(h, 'hex'), source: `v${v}` })),
      operators: OPERATORS,
      threshold: 2,
      kdf: 'pbkdf2',
      kdfParams: { c: 16 },
      rng: insecureTestRng('ceremony verify 2'),
    });
    const manifestText = new TextDecoder().decode(files.find((f) => f.path === 'ceremony.json')!.bytes);
    base = {
      manifestText,
      folders: OPERATORS.map(({ name }) => ({
        label: `out/${name}`,
        files: new Map(files.filter((f) => f.path.startsWith(`${name}/`)).map((f) => [f.path.slice(name.length + 1), f.bytes])),
      })),
    };
  });
  const run = (over: Partial<Parameters<typeof verifyCeremony>[0]> = {}) =>
    verifyCeremony({ manifestText: base.manifestText, manifestSource: 'out/ceremony.json', folders: base.folders, wholeTree: true, noDecrypt: true, ...over });
  const edit = (name: string, change: (files: Map<string, Uint8Array>) => void): FolderSnapshot[] =>
    base.folders.map((f) => {
      if (f.label !== `out/${name}`) return f;
      const files = new Map(f.files);
      change(files);
      return { label: f.label, files };
    });
  const lines = (r: VerifyReport) => r.lines.filter((l) => l.status !== 'pass').map(({ check, subject, status, code, detail }) => ({ check, subject, status, ...(code ? { code } : {}), detail }));

  it('public data only: one skipped line, every other check passes', async () => {
    const r = await run();
    expect(r.ok).toBe(true);
    const recombination = (v: number, pk: string) => [
      { check: 'shares', subject: `validator ${v} ${pk}… shares`, status: 'skipped', detail: 'no secret shares given' },
      { check: 'shares', subject: `validator ${v} ${pk}… threshold-signature`, status: 'skipped', detail: 'needs 2 secret shares, have 0' },
    ];
    const pks = JSON.parse(base.manifestText).validators.map((v: { pubkey: string }) => v.pubkey.slice(0, 14)) as string[];
    expect(lines(r)).toEqual([
      { check: 'shares', subject: 'keystores', status: 'skipped', detail: 'not decrypted (--no-decrypt): public data checked only' },
      ...recombination(0, pks[0]!),
      ...recombination(1, pks[1]!),
    ]);
    expect(r.lines[0]).toEqual({ check: 'manifest', subject: 'out/ceremony.json', status: 'pass', detail: 'split ceremony, 2-of-3, 2 validator(s)' });
    expect(r.lines.filter((l) => l.check === 'keystores').map((l) => l.detail)).toEqual(['alice', 'bob', 'carol'].map((n, i) => `operator ${n} (share ${i + 1}): 2 keystore pubkey(s) match their public shares`));
    expect(r.lines.filter((l) => l.check === 'files').map((l) => l.detail)).toEqual(Array(3).fill('2 file hash(es) match ceremony.json'));
    expect(r.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the fingerprint given: a pass when it matches, a CEREMONY_MISMATCH fail when not', async () => {
    const good = await run({ expectedFingerprint: (await run()).fingerprint });
    expect(good.ok).toBe(true);
    expect(good.lines.find((l) => l.subject === 'fingerprint')?.status).toBe('pass');
    const bad = await run({ expectedFingerprint: 'ab'.repeat(32) });
    expect(bad.ok).toBe(false);
    expect(lines(bad).filter((l) => l.status === 'fail')).toEqual([{ check: 'manifest', subject: 'fingerprint', status: 'fail', code: 'CEREMONY_MISMATCH', detail: expect.stringContaining('not the fingerprint given') }]);
  });

  it("a folder's ceremony.json: missing in a whole tree, or different, fails; missing in a single folder does not", async () => {
    const missing = edit('bob', (f) => f.delete('ceremony.json'));
    expect(lines(await run({ folders: missing })).filter((l) => l.status === 'fail')).toEqual([{ check: 'manifest', subject: 'out/bob/ceremony.json', status: 'fail', code: 'INVALID_FORMAT', detail: 'is missing (every operator folder carries a copy)' }]);
    expect((await run({ folders: [missing[1]!], wholeTree: false })).ok).toBe(true);
    const other = edit('bob', (f) => f.set('ceremony.json', utf8(`${base.manifestText} `)));
    expect(lines(await run({ folders: other })).filter((l) => l.status === 'fail')).toEqual([{ check: 'manifest', subject: 'out/bob/ceremony.json', status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'differs from the ceremony.json being verified' }]);
  });

  it('keystores: none, one missing, a second folder of one operator, a folder under another name, and an absent operator', async () => {
    const fails = async (folders: FolderSnapshot[]) => lines(await run({ folders })).filter((l) => l.status === 'fail');
    const none = edit('bob', (f) => ['keystore-0.json', 'keystore-1.json'].forEach((k) => f.delete(k)));
    expect(await fails(none)).toEqual([
      { check: 'keystores', subject: 'out/bob', status: 'fail', code: 'INVALID_FORMAT', detail: 'out/bob holds no keystore-<v>.json of this ceremony' },
      { check: 'files', subject: 'tree', status: 'fail', code: 'INVALID_FORMAT', detail: 'operator folder(s) missing: bob' },
    ]);
    expect(await fails(edit('bob', (f) => f.delete('keystore-1.json')))).toEqual([
      { check: 'keystores', subject: 'out/bob', status: 'fail', code: 'INVALID_FORMAT', detail: 'operator bob: 1 keystore(s) missing' },
      { check: 'files', subject: 'out/bob', status: 'fail', code: 'INVALID_FORMAT', detail: 'bob/keystore-1.json missing' },
    ]);
    expect(await fails([...base.folders, { ...base.folders[0]!, label: 'copy/alice' }])).toEqual([
      { check: 'keystores', subject: 'copy/alice', status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'a second folder of operator alice' },
    ]);
    const swapped = [{ ...base.folders[0]!, label: 'out/bob' }, { ...base.folders[1]!, label: 'out/alice' }, base.folders[2]!];
    expect(await fails(swapped)).toEqual([
      { check: 'files', subject: 'out/bob', status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'holds the shares of alice' },
      { check: 'files', subject: 'out/alice', status: 'fail', code: 'CEREMONY_MISMATCH', detail: 'holds the shares of bob' },
    ]);
    expect((await run({ folders: swapped, wholeTree: false })).ok).toBe(true);
    expect(await fails(base.folders.slice(0, 2))).toEqual([{ check: 'files', subject: 'tree', status: 'fail', code: 'INVALID_FORMAT', detail: 'operator folder(s) missing: carol' }]);
  });

  it('a file altered after the ceremony fails its hash line; root files and deposit data are checked', async () => {
    const altered = edit('carol', (f) => f.set('keystore-0.json', utf8(`${new TextDecoder().decode(f.get('keystore-0.json'))} `)));
    const r = await run({ folders: altered });
    expect(lines(r).filter((l) => l.check === 'files')).toEqual([{ check: 'files', subject: 'out/carol', status: 'fail', code: 'INVALID_FORMAT', detail: 'carol/keystore-0.json altered' }]);
    const root = await run({ rootFiles: { label: 'out', files: new Map([['ceremony.json', utf8(base.manifestText)], ['deposit-data.json', utf8('[]')], ['deposit-data-2-3.json', utf8('{')], ['deposit-data-x.json', utf8('{')]]) } });
    // Deposit lines are the shared pipeline's 'deposit-data' check in every layout (decision 0310; were 'files').
    expect(root.lines.filter((l) => (l.check === 'files' || l.check === 'deposit-data') && !l.subject.startsWith('out/')).map(({ subject, status, code }) => ({ subject, status, code }))).toEqual([
      { subject: 'out', status: 'pass', code: undefined },
      { subject: 'deposit-data.json', status: 'fail', code: 'INVALID_FORMAT' },
      { subject: 'deposit-data-2-3.json', status: 'fail', code: 'INVALID_JSON' },
    ]);
  });

  it('decryption: keystores without a password fail as SHARES_NOT_DECRYPTED; a KDF budget too small decrypts nothing; a wrong password fails per operator', async () => {
    const noTxt = base.folders.map((f) => ({ label: f.label, files: new Map([...f.files].filter(([k]) => !k.endsWith('.txt'))) }));
    const r = await run({ folders: noTxt, noDecrypt: false });
    expect(r.ok).toBe(false);
    expect(lines(r).filter((l) => l.status === 'fail')).toEqual([
      { check: 'shares', subject: 'keystores', status: 'fail', code: 'SHARES_NOT_DECRYPTED', detail: '6 keystore(s) not decrypted for want of a password (out/alice/keystore-0.json, out/alice/keystore-1.json, out/bob/keystore-0.json, …), so their shares are not verified; give --password-file, or --no-decrypt to check public data only' },
    ]);
    const budget = await run({ noDecrypt: false, maxKdfWork: 1e-9 });
    expect(lines(budget).filter((l) => l.status === 'fail')).toEqual([{ check: 'shares', subject: 'keystores', status: 'fail', code: 'LIMIT_EXCEEDED', detail: expect.any(String) }]);
    await expect(run({ maxKdfWork: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'maxKdfWork', message: "'maxKdfWork' limits decryption, which 'noDecrypt' skips: give one of them" });
    const wrong = await run({ noDecrypt: false, password: 'not the password' });
    expect(lines(wrong).filter((l) => l.status === 'fail').map(({ subject, code }) => [subject, code])).toEqual([['alice', 'WRONG_PASSWORD'], ['bob', 'WRONG_PASSWORD'], ['carol', 'WRONG_PASSWORD']]);
    const right = await run({ noDecrypt: false, maxKdfWork: 100 });
    expect(right.ok).toBe(true);
    expect(right.lines.find((l) => l.check === 'shares' && l.subject === 'keystores')?.detail).toBe('6 keystore(s) decrypted');
    expect(right.lines.filter((l) => l.check === 'shares' && l.subject.includes('validator')).map((l) => l.status)).toEqual(expect.arrayContaining(['pass']));
  });
});
