/**
 * verifyCeremony (src/ceremony/verify.ts) on an in-memory split tree: a failed check is a `fail` line and makes the
 * report not ok, never a `skipped` one (issue 19: a recombination check that threw, and a folder whose keystores
 * did not decrypt, were once reported as skipped and `dvkeys verify` exited 0).
 */
import { describe, expect, it } from 'vitest';
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
