/**
 * A finished DKG operator folder in memory (round 3 done: deposit-data.json beside deposit-certificate.json), made from
 * a simulated 3-of-2 ceremony with cheap keystores: what `dkg finalize`, `dkg ready`, `dkg collect` and
 * `dkg deposit-data` write, without the CLI's round trips (tests of the certificate check, decision 0906).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utf8 } from '../../src/bytes.js';
import { DEPOSIT_CERTIFICATE_FILE } from '../../src/ceremony/deposit-certificate.js';
import { dkgReadyExpectation, runDkgOutput } from '../../src/ceremony/dkg-output.js';
import { DEPOSIT_FILE } from '../../src/ceremony/layouts/dvkeys.js';
import { collectReady, signReady } from '../../src/dkg/index.js';
import { simulateDkg } from '../../src/dkg/simulate.js';
import { insecureTestRng } from './rng.js';

/** The share keystores' password. */
export const DKG_SHARE_PASSWORD = 'dkg-share-password';

export interface DkgFolder {
  /** File name to bytes. */
  readonly files: Map<string, Uint8Array>;
  /** The certificate as JSON, to tamper with. */
  readonly certificate: { signatures: { index: number; signature: string }[] } & Record<string, unknown>;
  readonly fingerprint: string;
}

/** Participant 2's folder of a 2-of-3 DKG of one validator. */
export async function dkgFolder(seed = 'dkg-folder'): Promise<DkgFolder> {
  const sim = simulateDkg({ n: 3, t: 2, V: 1, rng: insecureTestRng(seed) });
  if (!sim.ok || sim.recovery === undefined) throw new Error('simulated DKG failed');
  const output = sim.outputs[1]!;
  const out = await runDkgOutput({ output, recovery: sim.recovery, kdf: 'pbkdf2', kdfParams: { c: 16 }, sharePassword: DKG_SHARE_PASSWORD, rng: insecureTestRng(`${seed}/out`) });
  for (const v of output.validators) v.share.secret.fill(0);
  const want = dkgReadyExpectation(sim.recovery);
  const readies = sim.hostSecretKeys.map((k, i) => signReady(want.definition, k, want.claim, insecureTestRng(`${seed}/ready-${i}`)));
  const collected = collectReady(want.definition, want.claim, readies);
  if (!collected.ok) throw new Error('READY collection failed');
  const files = new Map<string, Uint8Array>(out.files.map((f) => [f.path, f.bytes]));
  files.set(DEPOSIT_CERTIFICATE_FILE, utf8(`${JSON.stringify(collected.certificate, null, 2)}\n`));
  files.set(DEPOSIT_FILE, utf8(want.depositDataText));
  return { files, certificate: structuredClone(collected.certificate) as unknown as DkgFolder['certificate'], fingerprint: want.claim.manifestFingerprint.slice(2) };
}

/** Writes the files into a new folder `dir`. */
export function writeFolder(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
}
