/**
 * `dvkeys combine`: t operator folders back into the original validator keystores.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { bytesToHex, utf8 } from '../../bytes.js';
import { runCombine } from '../../ceremony/combine.js';
import { runCharonCombine } from '../../ceremony/charon-combine.js';
import { combinedSlashingFile } from '../../ceremony/slashing-files.js';
import { layoutOption } from '../../ceremony/layout-options.js';
import { MAX_INTERCHANGE_TEXT_LENGTH, parseInterchangeFile, type Interchange } from '../../eth/slashing-protection.js';
import { DvkeysError, ValidationError } from '../../errors.js';
import { readCharonFolder } from '../charon.js';
import { combineInputs } from '../combine-inputs.js';
import { wipeKeptKeys, type KeptKey } from '../../keys/kept-key.js';
import { generatePassword } from '../../keys/password.js';
import { parse } from '../args.js';
import { label, readFolder, readText } from '../files.js';
import { NEW_PASSWORD, secretOption } from '../prompt.js';
import { assertOutputPath, warnLeftovers, writeTreeAtomically } from '../fs.js';
import { checkWrittenKeystores } from '../readback.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { progressBar } from '../progress.js';
import { INSECURE_KDF, cliKdfWorkError, kdfOption, maxKdfWorkOption, printTree } from './shared.js';

/**
 * Refuses folders of two ceremonies before anything is decrypted, naming full paths (two trees both have an
 * `eridian-1`): the odd folder is one outside the largest group of equal ceremony.json files, compared with a
 * folder of that group, with both fingerprints. Folders without ceremony.json are left to the combine's checks.
 * @throws DvkeysError `CEREMONY_MISMATCH` (field: the odd folder's path).
 */
function assertOneCeremony(folders: readonly { path: string; manifest: Uint8Array | undefined }[]): void {
  const withManifest = folders.filter((f): f is { path: string; manifest: Uint8Array } => f.manifest !== undefined);
  const groups = new Map<string, string[]>();
  for (const f of withManifest) {
    const fp = createHash('sha256').update(f.manifest).digest('hex');
    groups.set(fp, [...(groups.get(fp) ?? []), f.path]);
  }
  if (groups.size <= 1) return;
  const [main] = [...groups].sort((a, b) => b[1].length - a[1].length);
  const [oddFp, oddPaths] = [...groups].find(([fp]) => fp !== main![0])!;
  throw new DvkeysError('CEREMONY_MISMATCH', `${oddPaths[0]!} belongs to a different ceremony than ${main![1][0]!}${main![1].length > 1 ? ` and ${main![1].length - 1} other folder(s)` : ''} (ceremony fingerprints ${oddFp.slice(0, 16)}… and ${main![0].slice(0, 16)}…): give folders of one cluster`, { field: oddPaths[0]! });
}

