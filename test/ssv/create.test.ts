/**
 * Keyshares files we generate: for 4 test operators with RSA keys made here (node:crypto), every encrypted share
 * decrypts (node:crypto, raw RSA + PKCS#1 v1.5 unpadding: Node 20 refuses PKCS#1 v1.5 private decryption,
 * CVE-2023-46809) to ssv-keys' plaintext "0x" + 64 hex digits, the shares match the share public keys and any 3
 * recombine to the validator key; SSV's operator-count rule is enforced and our analysis returned beside it.
 */
import { constants, createPublicKey, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, utf8 } from '../../src/bytes.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { isDvkeysError } from '../../src/errors.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { createKeyshares, ssvThresholdAnalysis, type SsvOperatorInput } from '../../src/ssv/create.js';
import { parseKeysharesText } from '../../src/ssv/keyshares.js';
import { parseSsvOperators } from '../../src/ssv/operators.js';
import { parseOperatorKey, rsaEncryptPkcs1v15 } from '../../src/ssv/rsa.js';
import { SecretBytes, toShareIndex } from '../../src/types.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';

const SECRETS = ['263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138'];
const OWNER = '0x81592c3de184a3e2c0dcb5a261bc107bfa91f494';

function rsaPair(): { privateKey: KeyObject; operatorKey: string; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // SSV's form: the SPKI PEM relabelled "RSA PUBLIC KEY", then base64 of that text.
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY');
  return { privateKey, pem, operatorKey: Buffer.from(pem).toString('base64') };
}

/** RSAES-PKCS1-v1_5 decryption by hand over node:crypto's raw RSA (RFC 8017 7.2.2). */
function decrypt(privateKey: KeyObject, ciphertext: Uint8Array): string {
  const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
  expect([em[0], em[1]]).toEqual([0, 2]);
  const sep = em.indexOf(0, 2);
  expect(sep).toBeGreaterThanOrEqual(10); // at least 8 bytes of non-zero padding
  return em.subarray(sep + 1).toString('utf8');
}

function code(f: () => unknown): [string | undefined, string | undefined] {
  try {
    f();
  } catch (e) {
    if (isDvkeysError(e)) return [e.code, e.field];
    throw e;
  }
  return [undefined, undefined];
}

const PAIRS = [1, 2, 3, 4].map(rsaPair);
const IDS = [42, 7, 1000, 13];
const OPERATORS: SsvOperatorInput[] = PAIRS.map((p, i) => ({ id: IDS[i]!, operatorKey: p.operatorKey }));

describe('createKeyshares for 4 operators', () => {
  const out = createKeyshares({
    validators: SECRETS.map((s, i) => ({ secret: hex(s), source: `keystore-${i}.json` })),
    operators: OPERATORS,
    ownerAddress: OWNER,
    ownerNonce: 5,
    now: new Date('2025-06-01T12:00:00Z'),
    rng: insecureTestRng('ssv create'),
  });

  it("writes ssv-keys' layout: version, createdAt, shares sorted by operator id, consecutive nonces", () => {
    const json = JSON.parse(out.text);
    expect(Object.keys(json)).toEqual(['version', 'createdAt', 'shares']);
    expect([json.version, json.createdAt]).toEqual(['v1.2.0', '2025-06-01T12:00:00.000Z']);
    expect(json.shares.map((s: { data: { ownerNonce: number } }) => s.data.ownerNonce)).toEqual([5, 6]);
    expect(json.shares[0].payload.operatorIds).toEqual([7, 13, 42, 1000]);
    expect(json.shares[0].data.ownerAddress).toBe('0x81592c3DE184A3E2c0DCB5a261BC107Bfa91f494');
    expect(json.shares[0].payload.sharesData).toHaveLength(2 + 2 * 1312);
    expect(out.reports.every((r) => r.ok)).toBe(true);
    expect(parseKeysharesText(out.text).items).toHaveLength(2);
  });

  it('encrypts each share to its operator; the shares match and any 3 recombine to the validator key', () => {
    out.file.items.forEach((item, v) => {
      const shares = item.operators.map((op, k) => {
        const pair = PAIRS[IDS.indexOf(op.id)]!;
        const text = decrypt(pair.privateKey, item.parts.encryptedShares[k]!);
        expect(text).toMatch(/^0x[0-9a-f]{64}$/);
        const secret = SecretBytes.copyOf(hex(text));
        expect(bytesToHex(secretKeyToPublicKey(secret))).toBe(bytesToHex(item.parts.sharePublicKeys[k]!));
        return { id: toShareIndex(op.id), secret };
      });
      for (const drop of [0, 1, 2, 3]) {
        const subset = shares.filter((_s, i) => i !== drop);
        expect(bytesToHex(recoverSecret(subset, 3))).toBe(SECRETS[v]);
      }
      expect(bytesToHex(recoverSecret(shares.slice(0, 2), 2))).not.toBe(SECRETS[v]);
    });
  });

  it("returns SSV's rule and dvkeys' analysis of it", () => {
    expect(out.rule).toEqual({ operators: 4, faulty: 1, threshold: 3 });
    expect(out.safety.safe).toBe(true);
    expect(out.safety.analysis.crashTolerance.operators).toBe(1);
  });
});

