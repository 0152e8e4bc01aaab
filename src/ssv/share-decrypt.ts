/**
 * An SSV operator's check of its own shares in a keyshares.json (research/interop-formats.md 2.2, 2.5): each
 * ciphertext in sharesData is RSAES-PKCS1-v1_5 (RFC 8017 7.2) of the text `0x` + 64 lowercase hex digits (the
 * share, ssv-keys' plaintext). Decrypting it and checking s·G = the share public key beside it proves the operator
 * holds the share the public data promises: the share public keys alone are only a claim (issue 15).
 *
 * The RSA private-key operation (RSADP, RFC 8017 5.1.2) is injected: the core never holds an RSA private key
 * (decision 0306). The CLI passes node:crypto's raw RSA, which OpenSSL runs with blinding; a browser would pass
 * its own. This module does the EME-PKCS1-v1_5 decoding (7.2.2 step 3), the plaintext parse and the curve check.
 * Encoded messages, plaintexts and shares are wiped in `finally`; no message contains a decrypted byte.
 *
 * @module
 */
import { constantTimeEqual } from '../bytes.js';
import { isDvkeysError, type ErrorCode } from '../errors.js';
import { secretKeyToPublicKey } from '../bls/signature.js';
import type { KeysharesFile } from './keyshares.js';
import { SSV_CIPHERTEXT_BYTES } from './rsa.js';

/** One operator's private RSA key, as an injected operation. */
export interface SsvShareDecryptor {
  /** Names the key in reports (e.g. the key file's name). */
  readonly source: string;
  /** The key's public modulus: which operator of the file it belongs to. */
  readonly modulus: bigint;
  /** RSADP + I2OSP: c^d mod n as 256 bytes. The caller (this module) wipes the result. */
  readonly rawDecrypt: (ciphertext: Uint8Array) => Uint8Array;
}

/** The outcome for one operator's share of one item. */
export interface SsvShareReport {
  readonly item: number;
  readonly operatorId: number;
  readonly source: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly code?: ErrorCode;
  readonly field?: string;
}

/** The length of the plaintext ssv-keys encrypts: `0x` and 64 hex digits. */
const PLAINTEXT_LENGTH = 66;

/**
 * EME-PKCS1-v1_5 decoding (RFC 8017 7.2.2 step 3): EM = 0x00 ‖ 0x02 ‖ PS (at least 8 non-zero bytes) ‖ 0x00 ‖ M.
 * Returns M as a fresh copy, or undefined when EM is not of that form. The caller wipes both.
 */
export function emePkcs1v15Decode(em: Uint8Array): Uint8Array | undefined {
  if (em.length !== SSV_CIPHERTEXT_BYTES || em[0] !== 0 || em[1] !== 2) return undefined;
  let sep = -1;
  for (let i = 2; i < em.length; i++) {
    if (em[i] === 0) {
      sep = i;
      break;
    }
  }
  if (sep < 10) return undefined;
  return em.slice(sep + 1);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** `0x` + 64 lowercase hex digits → 32 bytes, or undefined (the value is never echoed). */
function parsePlaintext(m: Uint8Array): Uint8Array | undefined {
  if (m.length !== PLAINTEXT_LENGTH || m[0] !== 0x30 || m[1] !== 0x78) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexDigit(m[2 + 2 * i]!);
    const lo = hexDigit(m[3 + 2 * i]!);
    if (hi < 0 || lo < 0) {
      out.fill(0);
      return undefined;
    }
    out[i] = hi * 16 + lo;
  }
  return out;
}

/**
 * Decrypts and checks, for every item, the share of each operator whose key is given: the ciphertext decodes
 * (PKCS#1 v1.5), the plaintext is `0x` + 64 hex digits, it is a valid BLS secret key, and its public key is the
 * share public key of that operator in sharesData. One report per (item, operator with a key); keys that belong
 * to no operator of the file are returned in `unmatched`.
 */
export function checkSsvShares(file: KeysharesFile, decryptors: readonly SsvShareDecryptor[]): { reports: SsvShareReport[]; unmatched: string[] } {
  const used = new Set<SsvShareDecryptor>();
  const reports: SsvShareReport[] = [];
  file.items.forEach((item, index) => {
    const at = file.layout === 'single' ? 'keyshares' : `shares[${index}]`;
    item.operators.forEach((op, k) => {
      const d = decryptors.find((x) => x.modulus === op.key.n);
      if (d === undefined) return;
      used.add(d);
      const field = `${at}.payload.sharesData.encryptedShares[${k}]`;
      const base = { item: index, operatorId: op.id, source: d.source };
      const bad = (code: ErrorCode, f: string, detail: string): SsvShareReport => ({ ...base, ok: false, code, field: f, detail: `'${f}' ${detail}` });
      let em: Uint8Array | undefined;
      let m: Uint8Array | undefined;
      let share: Uint8Array | undefined;
      try {
        try {
          em = d.rawDecrypt(item.parts.encryptedShares[k]!);
        } catch {
          em = undefined;
        }
        m = em === undefined ? undefined : emePkcs1v15Decode(em);
        if (m === undefined) return reports.push(bad('KEYSHARES_INVALID', field, `does not decrypt with ${d.source} to a PKCS#1 v1.5 message (operator ${op.id})`));
        share = parsePlaintext(m);
        if (share === undefined) return reports.push(bad('KEYSHARES_INVALID', field, `decrypts with ${d.source}, but not to "0x" and 64 lowercase hex digits (operator ${op.id})`));
        let pub: Uint8Array;
        try {
          pub = secretKeyToPublicKey(share);
        } catch (e) {
          if (!isDvkeysError(e)) throw e;
          return reports.push(bad(e.code, field, `decrypts to a value that is not a BLS secret key (operator ${op.id})`));
        }
        if (!constantTimeEqual(pub, item.parts.sharePublicKeys[k]!)) {
          return reports.push(bad('SHARE_MISMATCH', field, `decrypts to a share whose public key is not sharePublicKeys[${k}] (operator ${op.id}): the share does not belong to this validator's sharing`));
        }
        return reports.push({ ...base, ok: true, detail: `the share decrypts with ${d.source} and matches its share public key` });
      } finally {
        em?.fill(0);
        m?.fill(0);
        share?.fill(0);
      }
    });
  });
  return { reports, unmatched: decryptors.filter((d) => !used.has(d)).map((d) => d.source) };
}
