/**
 * `dvkeys add-validators split|merge`: new validator keys into an existing split cluster (issue 16 "add
 * validators"; src/ceremony/add-validators.ts; decision 1011). The key holder splits the new keys over the
 * cluster's own operators and threshold into an addition tree; each operator merges its addition folder with its old
 * folder into a new folder, checked as `dvkeys verify` checks it. Old folders are never changed.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { appendToCluster, assertSplitCluster, mergeAddition } from '../../ceremony/add-validators.js';
import { MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../../ceremony/manifest.js';
import { runSplit } from '../../ceremony/split.js';
import { isEncryptedInput } from '../../ceremony/split-inputs.js';
import { VerificationError } from '../../errors.js';
import { parse } from '../args.js';
import { label, readFolder, readText } from '../files.js';
import { assertOutputPath, readBackTree, removeTree, warnLeftovers, writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { secretOption } from '../prompt.js';
import { progressBar } from '../progress.js';
import { verifyFolder } from './dkg-folder.js';
import { INSECURE_KDF, printTree } from './shared.js';
import { splitInputs, splitOptions } from './split.js';

const usage = `Usage: dvkeys add-validators <step> [options]

Adds validator keys to an existing split cluster: the same operators, threshold and ceremony.json, with the new
validators appended. Old folders are never changed; each operator gets a new folder.
  key holder  1. split   the new keys over the cluster's operators and threshold, checked as split checks them,
                         into an addition tree: per operator only the new keystores (numbered after the cluster's
                         last validator), deposit data and history named by their range, and the new ceremony.json
  operator    2. merge   its old folder + its addition folder -> a new folder, only if the addition extends its
                         own ceremony.json exactly; then checked as dvkeys verify checks it

dvkeys add-validators split [keystores or folders...] --to CEREMONY.JSON --out DIR [options]
  --to FILE                  the cluster's ceremony.json (any operator folder's copy; must be of kind split)
  Input as dvkeys split: keystores with --password-file or the .txt beside each, or --mnemonic-file FILE
  --validator-indices 0..9 [--mnemonic-passphrase-file F]; --allow-share-input as split.
  Share keystores and deposits as split: --share-password-file, --kdf, --network, --withdrawal-address,
  --compounding, --amount, --slashing-protection, --allow-missing-slashing-history, --allow-unsafe-threshold,
  --insecure-keys, --json (the operators and the threshold come from the cluster).
dvkeys add-validators merge --folder OLD-DIR --add ADDITION-DIR --out NEW-DIR [--share-password-file F] [--json]
  Then point the node's validator client at NEW-DIR (or import its new keystores) and keep OLD-DIR until it signs.`;

/** split's options but those of the layout and the allocation (the operators and threshold are the cluster's). */
const addOptions = {
  ...pick(splitOptions, [
    'out', 'password-file', 'share-password-file', 'mnemonic-file', 'mnemonic-passphrase-file', 'validator-indices', 'kdf', 'allow-unsafe-threshold',
    'allow-share-input', 'network', 'withdrawal-address', 'compounding', 'amount', 'slashing-protection', 'allow-missing-slashing-history', 'insecure-keys', 'json',
  ]),
  to: { type: 'string' },
} as const;

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

