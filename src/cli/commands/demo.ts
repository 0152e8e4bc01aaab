/**
 * `dvkeys demo`: the whole story on the bundled sample keystore (samples/, made by scripts/make-sample.ts; the key
 * is a public test key). Splits 6-of-9 across eridian/spacesider/cloud into a temporary folder, verifies it, signs
 * a test message in each outage scenario of the background story, shows why 3-of-6 over two parties is refused,
 * and combines six folders back into the original key.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, utf8 } from '../../bytes.js';
import { runCombine } from '../../ceremony/combine.js';
import { runSplit } from '../../ceremony/split.js';
import { verifyCeremony } from '../../ceremony/verify.js';
import { isDvkeysError } from '../../errors.js';
import { decryptKeystores } from '../../keys/batch.js';
import { parseKeystore } from '../../keys/keystore-format.js';
import { assertSplitSafety } from '../../safety/split-check.js';
import { combinePartialSignatures, partialSign } from '../../sharing/threshold-signature.js';
import { verify } from '../../bls/signature.js';
import { toShareIndex, type SecretBytes } from '../../types.js';
import { parse } from '../args.js';
import { exists, label, readFolder, readPasswordFile, readText, subfolders } from '../files.js';
import { writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { shareHolders } from '../operators.js';

const usage = `Usage: dvkeys demo [--keep]

Runs the whole story on the bundled sample keystore (samples/keystore-0.json, a PUBLIC test key) in a temporary
folder: split 6-of-9 across eridian, spacesider and cloud (3 nodes each), verify, sign in every outage scenario,
refuse 3-of-6 over two parties, and combine 6 folders back. --keep leaves the folder for you to inspect.`;

function sampleDir(): string {
  // src/cli/commands/demo.ts and dist/cli/commands/demo.js both sit three levels below the repository root.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');
}

const SCENARIOS: readonly { name: string; offline: readonly string[] }[] = [
  { name: 'normal: all nodes online', offline: [] },
  { name: 'cloud offline', offline: ['cloud-1', 'cloud-2', 'cloud-3'] },
  { name: 'Eridian offline', offline: ['eridian-1', 'eridian-2', 'eridian-3'] },
  { name: 'Spacesider offline', offline: ['spacesider-1', 'spacesider-2', 'spacesider-3'] },
  { name: 'one VC client failure (eridian-2)', offline: ['eridian-2'] },
  { name: 'multi-system failure (one node per site)', offline: ['eridian-1', 'spacesider-2', 'cloud-3'] },
  { name: 'two sites offline (eridian + cloud)', offline: ['eridian-1', 'eridian-2', 'eridian-3', 'cloud-1', 'cloud-2', 'cloud-3'] },
];

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { keep: { type: 'boolean' } });
  const started = Date.now();
  const samples = sampleDir();
  const sampleJson = join(samples, 'keystore-0.json');
  if (!(await exists(sampleJson))) throw new UsageError(`the demo needs the repository's samples/ folder (${samples})`);
  const work = await mkdtemp(join(tmpdir(), 'dvkeys-demo-'));
  const out = join(work, 'cluster');
  try {
    const keystore = parseKeystore(await readText(sampleJson, 65536, 'keystore'), 'samples/keystore-0.json');
    const password = await readPasswordFile(join(samples, 'keystore-0.txt'));
    const [secret] = await decryptKeystores([{ keystore, password, source: 'samples/keystore-0.json' }]);
    const pubkey = `0x${keystore.pubkey ?? ''}`;
    io.out(`dvkeys demo: sample validator ${pubkey.slice(0, 18)}… (public test key)`);
    io.out(`workspace: ${work}`);

    const operators = shareHolders('eridian:3,spacesider:3,cloud:3');
    const split = await runSplit({ validators: [{ secret: secret!, source: 'samples/keystore-0.json' }], operators, threshold: 6, kdf: 'pbkdf2', signal: io.signal });
    secret!.fill(0);
    await writeTreeAtomically(out, split.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret })), io.signal);
    io.out(`1. split   6-of-9, 3 nodes each at eridian, spacesider, cloud -> ${label(out)}/ (${split.files.length} files, all checks passed)`);

    const folders = await Promise.all((await subfolders(out)).map((s) => readFolder(join(out, s), s)));
    const manifestText = await readText(join(out, 'ceremony.json'), 1 << 20, 'manifest');
    const report = await verifyCeremony({ manifestText, manifestSource: 'ceremony.json', folders, wholeTree: true, signal: io.signal });
    io.out(`2. verify  ${report.lines.filter((l) => l.status === 'pass').length} checks passed, ${report.lines.filter((l) => l.status === 'fail').length} failed`);
    if (!report.ok) return 1;

    // Decrypt every node's share once; each scenario signs with the nodes still online.
    const manifest = report.manifest;
    const byName = new Map(folders.map((f) => [f.label, f]));
    const shares = new Map<string, SecretBytes>();
    const items = manifest.operators.map((op) => {
      const f = byName.get(op.name)!;
      return { keystore: parseKeystore(new TextDecoder().decode(f.files.get('keystore-0.json')), `${op.name}/keystore-0.json`), password: new TextDecoder().decode(f.files.get('keystore-0.txt')), source: op.name };
    });
    const decrypted = await decryptKeystores(items, { signal: io.signal });
    manifest.operators.forEach((op, k) => shares.set(op.name, decrypted[k]!));
    const message = utf8('dvkeys demo: test message, not an Ethereum signing root');
    const publicShares = manifest.operators.map((op, k) => ({ id: toShareIndex(op.index), publicKey: manifest.validators[0]!.publicShares[k]! }));
    io.out('3. outage scenarios (threshold 6 of 9):');
    io.out(`   ${'scenario'.padEnd(44)} ${'online'.padEnd(7)} result`);
    for (const s of SCENARIOS) {
      const online = manifest.operators.filter((op) => !s.offline.includes(op.name));
      let result: string;
      try {
        const partials = online.map((op) => partialSign({ id: toShareIndex(op.index), secret: shares.get(op.name)! }, message));
        const sig = combinePartialSignatures({ threshold: 6, groupPublicKey: manifest.validators[0]!.pubkey, publicShares, message, partials });
        result = verify(manifest.validators[0]!.pubkey, message, sig) ? 'signs; aggregate verifies under the validator key' : 'SIGNATURE INVALID';
      } catch (e) {
        if (!isDvkeysError(e, 'NOT_ENOUGH_SHARES')) throw e;
        result = 'cannot sign (fewer than 6): validator offline, but never slashable';
      }
      io.out(`   ${s.name.padEnd(44)} ${`${online.length}/9`.padEnd(7)} ${result}`);
    }
    for (const s of decrypted) s.fill(0);

    try {
      assertSplitSafety({ threshold: 3, operators: [{ name: 'eridian', shares: 3 }, { name: 'spacesider', shares: 3 }] });
      io.out('4. 3-of-6 over two parties: NOT refused (unexpected)');
      return 1;
    } catch (e) {
      if (!isDvkeysError(e, 'UNSAFE_THRESHOLD')) throw e;
      io.out(`4. refused 3-of-6 over eridian:3,spacesider:3 -> ${e.message}`);
    }

    const six = ['eridian-1', 'eridian-2', 'spacesider-1', 'spacesider-3', 'cloud-2', 'cloud-3'].map((n) => byName.get(n)!);
    const back = await runCombine({ folders: six, password: 'dvkeys-demo-combined', kdf: 'pbkdf2', signal: io.signal });
    const recovered = parseKeystore(new TextDecoder().decode(back.files[0]!.bytes), 'combined/keystore-0.json');
    const same = `0x${recovered.pubkey ?? ''}` === pubkey;
    io.out(`5. combine ${back.operators.join(', ')} -> keystore-0.json with pubkey ${same ? 'equal to the original' : 'DIFFERENT'} (${bytesToHex(manifest.validators[0]!.pubkey, true).slice(0, 18)}…)`);
    io.out(`done in ${((Date.now() - started) / 1000).toFixed(1)} s${values.keep === true ? `; kept ${work}` : ''}`);
    return same ? 0 : 1;
  } finally {
    if (values.keep !== true) await rm(work, { recursive: true, force: true });
  }
}

/** The `demo` command. */
export const demoCommand: Command = { name: 'demo', summary: 'run split, verify, outages and combine on a bundled sample', usage, run };
