/**
 * combine's pipeline (issue 14: "no stage waits for the whole previous stage"): each recovered key's encryption
 * starts as soon as that validator is checked, so its KDF runs while the next validators' recombination checks run
 * on this thread; a check that fails after some encryptions started still returns nothing and wipes every kept key.
 *
 * The order is observed, not timed: vi.mock wrappers record each deriveKey call and each checkRecombination call
 * in one event list.
 */
import { describe, expect, it, vi } from 'vitest';
import { runCombine } from '../../src/ceremony/combine.js';
import { runSplit } from '../../src/ceremony/split.js';
import type { FolderSnapshot } from '../../src/ceremony/tree.js';
import { KeptKey } from '../../src/keys/kept-key.js';
import type { KdfParams } from '../../src/keys/kdf.js';
import { SECRETS } from '../helpers/inputs.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const events: string[] = [];
const failAt = { check: -1, calls: 0 };
vi.mock('../../src/keys/kdf.js', async (importOriginal) => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vitest's importOriginal needs the module type
  const orig = await importOriginal<typeof import('../../src/keys/kdf.js')>();
  return {
    ...orig,
    deriveKey: (params: KdfParams, password: Uint8Array, options?: Parameters<typeof orig.deriveKey>[2]) => {
      events.push(`kdf:${params.function}`);
      return orig.deriveKey(params, password, options);
    },
  };
});
vi.mock('../../src/sharing/recombine.js', async (importOriginal) => {
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- vitest's importOriginal needs the module type
  const orig = await importOriginal<typeof import('../../src/sharing/recombine.js')>();
  return {
    ...orig,
    checkRecombination: (...args: Parameters<typeof orig.checkRecombination>) => {
      const n = failAt.calls++;
      events.push('check');
      const report = orig.checkRecombination(...args);
      if (n !== failAt.check) return report;
      return { ...report, checks: [{ ...report.checks[0]!, status: 'fail' as const, code: 'SHARE_MISMATCH' as const, detail: 'injected', culprits: ['2'] }] };
    },
  };
});

const OPERATORS = [
  { index: 1, name: 'alice', group: 'alice' },
  { index: 2, name: 'bob', group: 'bob' },
  { index: 3, name: 'carol', group: 'carol' },
];
const V = SECRETS.length; // 3

/** A 2-of-3 split of V validators (pbkdf2 c=16 shares), as folder snapshots. */
async function folders(): Promise<FolderSnapshot[]> {
  const { files } = await runSplit({
    validators: SECRETS.slice(0, V).map((s, i) => ({ secret: hex(s), source: `v${i}` })),
    operators: OPERATORS,
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('combine pipeline'),
  });
  const byPath = new Map(files.map((f) => [f.path, f.bytes]));
  return OPERATORS.map(({ name }) => ({
    label: `out/${name}`,
    files: new Map([
      ...[...byPath].filter(([p]) => p.startsWith(`${name}/`)).map(([p, b]): [string, Uint8Array] => [p.slice(name.length + 1), b]),
      ['ceremony.json', byPath.get('ceremony.json')!],
    ]),
  }));
}

// scrypt for the recovered keystores, so their KDFs are told apart from the pbkdf2 share decryptions
const input = (f: FolderSnapshot[]) => ({ folders: f, password: 'recovered-password', kdf: 'scrypt' as const, kdfParams: { n: 16, r: 8, p: 1 } });

describe('combine pipelines the checks with the encryptions (issue 14)', () => {
  it('starts encrypting validator 0 before the last validator is checked, and every key still checks', async () => {
    const f = await folders();
    events.length = 0;
    failAt.check = -1;
    failAt.calls = 0;
    const out = await runCombine(input(f));
    expect(out.files.map((x) => x.path)).toEqual(['keystore-0.json', 'keystore-1.json', 'keystore-2.json']);
    const checks = events.flatMap((e, i) => (e === 'check' ? [i] : []));
    const encryptions = events.flatMap((e, i) => (e === 'kdf:scrypt' ? [i] : []));
    expect(checks).toHaveLength(V);
    expect(encryptions).toHaveLength(V);
    // every share decryption (2 folders x V pbkdf2) comes first; then checks and encryptions interleave
    expect(events.slice(0, 2 * V)).toEqual(Array<string>(2 * V).fill('kdf:pbkdf2'));
    expect(encryptions[0]).toBeLessThan(checks[V - 1]!);
  });

  it('a check that fails after encryptions started returns nothing and wipes every kept key', async () => {
    const f = await folders();
    events.length = 0;
    failAt.calls = 0;
    failAt.check = 2; // the third (last) validator
    const wipe = vi.spyOn(KeptKey.prototype, 'wipe');
    try {
      const err = await runCombine({ ...input(f), keepKeys: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ name: 'VerificationError', code: 'SHARE_MISMATCH', culprits: ['bob'] });
      expect((err as Error).message).toBe('validator 2: injected (operator bob)');
      const encryptions = events.filter((e) => e === 'kdf:scrypt').length;
      expect(encryptions).toBeGreaterThanOrEqual(1); // validators 0 and 1 were being encrypted when 2 failed
      expect(encryptions).toBeLessThanOrEqual(2);
      expect(wipe.mock.calls.length).toBeGreaterThanOrEqual(encryptions);
    } finally {
      wipe.mockRestore();
      failAt.check = -1;
    }
  });
});
