/**
 * SSV operator keys and the share encryption ssv-keys applies (research/interop-formats.md 2.5): RSA-2048 public
 * keys given as base64 of a PEM text labelled `RSA PUBLIC KEY` whose body is an X.509 SubjectPublicKeyInfo (RFC 5280
 * 4.1, RFC 3279 2.3.1), and RSAES-PKCS1-v1_5 encryption (RFC 8017 section 7.2.1) of each share.
 *
 * Why hand-written: WebCrypto has no RSAES-PKCS1-v1_5 (only RSA-OAEP), and the core must run in a browser, so
 * encryption is OS2IP, c = m^e mod n with bigint, I2OSP, over the public key only (decision 0611). Only public
 * operations happen here: no RSA private key is ever handled. The plaintext (a share) is secret; square-and-multiply
 * with the public exponent runs the same sequence of operations for every plaintext, but bigint arithmetic time
 * may still vary slightly with the values (docs/js-limits.md); the encryption runs locally, once per share.
 *
 * Accepted key forms: base64 of the PEM (what SSV's API, explorer and keyshares files carry), the PEM text itself,
 * and the on-chain form (`0x` + ABI-encoded string of that base64); bodies may be SPKI or PKCS#1 RSAPublicKey.
 *
 * @module
 */
import { base64Decode, base64Encode } from '../base64.js';
import { bigintToBytesBE, bytesToBigintBE, concatBytes, hexToBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { systemRandomBytes } from '../random.js';
import type { RandomBytes } from '../types.js';

/** Modulus size SSV uses: ciphertexts in sharesData are 256 bytes each. */
export const SSV_RSA_BITS = 2048;
/** Byte length of an RSA-2048 ciphertext. */
export const SSV_CIPHERTEXT_BYTES = SSV_RSA_BITS / 8;
/** Longest operator key text accepted. */
export const MAX_OPERATOR_KEY_LENGTH = 4096;

/** A parsed operator public key. */
export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
  /** The key as SSV writes it in keyshares files: base64 of the PEM text. */
  readonly operatorKey: string;
}

const RSA_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01); // 1.2.840.113549.1.1.1

function fail(field: string, message: string): never {
  throw new ValidationError('INVALID_ARGUMENT', `'${field}' ${message}`, { field });
}

/** A strict DER reader: definite, minimal lengths; returns tag, content and the end offset. */
function readTlv(der: Uint8Array, pos: number, field: string): { tag: number; body: Uint8Array; end: number } {
  if (pos + 2 > der.length) fail(field, 'has a truncated DER element');
  const tag = der[pos]!;
  let len = der[pos + 1]!;
  let at = pos + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0 || count > 3 || at + count > der.length || der[at] === 0) fail(field, 'has a non-canonical DER length');
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + der[at + i]!;
    if (len < 128) fail(field, 'has a non-canonical DER length');
    at += count;
  }
  if (at + len > der.length) fail(field, 'has a truncated DER element');
  return { tag, body: der.subarray(at, at + len), end: at + len };
}

function readSequence(der: Uint8Array, field: string): Uint8Array[] {
  const outer = readTlv(der, 0, field);
  if (outer.tag !== 0x30 || outer.end !== der.length) fail(field, 'is not one DER SEQUENCE');
  const items: Uint8Array[] = [];
  for (let pos = 0; pos < outer.body.length; ) {
    const item = readTlv(outer.body, pos, field);
    items.push(outer.body.subarray(pos, item.end));
    pos = item.end;
  }
  return items;
}

function readPositiveInteger(tlv: Uint8Array, field: string): bigint {
  const { tag, body } = readTlv(tlv, 0, field);
  if (tag !== 0x02 || body.length === 0 || (body[0]! & 0x80) !== 0) fail(field, 'has an integer that is not positive');
  if (body.length > 1 && body[0] === 0 && (body[1]! & 0x80) === 0) fail(field, 'has a non-minimal DER integer');
  return bytesToBigintBE(body);
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1). */
function parsePkcs1(der: Uint8Array, field: string): { n: bigint; e: bigint } {
  const items = readSequence(der, field);
  if (items.length !== 2) fail(field, 'is not an RSAPublicKey');
  return { n: readPositiveInteger(items[0]!, field), e: readPositiveInteger(items[1]!, field) };
}