const usage = `Usage: dvkeys combine --in DIR --in DIR ... --out DIR [options]

Recovers every validator key from at least t operator folders of one ceremony (any t, in any order: shares are
identified by their public keys, not folder names), checks each recovered key against ceremony.json, and writes
EIP-2335 keystores keystore-<v>.json. This is the way back to solo staking: stop the cluster first.
Charon node folders (with cluster-lock.json) work too, as \`charon combine\` does: the lock is verified and
shares are mapped through its public shares. A whole tree (a split's output folder, or a folder of Charon node
folders) stands for all its operator folders. An SSV keyshares.json cannot be combined (its shares are encrypted
to the operators' RSA keys) and is refused.

Options:
  --in DIR                 an operator folder or a whole tree (repeat; at least the threshold in all)
  --layout dvkeys|charon   the layout of the input (default: detected); a folder of another layout is refused
  --out DIR                output folder; must not exist
  --password-file FILE     password for the recovered keystores (default: a generated password, written
                           beside each keystore as keystore-<v>.txt)
  --share-password-file F  password of the share keystores where no keystore-<v>.txt sits beside them
  --kdf scrypt|pbkdf2      KDF of the recovered keystores (default scrypt)
  --slashing-protection F  an EIP-3076 history exported from a node's validator client, keyed by its share
                           keys (repeat, one per node; give every node's): merged onto the validator keys
                           (per validator the highest slot, source and target epoch seen anywhere) into
                           slashing-protection.json beside the keystores
  --allow-missing-slashing-history   accept validators no history mentions (they never signed)
  --max-kdf-work UNITS     KDF-work budget of all the share keystores combine may decrypt, in units of one
                           default EIP-2335 keystore (about 1 s each; default 2 per keystore, as verify): above
                           it nothing is decrypted (LIMIT_EXCEEDED), so folders of huge but legal KDF costs
                           cannot keep combine busy for hours
  --insecure-keys          tiny KDF costs, for tests and demos only
  --list-files             list every file written (default: more than 6 files are summarised by name pattern)
  --json                   print a machine-readable summary`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    in: { type: 'string', multiple: true },
    out: { type: 'string' },
    layout: { type: 'string' },
    'password-file': { type: 'string' },
    'share-password-file': { type: 'string' },
    kdf: { type: 'string' },
    'insecure-keys': { type: 'boolean' },
    'slashing-protection': { type: 'string', multiple: true },
    'allow-missing-slashing-history': { type: 'boolean' },
    'max-kdf-work': { type: 'string' },
    'list-files': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  const spFiles = v['slashing-protection'] ?? [];
  if (v['allow-missing-slashing-history'] === true && spFiles.length === 0) throw new UsageError('--allow-missing-slashing-history needs --slashing-protection');
  const ins = v.in ?? [];
  if (ins.length === 0) throw new UsageError('give the operator folders with --in DIR (at least the threshold)');
  if (v.out === undefined) throw new UsageError('--out DIR is required');
  const out = resolve(io.cwd, v.out);
  warnLeftovers(await assertOutputPath(out), io.err);
  const given = Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined);
  const { layout, inputs } = await combineInputs(ins, io.cwd, layoutOption(v.layout), given);
  const charon = layout === 'charon';
  const folders = await Promise.all(inputs.map((d) => (charon ? readCharonFolder : readFolder)(d.dir, label(d.dir))));
  if (!charon) assertOneCeremony(folders.map((f, i) => ({ path: resolve(io.cwd, inputs[i]!.dir), manifest: f.files.get('ceremony.json') })));
  const sharePassword = await secretOption(io, v['share-password-file'], { flag: '--share-password-file', what: 'password of the share keystores' });
  const password = await secretOption(io, v['password-file'], { flag: '--password-file', what: 'password for the recovered keystores', ...NEW_PASSWORD });
  const kdf = kdfOption(v.kdf) ?? 'scrypt';
  // Histories are read and parsed before any key is decrypted, so a bad file costs nothing.
  const histories: Interchange[] = [];
  for (const f of spFiles) {
    const text = await readText(resolve(io.cwd, f), MAX_INTERCHANGE_TEXT_LENGTH, 'slashing-protection file');
    try {
      histories.push(parseInterchangeFile(text));
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(e.code, `${f}: ${e.message}`, e.field === undefined ? {} : { field: e.field });
      throw e;
    }
  }
  const generated: string[] = [];
  let usedPassword = '';
  const bar = progressBar(io, 'decrypting shares, encrypting keys', v.json === true);
  let result: {
    files: readonly { path: string; bytes: Uint8Array }[];
    operators: readonly string[];
    skipped: readonly { folder: string; reason: string; code: string }[];
    pubkeys: readonly Uint8Array[];
    sharing: readonly { pubkey: Uint8Array; publicShares: readonly Uint8Array[] }[];
    network: string | undefined;
    keptKeys?: readonly KeptKey[];
  };
  try {
    // With no --password-file the recovered keystores get a generated password, written beside each.
    const pw = password ?? generatePassword();
    usedPassword = pw;
    if (password === undefined) generated.push(pw);
    const common = {
      folders,
      password: pw,
      kdf,
      ...(v['insecure-keys'] === true ? { kdfParams: INSECURE_KDF[kdf] } : {}),
      ...(sharePassword === undefined ? {} : { sharePassword }),
      ...(maxKdfWork === undefined ? {} : { maxKdfWork }),
      signal: io.signal,
      onProgress: bar.onProgress,
    };
    // One pipeline for every layout (decision 0311): the result's cluster gives the keys and the network.
    const r = charon ? await runCharonCombine({ ...common, keepKeys: true }) : await runCombine({ ...common, keepKeys: true });
    const operators = 'lock' in r ? r.used.map((u) => `${u.label} (node ${u.nodeIndex})`) : r.operators;
    const c = r.cluster;
    result = { files: r.files, operators, skipped: r.skipped, pubkeys: c.validators.map((x) => x.pubkey), sharing: c.validators, network: c.network ?? undefined, ...(r.keptKeys === undefined ? {} : { keptKeys: r.keptKeys }) };
  } catch (e) {
    throw cliKdfWorkError(e);
  } finally {
    bar.done();
  }
  const files = result.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: true }));
  if (histories.length > 0) {
    try {
      const sp = combinedSlashingFile(histories, result.sharing, result.network);
      if (sp.missing.length > 0 && v['allow-missing-slashing-history'] !== true) {
        throw new ValidationError('SLASHING_PROTECTION_INVALID', `no slashing-protection history given mentions validator ${bytesToHex(sp.missing[0]!, true)}; give every node's history, or --allow-missing-slashing-history if it never signed`, { field: '--slashing-protection' });
      }
      files.push({ path: sp.file.path, bytes: sp.file.bytes, secret: false });
    } catch (e) {
      wipeKeptKeys(result.keptKeys ?? []);
      for (const f of files) f.bytes.fill(0);
      // Name the files as the user gave them.
      if (e instanceof ValidationError) throw new ValidationError(e.code, e.message.replace(/interchanges\[(\d+)\]/g, (_m, i: string) => spFiles[Number(i)] ?? _m), e.field === undefined ? {} : { field: e.field });
      throw e;
    }
  }
  if (generated.length > 0) {
    result.files.forEach((_f, i) => files.push({ path: `keystore-${i}.txt`, bytes: utf8(generated[0]!), secret: true }));
  }
  try {
    await writeTreeAtomically(out, files, io.signal);
    await checkWrittenKeystores(out, files, usedPassword, result.pubkeys.map((x) => bytesToHex(x)), io, result.keptKeys);
  } finally {
    wipeKeptKeys(result.keptKeys ?? []);
  }
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, operators: result.operators, skipped: result.skipped, validators: result.pubkeys.map((x) => bytesToHex(x, true)), files: files.map((f) => f.path) }, null, 2));
    return 0;
  }
  for (const sk of result.skipped) io.err(`warning: set aside ${sk.folder}: ${sk.reason} [${sk.code}]`);
  io.out(`Recovered ${result.pubkeys.length} validator key(s) from ${result.operators.join(', ')}; each matches its validator pubkey.`);
  io.out(`Wrote ${out}:`);
  printTree(io, files.map((f) => f.path), v['list-files'] === true);
  io.out('Before importing these keys into a validator client, stop every node of the cluster and keep it stopped:');
  io.out(
    histories.length > 0
      ? 'a key signing both solo and in the cluster will be slashed. Import slashing-protection.json with the keys.'
      : 'a key signing both solo and in the cluster will be slashed. Import its slashing-protection history too.',
  );
  return 0;
}

/** The `combine` command. */
export const combineCommand: Command = { name: 'combine', summary: 'recover validator keystores from t operator folders', usage, run };
