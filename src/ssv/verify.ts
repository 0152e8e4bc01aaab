/**
 * Checks of a parsed SSV keyshares file that need curve work (research/interop-formats.md 2.3, 2.4): per item,
 * the validator public key and every share public key are valid G1 points; the share public keys lie on one
 * polynomial of degree exactly t - 1 through the validator key with x = operator id (sharing/recombine.ts: any t
 * of them recombine, t - 1 do not); and the owner-nonce signature verifies under the validator key. The RSA
 * ciphertexts cannot be checked without the operators' private keys.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { VerificationError, isDvkeysError, type ErrorCode } from '../errors.js';
import { decodeG1 } from '../bls/group.js';
import { systemRandomBytes } from '../random.js';
import { checkRecombination } from '../sharing/recombine.js';
import { toShareIndex, type RandomBytes } from '../types.js';
import type { KeysharesFile } from './keyshares.js';
import { ssvRule, verifyOwnerNonce } from './payload.js';

/** The outcome for one item. */
export interface KeysharesItemReport {
  readonly index: number;
  readonly publicKey: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly code?: ErrorCode;
  readonly field?: string;
  /** Operator ids a failure blames (a share public key that is not a point). */
  readonly culprits?: readonly number[];
}

/** Verifies every item of a parsed file; returns one line per item (`ok` false names the field at fault). */
export function verifyKeyshares(file: KeysharesFile, options: { readonly rng?: RandomBytes } = {}): KeysharesItemReport[] {
  const rng = options.rng ?? systemRandomBytes;
  return file.items.map((item, index) => {
    const at = file.layout === 'single' ? 'keyshares' : `shares[${index}]`;
    const publicKey = bytesToHex(item.publicKey, true);
    const bad = (code: ErrorCode, field: string, detail: string, culprits?: readonly number[]): KeysharesItemReport => ({ index, publicKey, ok: false, code, field, detail: `'${field}' ${detail}`, ...(culprits === undefined ? {} : { culprits }) });
    let current: number | undefined;
    try {
      decodeG1(item.publicKey, `${at}.data.publicKey`);
      item.parts.sharePublicKeys.forEach((p, i) => {
        current = i;
        decodeG1(p, `${at}.payload.sharesData.sharePublicKeys[${i}]`);
      });
    } catch (e) {
      if (!isDvkeysError(e)) throw e;
      return bad(e.code, e.field ?? `${at}.payload.sharesData`, e.message.replace(/^'[^']*' /, ''), current === undefined ? undefined : [item.operators[current]!.id]);
    }
    const { threshold } = ssvRule(item.operators.length);
    const report = checkRecombination(
      {
        threshold,
        groupPublicKey: item.publicKey,
        publicShares: item.parts.sharePublicKeys.map((publicKey, i) => ({ id: toShareIndex(item.operators[i]!.id), publicKey })),
      },
      { rng },
    );
    const failed = report.checks.find((c) => c.status === 'fail');
    if (failed !== undefined) {
      return bad(failed.code ?? 'DEGREE_CHECK_FAILED', `${at}.payload.sharesData`, `share public keys: ${failed.detail} (x = operator ids ${item.operators.map((o) => o.id).join(', ')})`);
    }
    if (!verifyOwnerNonce(item.publicKey, item.owner, item.ownerNonce, item.parts.signature)) {
      return bad('SIGNATURE_INVALID', `${at}.payload.sharesData.signature`, `is not the validator key's signature of "${item.ownerAddress}:${item.ownerNonce}" (EIP-55 owner, nonce)`);
    }
    return { index, publicKey, ok: true, detail: `${item.operators.length} operators (ids ${item.operators.map((o) => o.id).join(', ')}), threshold ${threshold}: share keys interpolate to the validator key and the owner-nonce signature verifies` };
  });
}

/**
 * {@link verifyKeyshares}, throwing the first failure.
 * @throws VerificationError with the item's code (`SIGNATURE_INVALID`, `DEGREE_CHECK_FAILED`, `INVALID_POINT`, ...)
 *   and field.
 */
export function assertKeyshares(file: KeysharesFile, options: { readonly rng?: RandomBytes } = {}): KeysharesItemReport[] {
  const reports = verifyKeyshares(file, options);
  const bad = reports.find((r) => !r.ok);
  if (bad !== undefined) throw new VerificationError(bad.code ?? 'KEYSHARES_INVALID', bad.detail, bad.field === undefined ? {} : { field: bad.field });
  return reports;
}