/** SubjectPublicKeyInfo with algorithm rsaEncryption (NULL parameters) and an RSAPublicKey in the BIT STRING. */
function parseSpki(der: Uint8Array, field: string): { n: bigint; e: bigint } {
  const items = readSequence(der, field);
  if (items.length !== 2) fail(field, 'is not a SubjectPublicKeyInfo');
  const alg = readSequence(items[0]!, field);
  const oid = readTlv(alg[0] ?? new Uint8Array(0), 0, field);
  if (oid.tag !== 0x06 || oid.body.length !== RSA_OID.length || !oid.body.every((b, i) => b === RSA_OID[i])) fail(field, 'is not an RSA key');
  const bits = readTlv(items[1]!, 0, field);
  if (bits.tag !== 0x03 || bits.body[0] !== 0) fail(field, 'has a malformed BIT STRING');
  return parsePkcs1(bits.body.subarray(1), field);
}

function pemBody(pem: string, field: string): { label: string; der: Uint8Array } {
  const m = /^-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\r?\n?$/.exec(pem.trim() + '\n');
  if (m === null) fail(field, 'is not a PEM public key');
  return { label: m[1]!, der: base64Decode(m[2]!.replace(/\r?\n/g, ''), field) };
}

/** The ABI encoding of one string (`abi.encode(string)`), as operator keys are stored on chain. */
function abiString(hex: string, field: string): string {
  const b = hexToBytes(hex, field, { prefix: 'required', allowUppercase: true });
  if (b.length < 64) fail(field, 'is not an ABI-encoded string');
  const offset = Number(bytesToBigintBE(b.subarray(0, 32)));
  if (offset !== 32) fail(field, 'is not an ABI-encoded string');
  const len = Number(bytesToBigintBE(b.subarray(32, 64)));
  if (len > b.length - 64) fail(field, 'is not an ABI-encoded string');
  return new TextDecoder().decode(b.subarray(64, 64 + len));
}

/**
 * Parses an SSV operator public key (see the module comment) and checks it is RSA-2048 with an odd exponent
 * 3 <= e < n.
 * @throws ValidationError `INVALID_ARGUMENT` or `INVALID_FORMAT` naming `field`.
 */
export function parseOperatorKey(text: unknown, field = 'operatorKey'): RsaPublicKey {
  if (typeof text !== 'string' || text.length === 0) fail(field, 'expected an operator public key');
  if (text.length > MAX_OPERATOR_KEY_LENGTH) fail(field, `is longer than ${MAX_OPERATOR_KEY_LENGTH} characters`);
  let b64 = text.trim();
  if (b64.startsWith('0x')) b64 = abiString(b64, field).trim();
  let pem = b64;
  if (b64.startsWith('-----BEGIN')) b64 = base64Encode(utf8(`${b64}\n`));
  else pem = new TextDecoder('utf-8', { fatal: false }).decode(base64Decode(b64, field));
  const { label, der } = pemBody(pem, field);
  if (label !== 'RSA PUBLIC KEY' && label !== 'PUBLIC KEY') fail(field, `has a PEM label "${label}", not a public key`);
  const spki = readTlv(der, 0, field).body[0] === 0x30;
  const key = spki ? parseSpki(der, field) : parsePkcs1(der, field);
  if (key.n.toString(2).length !== SSV_RSA_BITS) fail(field, `is not an RSA-${SSV_RSA_BITS} key`);
  if (key.e < 3n || key.e % 2n === 0n || key.e >= key.n) fail(field, 'has an invalid RSA exponent');
  return { ...key, operatorKey: b64 };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/**
 * RSAES-PKCS1-v1_5-ENCRYPT (RFC 8017 7.2.1): EM = 0x00 ‖ 0x02 ‖ PS (non-zero random bytes, at least 8) ‖ 0x00 ‖ M,
 * c = EM^e mod n, as 256 bytes. The encoded message is wiped; `message` is the caller's.
 * @throws ValidationError `INVALID_LENGTH` when the message is longer than k - 11 bytes.
 */
export function rsaEncryptPkcs1v15(key: RsaPublicKey, message: Uint8Array, rng: RandomBytes = systemRandomBytes): Uint8Array {
  const k = SSV_CIPHERTEXT_BYTES;
  if (message.length > k - 11) throw new ValidationError('INVALID_LENGTH', `'message' is longer than ${k - 11} bytes`, { field: 'message' });
  const ps = new Uint8Array(k - message.length - 3);
  for (let filled = 0; filled < ps.length; ) {
    const chunk = rng(ps.length);
    for (const b of chunk) if (b !== 0 && filled < ps.length) ps[filled++] = b;
    chunk.fill(0);
  }
  const em = concatBytes(Uint8Array.of(0, 2), ps, Uint8Array.of(0), message);
  try {
    return bigintToBytesBE(modPow(bytesToBigintBE(em), key.e, key.n), k);
  } finally {
    em.fill(0);
    ps.fill(0);
  }
}
