/**
 * Attack a10 (combine, KDF work): combine has no KDF-work budget (decision 0422 "Consequences" admits it). A hostile
 * tree whose share keystores each ask for the legal per-keystore maximum (scrypt n=2^19, r=8, p=8: 16 default
 * keystores of work, 512 MiB) makes `combine` run every one of those KDFs: 16 times the work the tree's size
 * suggests, where `verify` on the same tree refuses before any KDF runs (LIMIT_EXCEEDED).
 * The heavy KDFs are not really run here: a vi.mock wrapper records each deriveKey call and runs the heavy ones
 * as cheap ones (whose checksums then fail, so combine tries every folder), so the test shows that combine ASKED
 * for them.
 *
 * What must hold: like verify, combine counts the KDF work before any KDF runs and refuses a hostile total.
 */
import { describe, expect, it, vi } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { runCombine } from '../../src/ceremony/combine.js';
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
      // a heavy request is recorded, then run at n = 2^4 instead (its checksum then fails, as a real run's would not)
      const run = params.function === 'scrypt' && params.n >= 2 ** 19 ? { ...params, n: 16, p: 1 } : params;
      return orig.deriveKey(run, password, options);
    },
  };
});

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];

async function hostileTree() {
  const { files } = await runSplit({
    validators: SECRETS.slice(0, 2).map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: OPERATORS,
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('a10'),
  });
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  const m = JSON.parse(new TextDecoder().decode(byPath.get('ceremony.json')));
  for (const [path, bytes] of byPath) {
    if (!/keystore-[0-9]+\.json$/.test(path)) continue;
    const ks = JSON.parse(new TextDecoder().decode(bytes));
    ks.crypto.kdf = { function: 'scrypt', params: { dklen: 32, n: 2 ** 19, r: 8, p: 8, salt: '00'.repeat(32) }, message: '' };
    const b = utf8(JSON.stringify(ks));
    byPath.set(path, b);
    m.files[path] = fileHash(b);
  }
  const manifestText = `${JSON.stringify(m, null, 2)}\n`;
  const folders: FolderSnapshot[] = OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map([...[...byPath].filter(([p]) => p.startsWith(`${name}/`)).map(([p, b]): [string, Uint8Array] => [p.slice(name.length + 1), b]), ['ceremony.json', utf8(manifestText)]]),
  }));
  return { manifestText, folders };
}

describe('a10: combine runs every legal-but-heavy KDF of a hostile tree', () => {
  it('setup: verify refuses the same tree before any KDF runs (LIMIT_EXCEEDED)', async () => {
    const { manifestText, folders } = await hostileTree();
    calls.length = 0;
    const r = await verifyCeremony({ manifestText, manifestSource: 'out/ceremony.json', folders, wholeTree: true });
    expect(r.lines.filter((l) => l.status === 'fail').map((l) => l.code)).toEqual(['LIMIT_EXCEEDED']);
    expect(calls).toHaveLength(0);
  });

  // Was SUCCEEDS (notes/attack.s3.md a10; on main at 0640463: "combine requested 3 KDF(s) of 16 units each (verify:
  // 0)"). Fixed by decision 0213: combine counts the KDF work of every keystore it may decrypt before the first KDF.
  it('FAILS now: combine refuses the tree before any KDF, as verify does (LIMIT_EXCEEDED, 0 deriveKey calls)', async () => {
    const { folders } = await hostileTree();
    calls.length = 0;
    const err = await runCombine({ folders, password: 'recovered-password', kdf: 'pbkdf2', kdfParams: { c: 16 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const heavy = calls.filter((p) => p.function === 'scrypt' && p.n >= 2 ** 19).length;
    console.log(`a10: combine requested ${heavy} heavy KDF(s), ${calls.length} in all (verify: 0)`);
    expect(err).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'maxKdfWork' });
    // 3 folders x 2 keystores, each 16 units, against 2 units per keystore
    expect((err as Error).message).toBe(
      "the keystores need 96 units of KDF work (one unit: one default EIP-2335 keystore; the most: out/alice/keystore-0.json, 16), above the budget of 12 ('maxKdfWork'); nothing was decrypted",
    );
    expect(calls).toHaveLength(0);
  });
});
