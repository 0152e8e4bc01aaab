/** Input keystores for the CLI tests: fixed secrets, low KDF costs, Charon-style .txt passwords. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptKeystore, keystoreToJson } from '../../src/keys/keystore.js';

export const SECRETS = [
  '263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3',
  '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138',
  '328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216',
];
export const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/** Writes keystore-<i>.json (+ .txt unless noTxt) for the secrets into a new folder. */
export async function makeInputs(dir: string, kdf: 'scrypt' | 'pbkdf2', secrets = SECRETS, noTxt = false): Promise<void> {
  for (const [i, hex] of secrets.entries()) {
    const ks = await encryptKeystore(Buffer.from(hex, 'hex'), `pw-${i}`, { kdf, kdfParams: kdf === 'scrypt' ? { n: 16 } : { c: 16 } });
    writeFileSync(join(dir, `keystore-${i}.json`), keystoreToJson(ks));
    if (!noTxt) writeFileSync(join(dir, `keystore-${i}.txt`), `pw-${i}\n`);
  }
}

