/**
 * Makes the bundled sample used by `npm run demo`: samples/keystore-0.json and samples/keystore-0.txt.
 *
 * The key is the EIP-2334 signing key m/12381/3600/0/0/0 of the public test mnemonic
 * "test test test test test test test test test test test junk" (the one lighthouse and the deposit CLIs use in
 * their test vectors). It is PUBLIC: never deposit to it. The keystore is scrypt at EIP-2335's real cost
 * (n = 2^18, r = 8, p = 1), with the password in keystore-0.txt: `dvkeys-demo-password`.
 *
 * Run: npx tsx scripts/make-sample.ts   (refuses to overwrite existing files)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '../src/bytes.js';
import { encryptKeystore, keystoreToJson } from '../src/keys/keystore.js';
import { deriveValidatorKeys } from '../src/keys/mnemonic.js';

export const SAMPLE_MNEMONIC = 'test test test test test test test test test test test junk';
export const SAMPLE_PASSWORD = 'dvkeys-demo-password';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
const json = join(dir, 'keystore-0.json');
if (existsSync(json)) {
  console.error(`${json} exists; delete it first to make a new sample`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
const [key] = await deriveValidatorKeys(SAMPLE_MNEMONIC, { indices: [0] });
try {
  const ks = await encryptKeystore(key!.secret, SAMPLE_PASSWORD, { kdf: 'scrypt', path: key!.path, description: 'dvkeys demo sample: PUBLIC test key, never deposit to it' });
  writeFileSync(json, keystoreToJson(ks), { flag: 'wx' });
  writeFileSync(join(dir, 'keystore-0.txt'), SAMPLE_PASSWORD, { flag: 'wx' });
  console.log(`wrote samples/keystore-0.json (pubkey ${bytesToHex(key!.publicKey, true)}) and keystore-0.txt`);
} finally {
  key!.secret.fill(0);
}
