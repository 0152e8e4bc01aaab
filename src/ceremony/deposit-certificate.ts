/**
 * The deposit certificate check of a DKG operator folder (round 3, docs/decisions/0431 and 0424; attacks a14, a16):
 * a DKG folder's deposit data are ready only under a `deposit-certificate.json` holding the READY signature of all n
 * operators over exactly these deposits and this `ceremony.json`, anchored to the ceremony of the folder's own
 * `dkg-recovery.json` (a certificate alone names its own operators). One pure check, run by `verifyCeremony` for
 * the CLI's `dvkeys verify` and the web page alike (docs/decisions/0906).
 *
 * @module
 */
import { bytesToHex, utf8 } from '../bytes.js';
import { parseDefinition, verifyDepositCertificate } from '../dkg/index.js';
import { VerificationError, type ErrorCode } from '../errors.js';
import { parseDepositDataFile } from '../eth/deposit-file.js';
import { parseJsonText } from '../json.js';
import { DKG_RECOVERY_FILE } from './dkg-output.js';
import { fileHash } from './files.js';
import { attempt, fileText, type FolderSnapshot } from './tree.js';

/** The file name of the deposit certificate beside a DKG folder's deposit-data.json. */
export const DEPOSIT_CERTIFICATE_FILE = 'deposit-certificate.json';

/** Largest deposit certificate read, in bytes (as `dkg deposit-data` reads it). */
export const MAX_DEPOSIT_CERTIFICATE_BYTES = 16 * 1024 * 1024;

/** Largest recovery data read, in bytes (as the DKG commands read it). */
export const MAX_DKG_RECOVERY_BYTES = 256 * 1024 * 1024;

/** Every deposit file verify reads: deposit-data.json and an added range's deposit-data-<a>-<b>.json (attack a16). */
export const DEPOSIT_FILE_NAME = /^deposit-data(-[0-9]+-[0-9]+)?\.json$/;

/** A line of the certificate check, shaped as a verify report line. */
export interface DepositCertificateLine {
  readonly check: 'files';
  readonly subject: typeof DEPOSIT_CERTIFICATE_FILE;
  readonly status: 'pass' | 'fail';
  readonly detail: string;
  readonly code?: ErrorCode;
  /** Participants (share indices, as strings) whose READY the certificate lacks, or `coordinator`. */
  readonly culprits?: readonly string[];
}

/**
 * Checks the deposit certificate of one DKG operator folder against the folder's own files.
 * @param manifestText the exact ceremony.json text being verified.
 * @param folder the folder's files (deposit data, deposit-certificate.json, dkg-recovery.json).
 * @returns undefined when the folder holds no deposit file (nothing to certify), else a pass line or a fail line
 *   with the error's code (`DKG_NOT_READY` for a missing, foreign or incomplete certificate).
 */
export function checkDepositCertificate(manifestText: string, folder: FolderSnapshot): DepositCertificateLine | undefined {
  const deposits = [...folder.files].filter(([name]) => DEPOSIT_FILE_NAME.test(name));
  if (deposits.length === 0) return undefined;
  const res = attempt(() => {
    const roots = deposits.flatMap(([name, bytes]) => parseDepositDataFile(fileText(bytes, `${folder.label}/${name}`)).map((e) => bytesToHex(e.depositDataRoot, true)));
    const cert = folder.files.get(DEPOSIT_CERTIFICATE_FILE);
    if (cert === undefined) {
      throw new VerificationError('DKG_NOT_READY', `${folder.label} is a DKG folder without ${DEPOSIT_CERTIFICATE_FILE}: no deposits before all operators signed READY (round 3: dvkeys dkg ready, then dkg deposit-data)`, { field: `${folder.label}/${DEPOSIT_CERTIFICATE_FILE}` });
    }
    const recoveryBytes = folder.files.get(DKG_RECOVERY_FILE);
    if (recoveryBytes === undefined) {
      throw new VerificationError('DKG_NOT_READY', `${folder.label} has no ${DKG_RECOVERY_FILE}: nothing this folder holds says which ceremony its ${DEPOSIT_CERTIFICATE_FILE} must be of`, { field: `${folder.label}/${DKG_RECOVERY_FILE}` });
    }
    const recoveryPath = `${folder.label}/${DKG_RECOVERY_FILE}`;
    const recovery = parseJsonText(fileText(recoveryBytes, recoveryPath), MAX_DKG_RECOVERY_BYTES, recoveryPath);
    const definition = typeof recovery === 'object' && recovery !== null ? (recovery as Readonly<Record<string, unknown>>)['definition'] : undefined;
    const certPath = `${folder.label}/${DEPOSIT_CERTIFICATE_FILE}`;
    const value = parseJsonText(fileText(cert, certPath), MAX_DEPOSIT_CERTIFICATE_BYTES, certPath);
    verifyDepositCertificate(value, { ceremonyId: parseDefinition(definition).idHex, manifestFingerprint: `0x${fileHash(utf8(manifestText))}`, depositDataRoots: roots });
    return roots.length;
  });
  return res.ok
    ? { check: 'files', subject: DEPOSIT_CERTIFICATE_FILE, status: 'pass', detail: `every operator signed READY for these ${res.value} deposit(s) and this ceremony.json` }
    : { check: 'files', subject: DEPOSIT_CERTIFICATE_FILE, status: 'fail', code: res.error.code, detail: res.error.message, ...(res.error.culprits.length > 0 ? { culprits: res.error.culprits } : {}) };
}
