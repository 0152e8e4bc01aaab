/**
 * Ethereum Node Records (EIP-778) as Charon writes and checks them (`eth2util/enr/enr.go`, research notes
 * interop-formats.md 1.7): text `enr:` + unpadded base64url of RLP([signature, seq, k1, v1, k2, v2, ...]) with the
 * keys sorted and unique, identity scheme "v4": signature = 64-byte secp256k1 `r ‖ s` over
 * keccak256(RLP([seq, k1, v1, ...])), key "secp256k1" = the 33-byte compressed public key.
 *
 * Charon writes `seq = 0` and only `id` and `secp256k1` for `charon create cluster`; records from other tools may
 * carry `ip`, `tcp`, `udp` and more, which are kept as opaque values. Records are at most 300 bytes (EIP-778).
 * The RLP decoder is strict: canonical lengths only, nothing after the list.
 *
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base64UrlDecode, base64UrlEncode } from '../base64.js';
import { bytesToHex, concatBytes, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { isValidNodePublicKey, nodePublicKey, signDigest64, verifyDigest64 } from './k1.js';

/** EIP-778: the maximum encoded size of a record. */
export const MAX_ENR_BYTES = 300;

/** A decoded, signature-checked ENR. */
export interface Enr {
  readonly seq: bigint;
  /** The 33-byte compressed secp256k1 key: the node's identity. */
  readonly publicKey: Uint8Array;
  /** Every key/value pair, in record order (keys as text). */
  readonly pairs: ReadonlyMap<string, Uint8Array>;
}

type Rlp = Uint8Array | Rlp[];

function fail(field: string, message: string): never {
  throw new ValidationError('LOCK_INVALID', `'${field}' ${message}`, { field });
}

function encodeLength(len: number, offset: number): Uint8Array {
  if (len < 56) return Uint8Array.of(offset + len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return Uint8Array.of(offset + 55 + bytes.length, ...bytes);
}

/** RLP encoding of a byte string or a list. */
export function rlpEncode(item: Rlp): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) return item;
    return concatBytes(encodeLength(item.length, 0x80), item);
  }
  const body = concatBytes(...item.map(rlpEncode));
  return concatBytes(encodeLength(body.length, 0xc0), body);
}

/** Decodes one item at `pos`; returns it and the next position. Canonical encodings only. */
function decodeItem(b: Uint8Array, pos: number, field: string, depth: number): [Rlp, number] {
  if (pos >= b.length) fail(field, 'has a truncated RLP item');
  const p = b[pos]!;
  const header = (short: number, longBase: number): [number, number] => {
    if (p <= short) return [p - (short - 55), pos + 1];
    const n = p - longBase;
    if (pos + 1 + n > b.length || b[pos + 1] === 0) fail(field, 'has a non-canonical RLP length');
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[pos + 1 + i]!;
    if (len < 56) fail(field, 'has a non-canonical RLP length');
    return [len, pos + 1 + n];
  };
  if (p < 0x80) return [b.subarray(pos, pos + 1), pos + 1];
  if (p < 0xc0) {
    const [len, start] = header(0xb7, 0xb7);
    if (start + len > b.length) fail(field, 'has a truncated RLP string');
    if (len === 1 && b[start]! < 0x80) fail(field, 'has a non-canonical RLP single byte');
    return [b.subarray(start, start + len), start + len];
  }
  if (depth > 0) fail(field, 'has a nested RLP list');
  const [len, start] = header(0xf7, 0xf7);
  const end = start + len;
  if (end > b.length) fail(field, 'has a truncated RLP list');
  const items: Rlp[] = [];
  let at = start;
  while (at < end) {
    const [item, next] = decodeItem(b, at, field, depth + 1);
    items.push(item);
    at = next;
  }
  if (at !== end) fail(field, 'has an RLP list whose items overrun it');
  return [items, end];
}

function bigintToMinimal(v: bigint): Uint8Array {
  const out: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
  return Uint8Array.from(out);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an ENR text and checks it: size, strict RLP, sorted unique keys, `id` = "v4", a valid compressed
 * `secp256k1` key, and the v4 signature.
 * @throws ValidationError `LOCK_INVALID` (or `INVALID_FORMAT` for bad base64) naming `field`.
 */
export function decodeEnr(text: string, field = 'enr'): Enr {
  if (typeof text !== 'string' || !text.startsWith('enr:')) fail(field, 'expected a record starting with "enr:"');
  if (text.length > 4 + Math.ceil((MAX_ENR_BYTES * 4) / 3)) fail(field, `is longer than ${MAX_ENR_BYTES} bytes`);
  const raw = base64UrlDecode(text.slice(4), field);
  const [list, end] = decodeItem(raw, 0, field, 0);
  if (end !== raw.length) fail(field, 'has bytes after the RLP list');
  if (!Array.isArray(list) || list.length < 2 || list.length % 2 !== 0) fail(field, 'is not an RLP list [signature, seq, key, value, ...]');
  const items = list as Uint8Array[];
  const [signature, seqBytes] = items as [Uint8Array, Uint8Array];
  if (seqBytes.length > 8 || (seqBytes.length > 0 && seqBytes[0] === 0)) fail(field, 'has a non-canonical seq');
  const seq = seqBytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
  const pairs = new Map<string, Uint8Array>();
  let previous = '';
  for (let i = 2; i < items.length; i += 2) {
    let key: string;
    try {
      key = decoder.decode(items[i]);
    } catch {
      fail(field, 'has a key that is not text');
    }
    if (pairs.size > 0 && key <= previous) fail(field, 'has keys that are not sorted and unique');
    previous = key;
    pairs.set(key, items[i + 1]!);
  }
  const id = pairs.get('id');
  if (id === undefined || bytesToHex(id) !== bytesToHex(utf8('v4'))) fail(field, 'is not a "v4" identity record');
  const publicKey = pairs.get('secp256k1');
  if (publicKey === undefined || !isValidNodePublicKey(publicKey)) fail(field, 'has no valid compressed secp256k1 key');
  const content = rlpEncode(items.slice(1));
  if (!verifyDigest64(signature, keccak_256(content), publicKey)) {
    throw new ValidationError('SIGNATURE_INVALID', `'${field}' has a signature that does not verify under its secp256k1 key`, { field });
  }
  return { seq, publicKey: Uint8Array.from(publicKey), pairs };
}

/**
 * The ENR text of a node key as `charon create cluster` writes it: seq 0, `id` "v4", `secp256k1`, no address.
 * @throws ValidationError for a bad key.
 */
export function createEnr(nodeSecret: Uint8Array, seq = 0n): string {
  const publicKey = nodePublicKey(nodeSecret, 'nodeKey');
  const content: Uint8Array[] = [bigintToMinimal(seq), utf8('id'), utf8('v4'), utf8('secp256k1'), publicKey];
  const signature = signDigest64(nodeSecret, keccak_256(rlpEncode(content)));
  return `enr:${base64UrlEncode(rlpEncode([signature, ...content]))}`;
}
