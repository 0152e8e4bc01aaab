/**
 * The ssv-keys keyshares.json mocks of test/vectors/ssv/ssv-keyshares.json (v1.2.0, MIT): both layouts parse,
 * their parsed parts equal the vector's, the owner-nonce signatures and share public keys check, the files
 * re-serialise unchanged, and the 7 invalid variants fail with one code at one field.
 */
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/base64.js';
import { bytesToHex } from '../../src/bytes.js';
import { isDvkeysError } from '../../src/errors.js';
import { parseKeyshares, parseKeysharesText, serializeKeyshares } from '../../src/ssv/keyshares.js';
import { ownerNonceDigest, ownerNonceMessage } from '../../src/ssv/payload.js';
import { assertKeyshares, verifyKeyshares } from '../../src/ssv/verify.js';
import { insecureTestRng } from '../helpers/rng.js';
import { loadVector } from '../helpers/vectors.js';

type Json = Record<string, unknown>;
interface Case {
  id: string;
  expect: string;
  owner_address: string;
  owner_nonce: number;
  operator_ids: number[];
  parsed: {
    operator_count: number;
    threshold: number;
    shares_data_bytes: number;
    owner_message: string;
    owner_message_keccak256: string;
    owner_nonce_signature: string;
    share_public_keys: string[];
    encrypted_shares_base64: string[];
  };
  keyshares: Json;
}
interface Invalid {
  id: string;
  file_content?: Json;
}
const V = loadVector<{ cases: Case[]; invalid_cases: Invalid[] }>('ssv/ssv-keyshares.json');

function expectCode(f: () => unknown, code: string, field: string): void {
  let e: unknown;
  try {
    f();
  } catch (x) {
    e = x;
  }
  expect(isDvkeysError(e), String(e)).toBe(true);
  expect([(e as { code: string }).code, (e as { field: string }).field]).toEqual([code, field]);
}

