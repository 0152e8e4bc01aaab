/**
 * test/vectors/ssv/dvkeys-keyshares-operator-keys.json: keyshares files made by dvkeys with the operators' RSA
 * private keys beside them (test keys), and tamper cases that change one field each. Checked here:
 *
 * - the vector's counts (2 files, 11 operator keys, 12 tamper cases);
 * - independently of src/ssv/share-decrypt.ts, every encrypted share decrypts with node:crypto (raw RSA + hand
 *   unpadding) to a share whose public key is the listed share public key, and any t of them recombine to the
 *   listed validator secret;
 * - verifySsvKeyshares passes each file with all its operator keys, and each tamper case fails with exactly the
 *   listed code, field and culprit (and nothing else fails).
 *
 * DVKEYS_UPDATE_VECTORS=1 regenerates the file (new RSA keys; the BLS splits use the deterministic test RNG).
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { keysharesFingerprint, verifySsvKeyshares } from '../../src/ceremony/ssv-verify.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { createKeyshares } from '../../src/ssv/create.js';
import { parseKeysharesText, serializeKeyshares } from '../../src/ssv/keyshares.js';
import { encodeSharesData, decodeSharesData } from '../../src/ssv/payload.js';
import { rsaEncryptPkcs1v15, parseOperatorKey } from '../../src/ssv/rsa.js';
import type { SsvShareDecryptor } from '../../src/ssv/share-decrypt.js';
import { SecretBytes, toShareIndex } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex, loadVector } from '../helpers/vectors.js';

const FILE = 'ssv/dvkeys-keyshares-operator-keys.json';

interface OperatorKey {
  id: number;
  /** The raw SSV form: base64 of the PKCS#1 PEM "RSA PRIVATE KEY". */
  private_key: string;
  /** The SSV public key form (base64 of the SPKI PEM relabelled "RSA PUBLIC KEY"). */
  operator_key: string;
}
interface Case {
  id: string;
  threshold: number;
  validator_secrets: string[];
  operator_keys: OperatorKey[];
  fingerprint: string;
  keyshares: string;
}
/** One change: a JSON field (`json`: path segments and the new value) or one part of one item's sharesData. */
interface Tamper {
  id: string;
  case: string;
  json?: { path: (string | number)[]; value: unknown };
  shares_data?: { item: number; part: 'signature' | 'sharePublicKeys' | 'encryptedShares'; index: number; hex: string };
  /** Operator keys given to verify (ids into the case's keys; default all; none: --no-decrypt). */
  keys?: number[];
  /** A key from the other case, by id. */
  foreign_key?: number;
  fingerprint?: string;
  expect: { code: string; field?: string; culprits?: string[]; thrown?: boolean };
}
interface Vector {
  source: string;
  license: string;
  cases: Case[];
  tamper_cases: Tamper[];
}

function decryptorOf(k: OperatorKey): SsvShareDecryptor {
  const key = createPrivateKey({ key: Buffer.from(k.private_key, 'base64'), format: 'pem' });
  const n = createPublicKey(key).export({ format: 'jwk' }).n!;
  return {
    source: `operator-${k.id}.key`,
    modulus: BigInt(`0x${Buffer.from(n, 'base64url').toString('hex')}`),
    rawDecrypt: (c) => new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c)),
  };
}

/** RSAES-PKCS1-v1_5 decryption written here, apart from src/ssv/share-decrypt.ts. */
function decryptShare(key: KeyObject, c: Uint8Array): Uint8Array {
  const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c);
  expect([em[0], em[1]]).toEqual([0, 2]);
  const text = em.subarray(em.indexOf(0, 2) + 1).toString('latin1');
  expect(text).toMatch(/^0x[0-9a-f]{64}$/);
  return hex(text);
}

