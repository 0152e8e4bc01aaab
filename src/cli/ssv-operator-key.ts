/**
 * `verify --ssv-operator-key FILE`: an SSV operator's RSA private key, read from disk and handed to the core as
 * an injected raw RSA operation (ssv/share-decrypt.ts, decision 0306). The key stays inside node:crypto (OpenSSL,
 * which blinds RSA private operations); the core only sees c^d mod n for the ciphertexts of this operator.
 *
 * Accepted forms: the raw operator key `ssvnode generate-operator-keys` prints (base64 of a PEM "RSA PRIVATE
 * KEY"), or the PEM text itself (PKCS#1 or PKCS#8). An encrypted operator keystore (JSON) is refused in one line:
 * its password-based format is not one dvkeys reads.
 *
 * @module
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { base64UrlDecode } from '../base64.js';
import { bytesToBigintBE } from '../bytes.js';
import { DvkeysError } from '../errors.js';
import type { SsvShareDecryptor } from '../ssv/share-decrypt.js';
import { SSV_RSA_BITS } from '../ssv/rsa.js';
import { readCapped } from './files.js';

/** Largest operator key file read. */
const MAX_OPERATOR_KEY_FILE = 16 * 1024;

function refuse(path: string, why: string): never {
  throw new DvkeysError('INVALID_ARGUMENT', `--ssv-operator-key ${path} ${why}`, { field: '--ssv-operator-key' });
}

/** Reads one operator key file into a decryptor (see the module comment). */
export async function loadSsvOperatorKey(path: string, shown: string): Promise<SsvShareDecryptor> {
  const bytes = await readCapped(path, MAX_OPERATOR_KEY_FILE, 'SSV operator key');
  let pem: Buffer | undefined;
  let key: KeyObject;
  try {
    const text = Buffer.from(bytes).toString('latin1').trim();
    if (text.startsWith('{')) refuse(shown, 'is an encrypted operator keystore (JSON); give the raw key (base64 of the PEM) instead');
    pem = text.startsWith('-----BEGIN') ? Buffer.from(text, 'latin1') : /^[A-Za-z0-9+/=\r\n]+$/.test(text) ? Buffer.from(text, 'base64') : refuse(shown, 'is neither a PEM private key nor base64 of one');
    if (!pem.subarray(0, 40).toString('latin1').startsWith('-----BEGIN')) refuse(shown, 'is neither a PEM private key nor base64 of one');
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch {
      refuse(shown, 'does not hold a readable private key');
    }
  } finally {
    bytes.fill(0);
    pem?.fill(0);
  }
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== SSV_RSA_BITS) refuse(shown, `is not an RSA-${SSV_RSA_BITS} key (SSV operator keys are)`);
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const modulus = bytesToBigintBE(base64UrlDecode(String(jwk.n), 'n'));
  return {
    source: shown,
    modulus,
    rawDecrypt: (c) => {
      const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c);
      try {
        return new Uint8Array(em);
      } finally {
        em.fill(0);
      }
    },
  };
}
