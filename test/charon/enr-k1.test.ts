/**
 * ENRs (EIP-778 v4), Charon's 65-byte node signatures and the EIP-712 digests, on the 44 operator ENRs and the
 * signatures of the real locks, plus the strictness of the RLP/ENR reader.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode } from '../../src/base64.js';
import { bytesToHex, hexToBytes } from '../../src/bytes.js';
import { chainIdOfForkVersion, eip712Digest } from '../../src/charon/eip712.js';
import { createEnr, decodeEnr, rlpEncode } from '../../src/charon/enr.js';
import { ethAddressOf, generateNodeKey, nodePublicKey, recoverDigest65, signDigest65 } from '../../src/charon/k1.js';
import { parseClusterLock } from '../../src/charon/lock-parse.js';
import { insecureTestRng } from '../helpers/rng.js';
import { LOCKS, expectThrows } from './fixtures.js';

const ENRS = LOCKS.flatMap((c) => parseClusterLock(c.lock).definition.operators.map((op) => op.enr));
const SOLO_ENR = parseClusterLock(LOCKS.find((c) => c.id === 'v1.10.0-holesky-solo-not-compounding')!.lock).definition.operators[0]!.enr;

describe('ENR', () => {
  it('decodes and verifies all 44 operator ENRs of the vectors', () => {
    expect(ENRS).toHaveLength(44);
    for (const enr of ENRS) {
      const rec = decodeEnr(enr);
      expect(rec.publicKey).toHaveLength(33);
      expect(bytesToHex(rec.pairs.get('id')!)).toBe(bytesToHex(new TextEncoder().encode('v4')));
    }
    const withIp = ENRS.filter((e) => decodeEnr(e).pairs.has('ip'));
    expect(withIp.length).toBeGreaterThan(0);
  });

  it('writes records shaped like charon create cluster: seq 0, id and secp256k1 only', () => {
    const key = generateNodeKey(insecureTestRng('enr'));
    const enr = createEnr(key);
    const rec = decodeEnr(enr);
    expect(bytesToHex(rec.publicKey)).toBe(bytesToHex(nodePublicKey(key)));
    const solo = decodeEnr(SOLO_ENR);
    expect([...rec.pairs.keys()]).toEqual([...solo.pairs.keys()]);
    expect([rec.seq, solo.seq]).toEqual([0n, 0n]);
    expect(enr).toHaveLength(SOLO_ENR.length);
    expect(enr.slice(0, 8)).toBe(SOLO_ENR.slice(0, 8));
  });

  it('refuses a changed signature, an unsorted or non-canonical record and bad text', () => {
    const raw = base64UrlDecode(SOLO_ENR.slice(4), 'enr');
    const sigTampered = Uint8Array.from(raw);
    sigTampered[10]! ^= 1;
    expectThrows(() => decodeEnr(`enr:${base64UrlEncode(sigTampered)}`, 'x'), 'SIGNATURE_INVALID', 'x');
    // [sig, seq, "secp256k1", key, "id", "v4"]: keys out of order.
    const key = generateNodeKey(insecureTestRng('enr2'));
    const pub = nodePublicKey(key);
    const te = (s: string): Uint8Array => new TextEncoder().encode(s);
    const unsorted = rlpEncode([new Uint8Array(64), new Uint8Array(0), te('secp256k1'), pub, te('id'), te('v4')]);
    expectThrows(() => decodeEnr(`enr:${base64UrlEncode(unsorted)}`, 'x'), 'LOCK_INVALID', 'x');
    // A single byte < 0x80 written as a one-byte string (0x81 0x05) is not canonical RLP.
    const nonCanonical = Uint8Array.from([0xc4, 0x81, 0x05, 0x80, 0x80]);
    expectThrows(() => decodeEnr(`enr:${base64UrlEncode(nonCanonical)}`, 'x'), 'LOCK_INVALID', 'x');
    expectThrows(() => decodeEnr(SOLO_ENR.replace('enr:', 'enode:'), 'x'), 'LOCK_INVALID', 'x');
    expectThrows(() => decodeEnr(`${SOLO_ENR}=`, 'x'), 'INVALID_FORMAT', 'x');
    expectThrows(() => decodeEnr(`enr:${base64UrlEncode(new Uint8Array(301))}`, 'x'), 'LOCK_INVALID', 'x');
  });
});

describe('node signatures (k1util) and EIP-712', () => {
  it('signs r ‖ s ‖ v with v in {0, 1} and recovers the key', () => {
    const key = generateNodeKey(insecureTestRng('k1'));
    const digest = keccak_256(new TextEncoder().encode('lock'));
    const sig = signDigest65(key, digest);
    expect(sig).toHaveLength(65);
    expect(sig[64]! <= 1).toBe(true);
    expect(bytesToHex(recoverDigest65(sig, digest)!)).toBe(bytesToHex(nodePublicKey(key)));
    expect(recoverDigest65(Uint8Array.from([...sig.subarray(0, 64), 2]), digest)).toBeUndefined();
  });

  it('maps the fork versions of the vectors to chain ids', () => {
    const ids = LOCKS.map((c) => chainIdOfForkVersion(parseClusterLock(c.lock).definition.forkVersion));
    expect(new Set(ids)).toEqual(new Set([5n, 17000n, 1n, 560048n]));
    expect(chainIdOfForkVersion(hexToBytes('12345678', 'f'))).toBeUndefined();
  });

  it('recovers the creator address of the v1.7 lock from its EIP-712 signature', () => {
    const lock = parseClusterLock(LOCKS.find((c) => c.id === 'v1.7.0-goerli-group')!.lock);
    const digest = eip712Digest('creator-config', lock.definition.configHash, 5n);
    const pub = recoverDigest65(lock.definition.creator.configSignature, digest)!;
    expect(bytesToHex(ethAddressOf(pub), true)).toBe(lock.definition.creator.address.toLowerCase());
  });
});