function applyTamper(c: Case, t: Tamper): string {
  const value = JSON.parse(c.keyshares) as Record<string, unknown>;
  if (t.json !== undefined) {
    let at: Record<string | number, unknown> = value;
    for (const p of t.json.path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
    at[t.json.path.at(-1)!] = t.json.value;
  }
  if (t.shares_data !== undefined) {
    const s = t.shares_data;
    const item = (value.shares as { payload: { sharesData: string; operatorIds: number[] } }[])[s.item]!;
    const parts = decodeSharesData(hex(item.payload.sharesData), item.payload.operatorIds.length);
    const replaced = { ...parts, [s.part]: s.part === 'signature' ? hex(s.hex) : parts[s.part].map((p, i) => (i === s.index ? hex(s.hex) : p)) };
    item.payload.sharesData = bytesToHex(encodeSharesData(replaced), true);
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

function generate(): Vector {
  const rng = insecureTestRng('ssv operator-key vectors');
  const make = (id: string, ids: number[], secrets: string[]): Case => {
    const pairs = ids.map(() => generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const operator_keys = pairs.map((p, i) => {
      const spki = p.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY');
      return { id: ids[i]!, private_key: Buffer.from(p.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()).toString('base64'), operator_key: Buffer.from(spki).toString('base64') };
    });
    const out = createKeyshares({
      validators: secrets.map((s) => ({ secret: hex(s) })),
      operators: operator_keys.map((k) => ({ id: k.id, operatorKey: k.operator_key })),
      ownerAddress: '0x81592c3de184a3e2c0dcb5a261bc107bfa91f494',
      ownerNonce: 7,
      now: new Date('2026-01-01T00:00:00Z'),
      rng,
    });
    return { id, threshold: out.rule.threshold, validator_secrets: secrets, operator_keys, fingerprint: keysharesFingerprint(out.text), keyshares: out.text };
  };
  const four = make('four-operators-two-validators', [11, 22, 33, 44], [
    '263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3',
    '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138',
  ]);
  const seven = make('seven-operators-one-validator', [3, 5, 8, 13, 21, 34, 55], ['328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216']);
  const file = parseKeysharesText(four.keyshares);
  const [a, b] = file.items;
  const opKey = parseOperatorKey(four.operator_keys[1]!.operator_key);
  const enc = (text: string): string => bytesToHex(rsaEncryptPkcs1v15(opKey, Buffer.from(text, 'latin1'), rng), true);
  const pk = (i: number): string => bytesToHex(a!.parts.sharePublicKeys[i]!, true);
  const at = 'shares[0].payload.sharesData';
  const tamper_cases: Tamper[] = [
    { id: 'share-of-another-validator', case: four.id, shares_data: { item: 0, part: 'encryptedShares', index: 1, hex: bytesToHex(b!.parts.encryptedShares[1]!, true) }, expect: { code: 'SHARE_MISMATCH', field: `${at}.encryptedShares[1]`, culprits: ['operator 22'] } },
    { id: 'ciphertext-for-another-operator', case: four.id, shares_data: { item: 0, part: 'encryptedShares', index: 1, hex: bytesToHex(a!.parts.encryptedShares[2]!, true) }, expect: { code: 'KEYSHARES_INVALID', field: `${at}.encryptedShares[1]`, culprits: ['operator 22'] } },
    { id: 'plaintext-not-a-hex-share', case: four.id, shares_data: { item: 0, part: 'encryptedShares', index: 1, hex: enc(`0x${'g'.repeat(64)}`) }, expect: { code: 'KEYSHARES_INVALID', field: `${at}.encryptedShares[1]`, culprits: ['operator 22'] } },
    { id: 'plaintext-zero-share', case: four.id, shares_data: { item: 0, part: 'encryptedShares', index: 1, hex: enc(`0x${'0'.repeat(64)}`) }, expect: { code: 'ZERO_SCALAR', field: `${at}.encryptedShares[1]`, culprits: ['operator 22'] } },
    { id: 'plaintext-share-above-order', case: four.id, shares_data: { item: 0, part: 'encryptedShares', index: 1, hex: enc(`0x${'f'.repeat(64)}`) }, expect: { code: 'SCALAR_OUT_OF_RANGE', field: `${at}.encryptedShares[1]`, culprits: ['operator 22'] } },
    { id: 'share-public-keys-swapped', case: four.id, shares_data: { item: 0, part: 'sharePublicKeys', index: 0, hex: pk(1) }, keys: [], expect: { code: 'DEGREE_CHECK_FAILED', field: at } },
    { id: 'share-public-key-not-a-point', case: four.id, shares_data: { item: 0, part: 'sharePublicKeys', index: 2, hex: `0x${'b'.padEnd(96, '0')}` }, keys: [], expect: { code: 'INVALID_POINT', field: `${at}.sharePublicKeys[2]`, culprits: ['operator 33'] } },
    { id: 'owner-nonce-changed', case: four.id, json: { path: ['shares', 0, 'data', 'ownerNonce'], value: 8 }, keys: [], expect: { code: 'SIGNATURE_INVALID', field: `${at}.signature` } },
    { id: 'owner-address-changed', case: four.id, json: { path: ['shares', 1, 'data', 'ownerAddress'], value: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed' }, keys: [], expect: { code: 'SIGNATURE_INVALID', field: 'shares[1].payload.sharesData.signature' } },
    { id: 'validator-key-changed-in-data', case: four.id, json: { path: ['shares', 0, 'data', 'publicKey'], value: bytesToHex(b!.publicKey, true) }, expect: { code: 'KEYSHARES_INVALID', field: 'shares[0].payload.publicKey', thrown: true } },
    { id: 'one-byte-changed-fingerprint', case: four.id, json: { path: ['createdAt'], value: '2026-01-01T00:00:01.000Z' }, fingerprint: four.fingerprint, expect: { code: 'CEREMONY_MISMATCH' } },
    { id: 'operator-key-of-another-cluster', case: four.id, keys: [11], foreign_key: 13, expect: { code: 'CEREMONY_MISMATCH' } },
  ];
  return {
    source: 'generated by dvkeys (test/ssv/operator-key-vectors.test.ts with DVKEYS_UPDATE_VECTORS=1): RSA keys from node:crypto, BLS splits from the insecure test RNG',
    license: 'CC0-1.0 (test keys; never use them)',
    cases: [four, seven],
    tamper_cases,
  };
}

if (process.env.DVKEYS_UPDATE_VECTORS === '1') {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', FILE);
  writeFileSync(path, `${JSON.stringify(generate(), null, 2)}\n`);
}
const V = loadVector<Vector>(FILE);
const caseOf = (id: string): Case => V.cases.find((c) => c.id === id)!;

describe('SSV keyshares with operator keys (vectors)', () => {
  it('holds 2 files, 11 operator keys and 12 tamper cases', () => {
    expect(V.cases.map((c) => [c.id, c.operator_keys.length, parseKeysharesText(c.keyshares).items.length])).toEqual([
      ['four-operators-two-validators', 4, 2],
      ['seven-operators-one-validator', 7, 1],
    ]);
    expect(V.tamper_cases).toHaveLength(12);
  });

  describe.each(V.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const file = parseKeysharesText(c.keyshares);

    it('decrypts (node:crypto, unpadded here) to shares matching the share public keys; any t recombine to the key', () => {
      const keys = c.operator_keys.map((k) => createPrivateKey({ key: Buffer.from(k.private_key, 'base64'), format: 'pem' }));
      expect(keysharesFingerprint(c.keyshares)).toBe(c.fingerprint);
      expect(serializeKeyshares(file)).toBe(c.keyshares);
      file.items.forEach((item, v) => {
        const shares = item.operators.map((op, k) => {
          const s = decryptShare(keys[k]!, item.parts.encryptedShares[k]!);
          expect(bytesToHex(secretKeyToPublicKey(s), true)).toBe(bytesToHex(item.parts.sharePublicKeys[k]!, true));
          return { id: toShareIndex(op.id), secret: SecretBytes.copyOf(s) };
        });
        expect(bytesToHex(recoverSecret(shares.slice(-c.threshold), c.threshold))).toBe(c.validator_secrets[v]);
        expect(bytesToHex(recoverSecret(shares.slice(0, c.threshold), c.threshold))).toBe(c.validator_secrets[v]);
      });
    });

    it('verifies with every operator key, and fails SHARES_NOT_DECRYPTED with none', () => {
      const all = verifySsvKeyshares({ text: c.keyshares, source: 'keyshares.json', decryptors: c.operator_keys.map(decryptorOf), expectedFingerprint: c.fingerprint, rng: insecureTestRng(c.id) });
      expect(all.lines.filter((l) => l.status !== 'pass')).toEqual([]);
      expect(all.lines.filter((l) => l.check === 'shares')).toHaveLength(file.items.length * c.operator_keys.length);
      const none = verifySsvKeyshares({ text: c.keyshares, source: 'keyshares.json', rng: insecureTestRng(c.id) });
      expect(none.lines.filter((l) => l.status === 'fail').map((l) => l.code)).toEqual(['SHARES_NOT_DECRYPTED']);
      const publicOnly = verifySsvKeyshares({ text: c.keyshares, source: 'keyshares.json', noDecrypt: true, rng: insecureTestRng(c.id) });
      expect(publicOnly.ok).toBe(true);
    });
  });

  it('one operator checks its own shares: the others are skipped, not failed', () => {
    const c = caseOf('four-operators-two-validators');
    const r = verifySsvKeyshares({ text: c.keyshares, source: 'keyshares.json', decryptors: [decryptorOf(c.operator_keys[2]!)], rng: insecureTestRng(1) });
    expect(r.ok).toBe(true);
    expect(r.lines.filter((l) => l.check === 'shares').map((l) => [l.status, l.subject.replace(/^validator (\d) 0x[0-9a-f]+…/, 'v$1')])).toEqual([
      ['pass', 'v0 operator 33'],
      ['pass', 'v1 operator 33'],
      ['skipped', 'other operators'],
    ]);
  });

  describe.each(V.tamper_cases.map((t) => [t.id, t] as const))('tamper %s', (_id, t) => {
    it(`fails with ${t.expect.code} at ${t.expect.field ?? '-'} blaming ${t.expect.culprits?.join(', ') ?? 'no one'}`, () => {
      const c = caseOf(t.case);
      const text = applyTamper(c, t);
      const keys = (t.keys ?? c.operator_keys.map((k) => k.id)).map((id) => decryptorOf(c.operator_keys.find((k) => k.id === id)!));
      const foreign = t.foreign_key === undefined ? [] : [decryptorOf(V.cases.flatMap((x) => x.operator_keys).find((k) => k.id === t.foreign_key)!)];
      const input = { text, source: 'keyshares.json', decryptors: [...keys, ...foreign], noDecrypt: keys.length === 0, rng: insecureTestRng(t.id), ...(t.fingerprint === undefined ? {} : { expectedFingerprint: t.fingerprint }) };
      if (t.expect.thrown === true) {
        expect(() => verifySsvKeyshares(input)).toThrow(expect.objectContaining({ code: t.expect.code, field: t.expect.field }));
        return;
      }
      const failed = verifySsvKeyshares(input).lines.filter((l) => l.status === 'fail');
      expect(failed.map((l) => ({ code: l.code, field: l.field, culprits: l.culprits }))).toEqual([{ code: t.expect.code, field: t.expect.field, culprits: t.expect.culprits }]);
    });
  });
});
