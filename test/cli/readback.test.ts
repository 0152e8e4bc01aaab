/**
 * The read-back after split and combine (issue 14): it checks the files on disk, not memory. A byte flipped after
 * the write is caught and the tree removed; a KDF that does not give the same key twice (so the keystores would
 * not open from their passwords) is caught by the one keystore per folder re-derived from its password, although
 * every other keystore is opened with the key kept from its encryption.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ReadbackHooks } from '../../src/cli/readback.js';
import { runCli } from '../helpers/cli.js';
import { makeInputs } from '../helpers/inputs.js';
import type * as Kdf from '../../src/keys/kdf.js';
import type * as Aes from '@noble/ciphers/aes.js';

/**
 * The KDF, made non-deterministic on request: once `flaky.on`, the first derivation for a salt never seen before
 * (an encryption: fresh salt) returns a corrupted key; any later one for that salt (a decryption) the true key.
 */
const flaky = vi.hoisted(() => ({ on: false, seen: new Set<string>(), corrupted: 0, calls: 0 }));
vi.mock('../../src/keys/kdf.js', async (importOriginal) => {
  const real = await importOriginal<typeof Kdf>();
  return {
    ...real,
    deriveKey: async (...args: Parameters<typeof real.deriveKey>): Promise<Uint8Array> => {
      const key = await real.deriveKey(...args);
      const salt = Buffer.from(args[0].salt).toString('hex');
      const fresh = !flaky.seen.has(salt);
      flaky.seen.add(salt);
      flaky.calls++;
      if (flaky.on && fresh) {
        key[31]! ^= 1; // in the checksum half: the keystore does not open from its password
        flaky.corrupted++;
      }
      return key;
    },
  };
});

/** AES-CTR with a fault on request: while `on`, every encryption gets one ciphertext bit flipped. */
const cipherFault = vi.hoisted(() => ({ on: false, count: 0 }));
vi.mock('@noble/ciphers/aes.js', async (importOriginal) => {
  const real = await importOriginal<typeof Aes>();
  const ctr = ((key: Uint8Array, iv: Uint8Array) => {
    const c = real.ctr(key, iv);
    return {
      ...c,
      encrypt: (data: Uint8Array, out?: Uint8Array) => {
        const ct = c.encrypt(data, out);
        if (cipherFault.on) {
          ct[0]! ^= 1;
          cipherFault.count++;
        }
        return ct;
      },
    };
  }) as typeof real.ctr;
  return { ...real, ctr };
});

async function runWithHook(argv: string[], afterWrite: ReadbackHooks['afterWrite']): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const io: CliIo & ReadbackHooks = {
    out: () => undefined,
    err: (t) => void err.push(t),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
    ...(afterWrite === undefined ? {} : { afterWrite }),
  };
  const code = await main(argv, io);
  return { code, err: err.join('\n').split('\n').filter((l) => !l.includes('WARNING: --insecure-keys')).join('\n') };
}

/** Flips the last byte of a file on disk. */
function flipLastByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - 1]! ^= 1;
  writeFileSync(path, bytes);
}

let root: string;
let inputs: string;
let split: string;
const SPLIT = ['--operators', 'a:2,b:2', '--threshold', '3', '--insecure-keys'];
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-readback-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2');
  split = join(root, 'split');
  expect((await runCli(['split', inputs, ...SPLIT, '--out', split])).code).toBe(0);
});

describe('split read-back', () => {
  it('passes on an untouched tree, deriving only one keystore per folder again', async () => {
    const out = join(root, 'plain');
    const before = flaky.calls;
    const r = await runWithHook(['split', inputs, ...SPLIT, '--out', out], undefined);
    expect(r.code).toBe(0);
    // 3 input decryptions + 3 x 4 share encryptions + 4 read-back samples (one per folder), not 3 + 12 + 12
    expect(flaky.calls - before).toBe(3 + 12 + 4);
  });

  it('catches a byte flipped in a share keystore after the write, and removes the tree', async () => {
    const out = join(root, 'flipped');
    const r = await runWithHook(['split', inputs, ...SPLIT, '--out', out], (dir) => flipLastByte(join(dir, 'b-1', 'keystore-2.json')));
    expect(r.code).not.toBe(0);
    expect(r.err).toBe('dvkeys split: error: read-back of b-1/keystore-2.json differs from what was written [IO_FAILED]');
    expect(existsSync(out)).toBe(false);
  });

  it('catches a KDF that is not deterministic (the sample from the password does not open), and removes the tree', async () => {
    const out = join(root, 'flaky');
    flaky.on = true;
    try {
      const r = await runWithHook(['split', inputs, ...SPLIT, '--out', out], undefined);
      expect(flaky.corrupted).toBeGreaterThan(0);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/^dvkeys split: error: read-back of flaky\/a-1\/keystore-0\.json failed: .*; the output was removed \[WRONG_PASSWORD\]$/);
      expect(existsSync(out)).toBe(false);
    } finally {
      flaky.on = false;
    }
  });

  it('catches a keystore whose ciphertext was corrupted while encrypting (audit F3), opened with its kept key', async () => {
    const out = join(root, 'cipher-fault');
    // every share keystore is corrupted; the first one opened is a-1's keystore-1, with its kept key (the samples,
    // keystore-0 of each folder, are derived from their passwords after the kept ones are opened)
    cipherFault.on = true;
    try {
      const r = await runWithHook(['split', inputs, ...SPLIT, '--out', out], undefined);
      expect(cipherFault.count).toBe(12);
      expect(r.code).not.toBe(0);
      expect(r.err).toBe("dvkeys split: error: read-back of cipher-fault/a-1/keystore-1.json failed: 'pubkey' is not the public key of the decrypted secret; the output was removed [KEYSTORE_PUBKEY_MISMATCH]");
      expect(existsSync(out)).toBe(false);
    } finally {
      cipherFault.on = false;
    }
  });
});

describe('combine read-back', () => {
  const folders = (): string[] => ['a-1', 'a-2', 'b-2'].flatMap((f) => ['--in', join(split, f)]);

  it('passes on an untouched tree, deriving only keystore-0 again', async () => {
    const out = join(root, 'back');
    const before = flaky.calls;
    const r = await runWithHook(['combine', ...folders(), '--out', out, '--insecure-keys'], undefined);
    expect(r.code).toBe(0);
    // 3 folders x 3 share decryptions + 3 recovered encryptions + 1 read-back sample, not + 3
    expect(flaky.calls - before).toBe(9 + 3 + 1);
  });

  it('catches a byte flipped in a recovered keystore after the write, and removes the tree', async () => {
    const out = join(root, 'back-flipped');
    const r = await runWithHook(['combine', ...folders(), '--out', out, '--insecure-keys'], (dir) => flipLastByte(join(dir, 'keystore-1.json')));
    expect(r.code).not.toBe(0);
    expect(r.err).toBe('dvkeys combine: error: read-back of keystore-1.json differs from what was written [IO_FAILED]');
    expect(existsSync(out)).toBe(false);
  });

  it('catches a KDF that is not deterministic, and removes the tree', async () => {
    const out = join(root, 'back-flaky');
    flaky.on = true;
    try {
      const r = await runWithHook(['combine', ...folders(), '--out', out, '--insecure-keys'], undefined);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/^dvkeys combine: error: read-back of [^ ]+\/keystore-0\.json failed: .*; the output was removed \[WRONG_PASSWORD\]$/);
      expect(existsSync(out)).toBe(false);
    } finally {
      flaky.on = false;
    }
  });
});