describe('ssv-keyshares.json vectors', () => {
  it('holds 2 valid files (multi and legacy single) and 7 invalid variants', () => {
    expect(V.cases.map((c) => c.id)).toEqual(['ssv-keys-multi-shares-v1.2.0', 'ssv-keys-old-single-v1.2.0']);
    expect(V.invalid_cases).toHaveLength(7);
  });

  describe.each(V.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const file = parseKeyshares(c.keyshares);
    const item = file.items[0]!;

    it('parses into the parts the vector lists', () => {
      expect(file.layout).toBe(c.id.includes('single') ? 'single' : 'multi');
      expect(file.items).toHaveLength(1);
      expect(item.operators.map((o) => o.id)).toEqual(c.operator_ids);
      expect(item.ownerNonce).toBe(c.owner_nonce);
      expect(item.ownerAddress).toBe(c.owner_address);
      expect(item.sharesData).toHaveLength(c.parsed.shares_data_bytes);
      expect(bytesToHex(item.parts.signature, true)).toBe(c.parsed.owner_nonce_signature);
      expect(item.parts.sharePublicKeys.map((p) => bytesToHex(p, true))).toEqual(c.parsed.share_public_keys);
      expect(item.parts.encryptedShares.map(base64Encode)).toEqual(c.parsed.encrypted_shares_base64);
      expect(ownerNonceMessage(item.owner, item.ownerNonce)).toBe(c.parsed.owner_message);
      expect(bytesToHex(ownerNonceDigest(item.owner, item.ownerNonce), true)).toBe(c.parsed.owner_message_keccak256);
    });

    it('checks the owner-nonce signature and the share public keys (x = operator id, t = 3)', () => {
      const [report] = assertKeyshares(file, { rng: insecureTestRng(c.id) });
      expect(report!.ok).toBe(true);
      expect(report!.detail).toContain(`threshold ${c.parsed.threshold}`);
    });

    it('re-serialises to the same JSON (key order and values)', () => {
      const text = serializeKeyshares(file);
      expect(text).toBe(`${JSON.stringify(c.keyshares, null, 2)}\n`);
      expect(parseKeysharesText(text).items[0]!.sharesData).toEqual(item.sharesData);
    });
  });

  const single = (): Json => structuredClone(V.cases[1]!.keyshares);
  const ops = (j: Json): Json[] => (j.data as Json).operators as Json[];

  it('wrong-operator-id: an id that is not an integer', () => {
    const j = single();
    ops(j)[0]!.id = 'aaa';
    expectCode(() => parseKeyshares(j), 'KEYSHARES_INVALID', 'keyshares.data.operators[0].id');
  });

  it('missed-operator-key: empty operator keys', () => {
    const j = single();
    ops(j)[0]!.operatorKey = '';
    ops(j)[3]!.operatorKey = '';
    expectCode(() => parseKeyshares(j), 'KEYSHARES_INVALID', 'keyshares.data.operators[0].operatorKey');
  });

  it('duplicated-operator-key: two operators with one key', () => {
    const j = single();
    ops(j)[3]!.operatorKey = ops(j)[2]!.operatorKey;
    expectCode(() => parseKeyshares(j), 'KEYSHARES_INVALID', 'keyshares.data.operators[3].operatorKey');
  });

  it('invalid-struct: neither shares nor data/payload', () => {
    const content = V.invalid_cases.find((c) => c.id === 'invalid-struct')!.file_content!;
    expectCode(() => parseKeyshares(content), 'KEYSHARES_INVALID', 'keyshares.shock');
  });

  it('tampered-nonce: the owner-nonce signature fails', () => {
    const j = single();
    (j.data as Json).ownerNonce = 2;
    const [r] = verifyKeyshares(parseKeyshares(j));
    expect([r!.ok, r!.code, r!.field]).toEqual([false, 'SIGNATURE_INVALID', 'keyshares.payload.sharesData.signature']);
  });

  it('tampered-owner: the owner-nonce signature fails', () => {
    const j = single();
    (j.data as Json).ownerAddress = '0x81592c3de184a3e2c0dcb5a261bc107bfa91f495';
    expectCode(() => assertKeyshares(parseKeyshares(j)), 'SIGNATURE_INVALID', 'keyshares.payload.sharesData.signature');
  });

  it('wrong-x-coordinates: share keys no longer interpolate to the validator key', () => {
    const j = structuredClone(V.cases[0]!.keyshares);
    const item = (j.shares as Json[])[0]!;
    ((item.data as Json).operators as Json[]).forEach((o, i) => (o.id = 5 + i));
    (item.payload as Json).operatorIds = [5, 6, 7, 8];
    expectCode(() => assertKeyshares(parseKeyshares(j), { rng: insecureTestRng(1) }), 'DEGREE_CHECK_FAILED', 'shares[0].payload.sharesData');
  });

  it('refuses other structural faults at the field', () => {
    const cases: [(j: Json) => void, string][] = [
      [(j) => ((j.payload as Json).operatorIds = [5, 6, 8, 7]), 'keyshares.payload.operatorIds[2]'],
      [(j) => ((j.payload as Json).publicKey = ((j.payload as Json).sharesData as string).slice(0, 98)), 'keyshares.payload.publicKey'],
      [(j) => ((j.payload as Json).sharesData = ((j.payload as Json).sharesData as string).slice(0, -2)), 'keyshares.payload.sharesData'],
      [(j) => ((j.data as Json).ownerNonce = -1), 'keyshares.data.ownerNonce'],
      [(j) => ((j.data as Json).ownerAddress = '0x81592C3de184a3e2c0dcb5a261bc107bfa91f494'), 'keyshares.data.ownerAddress'],
      [(j) => ((j.data as Json).operators = ops(j).slice(0, 3)), 'keyshares.payload.operatorIds'],
      [(j) => (j.version = '1.2.0'), 'keyshares.version'],
      [(j) => ((j.data as Json).extra = 1), 'keyshares.data.extra'],
    ];
    for (const [change, field] of cases) {
      const j = single();
      change(j);
      expectCode(() => parseKeyshares(j), 'KEYSHARES_INVALID', field);
    }
  });
});
