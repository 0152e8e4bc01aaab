/**
 * Attack a09 (verify's KDF-work budget, decision 0422): the budget is counted once, the work is spent twice.
 * verifyCeremony counts the KDF work of every keystore to decrypt, then runs one decryptKeystores batch; when ANY
 * keystore fails (wrong password, bad checksum), it decrypts the whole tree again folder by folder (verify.ts
 * decryptFound, "review F17"). A hostile tree puts one keystore with a broken checksum LAST: the first batch runs
 * every KDF before it fails (jobs start in order), then the fallback runs every KDF again. So a tree admitted at
 * the default budget (2 units per keystore) costs 4 units per keystore, twice what the budget admitted.
 *
 * What must hold (decision 0422): the KDF work verify spends is at most the work it counted against the budget.
 */
import { describe, expect, it, vi } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { fileHash } from '../../src/ceremony/files.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { verifyCeremony } from '../../src/ceremony/verify.js';
import type { KdfParams } from '../../src/keys/kdf.js';
import { SECRETS } from '../helpers/inputs.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const calls: KdfParams[] = [];
vi.mock('../../src/keys/kdf.js', async (importOriginal) => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vitest's importOriginal needs the module type
  const orig = await importOriginal<typeof import('../../src/keys/kdf.js')>();
  return {
    ...orig,
    deriveKey: (params: KdfParams, password: Uint8Array, options?: Parameters<typeof orig.deriveKey>[2]) => {
      calls.push(params);
      return orig.deriveKey(params, password, options);
    },
  };
});

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];

async function tree() {
  const { files } = await runSplit({
    validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: OPERATORS,
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('a09'),
  });
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const m = JSON.parse(new TextDecoder().decode(byPath.get('ceremony.json')));
  // the last keystore of the last folder gets a wrong checksum (its KDF still runs); the manifest hash is updated
  const last = 'carol/keystore-1.json';
  const ks = JSON.parse(new TextDecoder().decode(byPath.get(last)));
  ks.crypto.checksum.message = ks.crypto.checksum.message.replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
  const b = utf8(JSON.stringify(ks));
  byPath.set(last, b);
  m.files[last] = fileHash(b);
  const manifestText = `${JSON.stringify(m, null, 2)}\n`;
  const folders: FolderSnapshot[] = OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map([...[...byPath].filter(([p]) => p.startsWith(`${name}/`)).map(([p, b]): [string, Uint8Array] => [p.slice(name.length + 1), b]), ['ceremony.json', utf8(manifestText)]]),
  }));
  return { manifestText, folders };
}

describe('a09: one bad keystore last makes verify run every KDF twice', () => {
  it('setup: the report names carol\'s bad keystore (the attack costs nothing else)', async () => {
    const { manifestText, folders } = await tree();
    const r = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true });
    expect(r.ok).toBe(false);
    expect(r.lines.filter((l) => l.status === 'fail').map((l) => [l.check, l.subject])).toEqual([['shares', 'carol']]);
  });

  // Fixed by decryptKeystoresSettled (one pass, failures per keystore): before, on main at 13:10 UTC, 12 KDF runs for 6 keystores.
  it('verify runs each of the 6 counted KDFs once, not more', async () => {
    const { manifestText, folders } = await tree();
    calls.length = 0;
    await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true });
    expect(calls.length).toBe(6);
  });
});
