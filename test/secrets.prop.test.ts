/**
 * Issue 9: across the public API, no thrown error's message, stack or enumerable fields contains a secret or a
 * password that was passed in. Random keys and passwords drive failing calls of every module that takes secrets:
 * keystores (wrong password, bad options, tampered files), mnemonics, the split and combine pipelines, threshold
 * signing, and the DKG's host keys and sealed states.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { R, encodeScalar } from '../src/bls/field.js';
import { runSplit } from '../src/ceremony/split.js';
import { generateHostSecretKey, hostPublicKey } from '../src/dkg/host-key.js';
import { openState } from '../src/dkg/state.js';
import { decryptKeystore, encryptKeystore } from '../src/keys/keystore.js';
import { deriveValidatorKeys, loadBip39Wordlists, validateMnemonic } from '../src/keys/mnemonic.js';
import { split } from '../src/sharing/shamir.js';
import { combinePartialSignatures, partialSign } from '../src/sharing/threshold-signature.js';
import { insecureTestRng } from './helpers/rng.js';

function text(e: unknown): string {
  const err = e as Error;
  return [String(err?.message), String(err?.stack), JSON.stringify(err), JSON.stringify({ ...(err as object) })].join('\n').toLowerCase();
}

async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const secretArb = fc.bigInt({ min: 1n << 200n, max: R - 1n });
// eslint-disable-next-line no-control-regex -- passwords without control codes survive EIP-2335 normalisation unchanged
const passwordArb = fc.string({ minLength: 12, maxLength: 40 }).filter((p) => p.trim().length >= 12 && !/[\u0000-\u001f\u007f-\u009f]/.test(p));

beforeAll(() => loadBip39Wordlists());

describe('no secret or password in any error', () => {
  it('keystores: wrong password, tampered ciphertext, bad options', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, passwordArb, passwordArb, async (k, password, wrong) => {
        fc.pre(password !== wrong);
        const sk = encodeScalar(k);
        const hex = Buffer.from(sk).toString('hex');
        const ks = await encryptKeystore(sk, password, { kdf: 'pbkdf2', kdfParams: { c: 16 } });
        const errors = [
          await thrown(() => decryptKeystore(ks, wrong)),
          await thrown(() => decryptKeystore({ ...ks, crypto: { ...ks.crypto, cipher: { ...ks.crypto.cipher, message: ks.crypto.cipher.message.replace(/^./, (c) => (c === '0' ? '1' : '0')) } } }, password)),
          await thrown(() => encryptKeystore(sk, password, { kdf: 'pbkdf2', kdfParams: { c: 1 << 30 } })),
          await thrown(() => encryptKeystore(sk, password, { kdf: 'bogus' as never })),
          await thrown(() => encryptKeystore(sk.subarray(1), password, { kdf: 'pbkdf2' })),
        ];
        for (const e of errors) {
          const t = text(e);
          for (const s of [hex, password.toLowerCase(), wrong.toLowerCase()]) expect(t).not.toContain(s);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('mnemonics: an invalid phrase is never echoed', async () => {
    const words = ['legal', 'winner', 'thank', 'year', 'wave', 'sausage', 'worth', 'useful', 'legal', 'winner', 'thank', 'yellow'];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(words, { minLength: 12, maxLength: 12 }), async (phrase) => {
        const m = phrase.join(' ');
        let e: unknown;
        try {
          validateMnemonic(m);
          e = await thrown(() => deriveValidatorKeys(`${m} extra`, { indices: [0] }));
        } catch (err) {
          e = err;
        }
        expect(text(e)).not.toContain(m);
      }),
      { numRuns: 20 },
    );
  });

  it('split pipeline and threshold signing', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, passwordArb, async (k, password) => {
        const sk = encodeScalar(k);
        const hex = Buffer.from(sk).toString('hex');
        const ops = [1, 2, 3].map((i) => ({ index: i, name: `op-${i}`, group: `op-${i}` }));
        const errors = [
          await thrown(() => runSplit({ validators: [{ secret: sk, source: 'x' }], operators: ops, threshold: 1, kdf: 'pbkdf2', kdfParams: { c: 16 }, sharePassword: password })),
          await thrown(() => runSplit({ validators: [{ secret: sk, source: 'x' }, { secret: sk, source: 'y' }], operators: ops, threshold: 2, kdf: 'pbkdf2', kdfParams: { c: 16 }, sharePassword: password })),
        ];
        const r = split(sk, { threshold: 2, shares: 3, rng: insecureTestRng(hex) });
        const msg = Uint8Array.of(1);
        const partials = r.shares.map((s) => partialSign(s, msg));
        partials[0] = { id: partials[0]!.id, signature: partials[1]!.signature };
        errors.push(await thrown(() => combinePartialSignatures({ threshold: 2, groupPublicKey: r.groupPublicKey, publicShares: r.publicShares, message: msg, partials })));
        const shareHex = r.shares.map((s) => Buffer.from(s.secret).toString('hex'));
        for (const e of errors) {
          const t = text(e);
          for (const s of [hex, password.toLowerCase(), ...shareHex]) expect(t).not.toContain(s);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('DKG host keys and sealed states', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const hk = generateHostSecretKey(insecureTestRng(seed));
        const hex = Buffer.from(hk).toString('hex');
        const errors = [
          await thrown(() => hostPublicKey(hk.subarray(1))),
          await thrown(() => openState({ format: 'dvkeys/dkg-sealed-state', version: 1, ceremonyId: `0x${'11'.repeat(32)}`, index: 1, nonce: `0x${'22'.repeat(24)}`, ciphertext: '0x00' }, hk)),
        ];
        for (const e of errors) expect(text(e)).not.toContain(hex);
      }),
      { numRuns: 20 },
    );
  });
});
