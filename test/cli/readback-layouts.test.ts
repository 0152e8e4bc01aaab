/**
 * The read-back with kept keys for the Charon split and the DKG output (issue 14 part 2, decision 0214), as
 * test/cli/readback.test.ts checks it for the dvkeys layout: the files on disk are checked, every keystore is opened
 * with the key kept from its encryption and checked against its public share, and one keystore per node / folder
 * (keystore-0) is re-derived from its password, so the read-back costs one KDF per folder instead of one per
 * keystore. A byte flipped after the write, a KDF that is not deterministic and a ciphertext corrupted while
 * encrypting are each caught, and the output removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ReadbackHooks } from '../../src/cli/readback.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';
import type * as Kdf from '../../src/keys/kdf.js';
import type * as Aes from '@noble/ciphers/aes.js';
import { carry, collect2, hostKey, honestRounds, ok, setup, type Ceremony } from './dkg-helpers.js';

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
  // the error line only (progress bars and --insecure-keys warnings left out); there must be exactly one when it fails
  return { code, err: err.join('\n').split('\n').filter((l) => l.startsWith('dvkeys ') && !l.includes('WARNING: --insecure-keys')).join('\n') };
}

/** Flips the last byte of a file on disk. */
function flipLastByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - 1]! ^= 1;
  writeFileSync(path, bytes);
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-readback-layouts-'));
});

describe('split --layout charon read-back', () => {
  let inputs: string;
  const ETH = ['--network', 'hoodi', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', '--fee-recipient', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad'];
  const split = (out: string): string[] => ['split', inputs, '--layout', 'charon', '--operators', '4', ...ETH, '--out', out, '--insecure-keys'];
  beforeAll(async () => {
    inputs = join(root, 'charon-in');
    mkdirSync(inputs);
    await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
  });

  it('passes on an untouched cluster, deriving only keystore-0 of each node again', async () => {
    const out = join(root, 'charon-plain');
    const before = flaky.calls;
    const r = await runWithHook(split(out), undefined);
    expect(r.code, r.err).toBe(0);
    // 2 input decryptions + 4 nodes x 2 share encryptions + 4 read-back samples (one per node), not 2 + 8 + 8
    expect(flaky.calls - before).toBe(2 + 8 + 4);
    expect(existsSync(join(out, 'node3', 'validator_keys', 'keystore-1.json'))).toBe(true);
  });

  it('catches a byte flipped in a share keystore after the write, and removes the cluster', async () => {
    const out = join(root, 'charon-flipped');
    const r = await runWithHook(split(out), (dir) => flipLastByte(join(dir, 'node2', 'validator_keys', 'keystore-1.json')));
    expect(r.code).toBe(1);
    expect(r.err).toBe('dvkeys split: error: read-back of node2/validator_keys/keystore-1.json differs from what was written [IO_FAILED]');
    expect(existsSync(out)).toBe(false);
  });

  it('catches a KDF that is not deterministic (the sample from the password does not open), and removes the cluster', async () => {
    const out = join(root, 'charon-flaky');
    flaky.on = true;
    try {
      const r = await runWithHook(split(out), undefined);
      expect(flaky.corrupted).toBeGreaterThan(0);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^dvkeys split: error: read-back of charon-flaky\/node0\/validator_keys\/keystore-0\.json failed: .*; the output was removed \[WRONG_PASSWORD\]$/);
      expect(existsSync(out)).toBe(false);
    } finally {
      flaky.on = false;
    }
  });

  it('catches a keystore whose ciphertext was corrupted while encrypting, opened with its kept key', async () => {
    const out = join(root, 'charon-cipher-fault');
    cipherFault.on = true;
    cipherFault.count = 0;
    try {
      const r = await runWithHook(split(out), undefined);
      expect(cipherFault.count).toBe(8);
      expect(r.code).toBe(1);
      expect(r.err).toBe("dvkeys split: error: read-back of charon-cipher-fault/node0/validator_keys/keystore-1.json failed: 'pubkey' is not the public key of the decrypted secret; the output was removed [KEYSTORE_PUBKEY_MISMATCH]");
      expect(existsSync(out)).toBe(false);
    } finally {
      cipherFault.on = false;
    }
  });
});

describe('dkg finalize read-back', () => {
  let c: Ceremony;
  // bob (operator 2): his host key is not encrypted, so every KDF counted is a share keystore's
  const finalize = (out: string): string[] => {
    const dir = c.ops[1]!;
    return ['dkg', 'finalize', ...hostKey(dir, 1), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), '--final', join(dir, 'final.json'), '--out', out, '--insecure-keys'];
  };
  beforeAll(async () => {
    c = await setup('readback');
    const acks = await honestRounds(c);
    ok(await collect2(c, acks));
    carry(join(c.coord, 'final.json'), join(c.ops[1]!, 'final.json'));
  });

  it('passes on an untouched folder, deriving only keystore-0 again', async () => {
    const out = join(root, 'dkg-plain');
    const before = flaky.calls;
    const r = await runWithHook(finalize(out), undefined);
    expect(r.code, r.err).toBe(0);
    // 2 share encryptions + 1 read-back sample, not 2 + 2
    expect(flaky.calls - before).toBe(2 + 1);
    expect(existsSync(join(out, 'keystore-1.json'))).toBe(true);
  });

  it('catches a byte flipped after the write, and removes the folder', async () => {
    const out = join(root, 'dkg-flipped');
    const r = await runWithHook(finalize(out), (dir) => flipLastByte(join(dir, 'keystore-1.json')));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dvkeys dkg: error: read-back of (dkg-flipped\/)?keystore-1\.json differs from what was written.* \[IO_FAILED\]$/);
    expect(existsSync(out)).toBe(false);
  });

  it('catches a KDF that is not deterministic, and removes the folder', async () => {
    const out = join(root, 'dkg-flaky');
    flaky.on = true;
    try {
      const r = await runWithHook(finalize(out), undefined);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^dvkeys dkg: error: read-back of dkg-flaky\/keystore-0\.json failed: .*; the output was removed \[WRONG_PASSWORD\]$/);
      expect(existsSync(out)).toBe(false);
    } finally {
      flaky.on = false;
    }
  });

  it('catches a keystore whose ciphertext was corrupted while encrypting, opened with its kept key', async () => {
    const out = join(root, 'dkg-cipher-fault');
    cipherFault.on = true;
    cipherFault.count = 0;
    try {
      const r = await runWithHook(finalize(out), undefined);
      expect(cipherFault.count).toBeGreaterThanOrEqual(2);
      expect(r.code).toBe(1);
      expect(r.err).toBe("dvkeys dkg: error: read-back of dkg-cipher-fault/keystore-1.json failed: 'pubkey' is not the public key of the decrypted secret; the output was removed [KEYSTORE_PUBKEY_MISMATCH]");
      expect(existsSync(out)).toBe(false);
    } finally {
      cipherFault.on = false;
    }
  });
});