/** `split`: the addition tree. */
async function splitRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, addOptions, true);
  if (v.out === undefined) throw new UsageError('--out DIR is required');
  if (v.to === undefined) throw new UsageError("--to CEREMONY.JSON (the cluster's ceremony.json) is required");
  const out = resolve(io.cwd, v.out);
  const cluster = parseManifest(await readText(resolve(io.cwd, v.to), MAX_MANIFEST_TEXT_LENGTH, 'ceremony.json'), v.to);
  assertSplitCluster(cluster); // before any key is read
  warnLeftovers(await assertOutputPath(out), io.err);
  const { sharePassword, kdf, insecure, quiet, eth, validators } = await splitInputs(positionals, v, io, 'add-validators');
  const sources = validators.map((x) => x.source);
  const bar = progressBar(io, validators.some(isEncryptedInput) ? 'decrypting input keystores and encrypting share keystores' : 'encrypting share keystores', quiet);
  let result;
  try {
    result = await runSplit({
      validators,
      operators: cluster.operators,
      threshold: cluster.threshold,
      allowUnsafeThreshold: v['allow-unsafe-threshold'] === true,
      kdf,
      ...(insecure ? { kdfParams: INSECURE_KDF[kdf] } : {}),
      ...(sharePassword === undefined ? {} : { sharePassword }),
      ...eth,
      signal: io.signal,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.done();
    for (const x of validators) if (!isEncryptedInput(x)) x.secret.fill(0);
  }
  try {
    const addition = appendToCluster(cluster, result);
    const files = addition.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
    await writeTreeAtomically(out, files, io.signal);
    try {
      await readBackTree(out, files);
    } catch (e) {
      await removeTree(out);
      throw e;
    }
    const last = addition.first + addition.added - 1;
    if (quiet) {
      io.out(JSON.stringify({ ok: true, out, first: addition.first, added: addition.added, threshold: cluster.threshold, validators: addition.manifest.validators.slice(addition.first).map((x) => bytesToHex(x.pubkey, true)), files: files.map((f) => f.path) }, null, 2));
      return 0;
    }
    io.out(`Split ${addition.added} new validator key(s) over the cluster's ${cluster.operators.length} shares, threshold ${cluster.threshold}: validators ${addition.first}..${last} of ${addition.manifest.validators.length}.`);
    io.out('Checked before writing, as dvkeys split checks: every share against its public share, every subset of the threshold, a threshold signature.');
    io.out(`Wrote ${out} (read back byte for byte):`);
    printTree(io, files.map((f) => f.path));
    io.out('New validators:');
    addition.manifest.validators.slice(addition.first).forEach((x, i) => io.out(`  ${addition.first + i}  ${bytesToHex(x.pubkey, true)}  (${sources[i]!})`));
    io.out('');
    io.out('Next: hand each operator its folder of this tree; each runs');
    io.out(`  dvkeys add-validators merge --folder <its cluster folder> --add <its folder here> --out <new folder>`);
    io.out('and then dvkeys verify <new folder> --fingerprint <the fingerprint merge prints>, compared between operators.');
    return 0;
  } finally {
    for (const f of result.files) if (f.kind === 'password') f.bytes.fill(0);
  }
}

/** `merge`: an operator's old folder plus its addition folder into a new folder. */
async function mergeRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, { folder: { type: 'string' }, add: { type: 'string' }, out: { type: 'string' }, 'share-password-file': { type: 'string' }, json: { type: 'boolean' } });
  if (v.folder === undefined || v.add === undefined || v.out === undefined) throw new UsageError('--folder OLD-DIR, --add ADDITION-DIR and --out NEW-DIR are required');
  const out = resolve(io.cwd, v.out);
  warnLeftovers(await assertOutputPath(out), io.err);
  const oldDir = resolve(io.cwd, v.folder);
  const addDir = resolve(io.cwd, v.add);
  const merged = mergeAddition(await readFolder(oldDir, label(oldDir)), await readFolder(addDir, label(addDir)));
  const sharePassword = v['share-password-file'] === undefined ? undefined : await secretOption(io, v['share-password-file'], { flag: '--share-password-file', what: 'password of the share keystores' });
  const files = merged.files.map((f) => ({ path: f.name, bytes: f.bytes, secret: f.secret }));
  await writeTreeAtomically(out, files, io.signal);
  let fingerprint: string;
  try {
    await readBackTree(out, files);
    fingerprint = await verifyFolder(io, out, sharePassword, v.json === true);
  } catch (e) {
    await removeTree(out);
    if (e instanceof VerificationError) throw new VerificationError(e.code, `${e.message}; the output was removed`, { ...(e.field === undefined ? {} : { field: e.field }), culprits: [...e.culprits] });
    throw e;
  }
  const op = merged.manifest.operators[merged.operator]!;
  const last = merged.first + merged.added - 1;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, operator: op.name, first: merged.first, added: merged.added, validators: merged.manifest.validators.length, fingerprint }, null, 2));
    return 0;
  }
  io.out(`Merged ${label(addDir)} into a new folder for ${op.name} (share ${op.index}): validators 0..${last}, ${merged.added} new (${merged.first}..${last}).`);
  io.out(`Checked: the addition extends ${join(label(oldDir), 'ceremony.json')} exactly (same operators, threshold, old validators and file hashes), and ${out}`);
  io.out('was read back and verified as dvkeys verify checks it (every keystore decrypted against its public share).');
  io.out(`Ceremony fingerprint: ${fingerprint} (the same for every operator; compare it out of band).`);
  io.out(`${label(oldDir)} is unchanged. Point the validator client at ${out} (or import keystore-${merged.first}..${last}); import any new slashing-protection-*.json first.`);
  return 0;
}

/** `dvkeys add-validators`. */
export const addValidatorsCommand: Command = {
  name: 'add-validators',
  summary: 'add validator keys to an existing split cluster',
  usage,
  steps: ['split', 'merge'],
  run: async (args: string[], io: CliIo): Promise<number> => {
    const [step, ...rest] = args;
    if (step === 'split') return splitRun(rest, io);
    if (step === 'merge') return mergeRun(rest, io);
    throw new UsageError(step === undefined ? 'give a step: split, merge' : `unknown step '${step}' (split, merge)`);
  },
};