describe("SSV's operator-count rule", () => {
  it.each([[4, 3], [7, 5], [10, 7], [13, 9]])('n = %i → t = %i', (n, t) => {
    const { rule, safety } = ssvThresholdAnalysis(Array.from({ length: n }, (_, i) => i + 1));
    expect(rule.threshold).toBe(t);
    expect(safety.safe).toBe(true);
  });

  it.each([3, 5, 6, 8, 14])('refuses n = %i', (n) => {
    expect(code(() => ssvThresholdAnalysis(Array.from({ length: n }, (_, i) => i + 1)))).toEqual(['INVALID_ARGUMENT', 'operators']);
  });

  it('refuses repeated ids and keys, a bad owner or nonce', () => {
    const base = { validators: [{ secret: hex(SECRETS[0]!) }], operators: OPERATORS, ownerAddress: OWNER, ownerNonce: 0 };
    expect(code(() => createKeyshares({ ...base, operators: OPERATORS.map((o) => ({ ...o, id: 1 })) }))).toEqual(['INVALID_ARGUMENT', 'operators']);
    expect(code(() => createKeyshares({ ...base, operators: OPERATORS.map((o) => ({ ...o, operatorKey: OPERATORS[0]!.operatorKey })) }))).toEqual(['INVALID_ARGUMENT', 'operators']);
    expect(code(() => createKeyshares({ ...base, operators: OPERATORS.slice(0, 3) }))).toEqual(['INVALID_ARGUMENT', 'operators']);
    expect(code(() => createKeyshares({ ...base, ownerAddress: '0x1234' }))).toEqual(['WITHDRAWAL_ADDRESS_INVALID', 'ownerAddress']);
    expect(code(() => createKeyshares({ ...base, ownerNonce: -1 }))).toEqual(['INVALID_ARGUMENT', 'ownerNonce']);
  });
});

describe('operator keys and lists', () => {
  const pair = PAIRS[0]!;
  const n = parseOperatorKey(pair.operatorKey).n;

  it('reads base64 PEM, PEM text, a PKCS#1 body, the "PUBLIC KEY" label and the on-chain ABI form alike', () => {
    const pkcs1 = createPublicKey(pair.pem.replace(/RSA PUBLIC KEY/g, 'PUBLIC KEY')).export({ type: 'pkcs1', format: 'pem' }).toString();
    const abi = (s: string): string => {
      const b = Buffer.from(s);
      const len = Buffer.alloc(32);
      len.writeUInt32BE(b.length, 28);
      const off = Buffer.alloc(32);
      off[31] = 32;
      return `0x${Buffer.concat([off, len, b, Buffer.alloc((32 - (b.length % 32)) % 32)]).toString('hex')}`;
    };
    for (const form of [pair.pem, pair.pem.replace(/RSA PUBLIC KEY/g, 'PUBLIC KEY'), pkcs1, abi(pair.operatorKey)]) {
      expect(parseOperatorKey(form).n).toBe(n);
    }
    expect(parseOperatorKey(pair.operatorKey).operatorKey).toBe(pair.operatorKey);
    expect(parseOperatorKey(pair.pem).operatorKey).toBe(pair.operatorKey);
  });

  it('refuses other keys and malformed text', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const bad of [small, ec, '', 'not base64!', Buffer.from('hello').toString('base64'), pair.operatorKey.slice(0, 200)]) {
      expect(code(() => parseOperatorKey(bad, 'k'))[1]).toBe('k');
    }
  });

  it('pads with at least 8 non-zero bytes and refuses messages over k - 11 bytes', () => {
    const key = parseOperatorKey(pair.operatorKey);
    expect(decrypt(pair.privateKey, rsaEncryptPkcs1v15(key, utf8('x'.repeat(245)), insecureTestRng(9)))).toBe('x'.repeat(245));
    expect(code(() => rsaEncryptPkcs1v15(key, new Uint8Array(246)))).toEqual(['INVALID_LENGTH', 'message']);
  });

  it('parses --ssv-operators text and JSON files', () => {
    const [a, b] = [PAIRS[0]!.operatorKey, PAIRS[1]!.operatorKey];
    expect(parseSsvOperators(`1:${a}, 22:${b}`)).toEqual([{ id: 1, operatorKey: a }, { id: 22, operatorKey: b }]);
    expect(parseSsvOperators(JSON.stringify([{ id: 1, operatorKey: a }, { id: '22', public_key: b }]))).toEqual([{ id: 1, operatorKey: a }, { id: 22, operatorKey: b }]);
    expect(parseSsvOperators(JSON.stringify({ operators: [{ id: 3, publicKey: a }] }))).toEqual([{ id: 3, operatorKey: a }]);
    expect(code(() => parseSsvOperators(`0:${a}`))).toEqual(['INVALID_ARGUMENT', 'ssvOperators[0].id']);
    expect(code(() => parseSsvOperators(a))).toEqual(['INVALID_ARGUMENT', 'ssvOperators[0]']);
    expect(code(() => parseSsvOperators('[{"id": 1}]'))).toEqual(['INVALID_ARGUMENT', 'ssvOperators[0]']);
  });
});
