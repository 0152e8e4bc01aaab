/**
 * `dvkeys split`: existing validator keys (keystores or a mnemonic) into per-operator folders.
 *
 * @module
 */
import { resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { runSplit, groupShares, type SplitCeremonyInput } from '../../ceremony/split.js';
import { isEncryptedInput, type EncryptedValidatorInput, type ValidatorKeyInput } from '../../ceremony/split-inputs.js';
import { assertSplitOptions } from '../../ceremony/layout-options.js';
import { getNetwork } from '../../eth/networks.js';
import { MAX_INTERCHANGE_TEXT_LENGTH, parseInterchangeFile } from '../../eth/slashing-protection.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../eth/withdrawal.js';
import { AbortedError, DvkeysError } from '../../errors.js';
import { decryptKeystores } from '../../keys/batch.js';
import { wipeKeptKeys } from '../../keys/kept-key.js';
import { parseKeystore } from '../../keys/keystore-format.js';
import type { KdfChoice } from '../../keys/keystore.js';
import { deriveValidatorKeys, loadBip39Wordlists } from '../../keys/mnemonic.js';
import { defaultThreshold } from '../../safety/threshold-math.js';
import { summary } from '../../safety/explain.js';
import { assertSplitSafety } from '../../safety/split-check.js';
import { intOption, parse } from '../args.js';
import { collectKeystores, exists, readPasswordFile, readText, shareFolderMarkers } from '../files.js';
import { askSecret, mnemonicOption, NEW_PASSWORD, secretOption } from '../prompt.js';
import { shareInputReason } from '../../ceremony/share-input.js';
import { assertOutputPath, warnLeftovers, whatWasLeft, writeTreeAtomically } from '../fs.js';
import { checkWrittenTree } from '../readback.js';
import { splitCharon, splitSsv } from './split-layouts.js';
import { interruptedExitCode, UsageError, type CliIo, type Command } from '../io.js';
import { parseIndices, shareHolders } from '../operators.js';
import { progressBar } from '../progress.js';
import { INSECURE_KDF, ethAmount, fingerprintGroups, kdfOption, printTree } from './shared.js';

const usage = `Usage: dvkeys split [keystore files or folders...] --operators SPEC --out DIR [options]

Splits existing validator keys into one folder per share holder, checks every share, the polynomial and a
threshold signature, writes the folders atomically, and reads every keystore back.

Input (one of):
  <keystore.json | folder>...    EIP-2335 keystores; a folder contributes its keystore*.json in natural order.
                                 Password: --password-file, else the keystore-*.txt beside each keystore.
  --mnemonic-file FILE           a BIP-39 mnemonic; with --validator-indices 0..9 (EIP-2334 m/12381/3600/i/0/0)
  --mnemonic-passphrase-file F   optional BIP-39 passphrase

Secrets: every --*-password-file, --mnemonic-file and --mnemonic-passphrase-file takes FILE, or '-': piped
standard input (one option per run), or on a terminal a hidden prompt (a new password and the passphrase twice,
new passwords at least 8 characters; the mnemonic's word count shown and checked on Enter, with suggestions).
With no password file and no .txt beside an input keystore, split asks once on a terminal, else names the flag.

Options:
  --operators SPEC               '4' (operator-1..4), or 'eridian:3,spacesider:3,cloud:3' (3 nodes each)
  --threshold T                  shares needed to sign (default ceil(2n/3))
  --out DIR                      output folder; must not exist
  --password-file FILE           password of the input keystores
  --share-password-file FILE     one password for every share keystore (default: a generated one per keystore,
                                 written beside it as keystore-<v>.txt)
  --kdf scrypt|pbkdf2            share keystore KDF (default pbkdf2 with generated passwords, scrypt otherwise)
  --network NAME                 mainnet, hoodi, sepolia, holesky or gnosis (with --withdrawal-address: deposit data)
  --withdrawal-address ADDR      0x… execution address: write deposit-data.json, signed with each full key
  --compounding                  0x02 (compounding) credentials instead of 0x01
  --amount ETH                   a deposit amount (repeat for partial deposits; default one of 32 ETH)
  --slashing-protection FILE     the solo validator's EIP-3076 history: each folder gets slashing-protection.json,
                                 re-keyed to that node's share key (needs --network)
  --allow-missing-slashing-history   accept split validators absent from that file (they never signed)
  --allow-unsafe-threshold       split even when the threshold math says a network split could double-sign
  --allow-share-input            split keystores that are shares already (their description, or a ceremony.json or
                                 cluster-lock.json beside them, says so); refused by default (SHARE_INPUT). A share
                                 copied away from its folder with no description cannot be told from a whole key.
  --layout dvkeys|charon|ssv     output layout (default dvkeys):
      charon: --operators N|SPEC --network N --withdrawal-address A --fee-recipient F [--name S] [--amount ETH]...
              [--compounding] [--slashing-protection FILE] -> node0..node{n-1}/ as charon create cluster
              --split-existing-keys writes them, and operators.json (which node folder goes to which operator)
      ssv:    --ssv-operators ID:KEY,... | --ssv-operators-file F --owner-address A --owner-nonce N
              -> keyshares.json (SSV's rule: n in 4, 7, 10, 13 and t = 2f+1)
      An option a layout has no place for is refused (LAYOUT_UNSUPPORTED), e.g. --fee-recipient with dvkeys.
  --insecure-keys                tiny KDF costs, for tests and demos only: never for real keys
  --list-files                   list every file written (default: a folder of more than 6 files is summarised,
                                 e.g. "200 files: 100 keystore-*.json, 100 keystore-*.txt")
  --json                         print a machine-readable summary (every file is in its "files")`;

/**
 * The validator keys of the command line: derived from the mnemonic (secrets, the caller wipes them), or the
 * input keystores parsed with their passwords and not yet decrypted (runSplit decrypts them in its pipeline).
 */
export async function readKeyInputs(positionals: string[], v: Record<string, string | boolean | string[] | undefined>, io: CliIo): Promise<ValidatorKeyInput[] | EncryptedValidatorInput[]> {
  const mnemonicFile = v['mnemonic-file'] as string | undefined;
  if (mnemonicFile !== undefined) {
    if (positionals.length > 0) throw new UsageError('give keystores or --mnemonic-file, not both');
    if (v['allow-share-input'] === true) throw new UsageError('--allow-share-input is for keystore inputs; a mnemonic derives whole validator keys');
    const mnemonic = await mnemonicOption(io, mnemonicFile);
    const passFile = v['mnemonic-passphrase-file'] as string | undefined;
    const passphrase = ((await secretOption(io, passFile, { flag: '--mnemonic-passphrase-file', what: 'BIP-39 passphrase', confirm: true })) ?? '').replace(/\r?\n$/, '');
    await loadBip39Wordlists(); // the CLI accepts every BIP-39 language
    const keys = await deriveValidatorKeys(mnemonic, { indices: parseIndices(v['validator-indices'] as string | undefined), passphrase });
    return keys.map((k) => ({ secret: k.secret, source: `mnemonic index ${k.index}` }));
  }
  if (positionals.length === 0) throw new UsageError('no input: give keystore files or folders, or --mnemonic-file');
  const inputs = await collectKeystores(positionals, io.cwd);
  const pwFile = v['password-file'] as string | undefined;
  const keystores = [];
  for (const inp of inputs) {
    const keystore = parseKeystore(inp.text, inp.path);
    const share = shareInputReason(keystore, await shareFolderMarkers(inp.path));
    if (share !== undefined) {
      if (v['allow-share-input'] !== true) {
        throw new DvkeysError('SHARE_INPUT', `${inp.path} is a share, not a validator key: ${share}; splitting it again makes shares of a share (pass --allow-share-input if that is what you want)`, { field: inp.path });
      }
      io.err(`dvkeys split: WARNING: ${inp.path} is a share (${share}); --allow-share-input splits it anyway, and the new shares sign for that share's key`);
    }
    keystores.push(keystore);
  }
  const shared = await secretOption(io, pwFile, { flag: '--password-file', what: 'password of the input keystores' });
  let asked: string | undefined;
  const items = [];
  for (const [i, inp] of inputs.entries()) {
    let password = shared;
    if (password === undefined && (await exists(inp.passwordPath))) password = await readPasswordFile(inp.passwordPath);
    if (password === undefined) {
      if (io.stdin?.isTTY !== true) {
        throw new DvkeysError('INVALID_ARGUMENT', `no password for ${inp.path}: give --password-file FILE (- to pipe it in) or put ${inp.passwordPath} beside it`, { field: inp.path });
      }
      // On a terminal: asked once, for every input keystore with no password file beside it.
      asked ??= await askSecret(io, { flag: '--password-file', what: `password of ${inp.path} (and of any other input keystore with no .txt)` });
      password = asked;
    }
    items.push({ keystore: keystores[i]!, password, source: inp.path });
  }
  return items;
}

/** For the layouts whose ceremonies take secrets (charon, ssv): the keys, input keystores decrypted up front. */
async function loadKeys(positionals: string[], v: Record<string, string | boolean | string[] | undefined>, io: CliIo, quiet: boolean): Promise<ValidatorKeyInput[]> {
  const inputs = await readKeyInputs(positionals, v, io);
  if (!inputs.some(isEncryptedInput)) return inputs as ValidatorKeyInput[];
  const items = inputs as EncryptedValidatorInput[];
  const bar = progressBar(io, 'decrypting input keystores', quiet);
  try {
    const secrets = await decryptKeystores(items, { signal: io.signal, onProgress: bar.onProgress });
    return secrets.map((secret, i) => ({ secret, source: items[i]!.source }));
  } finally {
    bar.done();
  }
}

/** --network, --withdrawal-address, --amount, --slashing-protection into runSplit options. */
export async function ethOptions(v: Record<string, string | boolean | string[] | undefined>, io: CliIo): Promise<Pick<SplitCeremonyInput, 'deposit' | 'slashingProtection'>> {
  const networkName = v['network'] as string | undefined;
  const address = v['withdrawal-address'] as string | undefined;
  const spFile = v['slashing-protection'] as string | undefined;
  const amounts = (v['amount'] as string[] | undefined)?.map((a) => ethAmount(a, '--amount'));
  if (networkName === undefined && (address !== undefined || spFile !== undefined)) throw new UsageError('--withdrawal-address and --slashing-protection need --network');
  if (address === undefined && (amounts !== undefined || v['compounding'] === true)) throw new UsageError('--amount and --compounding need --withdrawal-address');
  if (networkName === undefined) return {};
  const network = getNetwork(networkName, '--network');
  const deposit =
    address === undefined
      ? {}
      : {
          deposit: {
            network,
            withdrawalCredentials: executionWithdrawalCredentials(
              parseExecutionAddress(address, '--withdrawal-address'),
              v['compounding'] === true ? 'compounding' : 'execution',
            ),
            ...(amounts === undefined ? {} : { amounts }),
          },
        };
  if (spFile === undefined) return deposit;
  const text = await readText(resolve(io.cwd, spFile), MAX_INTERCHANGE_TEXT_LENGTH, 'slashing-protection file');
  const interchange = parseInterchangeFile(text);
  return { ...deposit, slashingProtection: { interchange, network, allowMissing: v['allow-missing-slashing-history'] === true } };
}

/** What split and add-validators read, in this order: the share password, the KDF, the deposit/history options, the keys. */
export interface SplitInputs {
  readonly sharePassword: string | undefined;
  readonly kdf: KdfChoice;
  readonly insecure: boolean;
  readonly quiet: boolean;
  readonly eth: Pick<SplitCeremonyInput, 'deposit' | 'slashingProtection'>;
  readonly validators: ValidatorKeyInput[] | EncryptedValidatorInput[];
}

/** Reads {@link SplitInputs} for `dvkeys <command>` (input keystores stay encrypted: runSplit decrypts them, decision 0212). */
export async function splitInputs(positionals: string[], v: Record<string, string | boolean | string[] | undefined>, io: CliIo, command: string): Promise<SplitInputs> {
  const sharePassword = await secretOption(io, v['share-password-file'] as string | undefined, { flag: '--share-password-file', what: 'password for the share keystores', ...NEW_PASSWORD });
  const kdf = kdfOption(v['kdf'] as string | undefined) ?? (sharePassword === undefined ? 'pbkdf2' : 'scrypt');
  const insecure = v['insecure-keys'] === true;
  if (insecure) io.err(`dvkeys ${command}: WARNING: --insecure-keys writes keystores with tiny KDF costs; never use them for real keys`);
  const eth = await ethOptions(v, io);
  const validators = await readKeyInputs(positionals, v, io);
  return { sharePassword, kdf, insecure, quiet: v['json'] === true, eth, validators };
}

/** The options of `dvkeys split` (add-validators takes the key-input and keystore ones). */
export const splitOptions = {
  operators: { type: 'string' },
  threshold: { type: 'string' },
  out: { type: 'string' },
  'password-file': { type: 'string' },
  'share-password-file': { type: 'string' },
  'mnemonic-file': { type: 'string' },
  'mnemonic-passphrase-file': { type: 'string' },
  'validator-indices': { type: 'string' },
  kdf: { type: 'string' },
  'allow-unsafe-threshold': { type: 'boolean' },
  'allow-share-input': { type: 'boolean' },
  network: { type: 'string' },
  'withdrawal-address': { type: 'string' },
  compounding: { type: 'boolean' },
  amount: { type: 'string', multiple: true },
  'slashing-protection': { type: 'string' },
  'allow-missing-slashing-history': { type: 'boolean' },
  layout: { type: 'string' },
  'fee-recipient': { type: 'string' },
  name: { type: 'string' },
  'ssv-operators': { type: 'string' },
  'ssv-operators-file': { type: 'string' },
  'owner-address': { type: 'string' },
  'owner-nonce': { type: 'string' },
  'insecure-keys': { type: 'boolean' },
  'list-files': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, splitOptions, true);
  if (v.out === undefined) throw new UsageError('--out DIR is required');
  const out = resolve(io.cwd, v.out);
  try {
    const code = await splitInto(out, v, positionals, io);
    // A signal that came after the read-back passed: the tree is complete and verified, so it stays (issue 13).
    if (code === 0 && io.signal.aborted) {
      io.err(`dvkeys split: interrupted after ${out} was written, read back and verified; it is complete and was kept`);
      return interruptedExitCode(io.signal) ?? 1;
    }
    return code;
  } catch (e) {
    // One line saying what an interrupt left behind, read from the disk (issue 13).
    if (e instanceof DvkeysError && e.code === 'ABORTED') throw new AbortedError(await whatWasLeft(out));
    throw e;
  }
}

type SplitValues = ReturnType<typeof parse<typeof splitOptions>>['values'];

async function splitInto(out: string, v: SplitValues, positionals: string[], io: CliIo): Promise<number> {
  const layout = v.layout ?? 'dvkeys';
  if (layout !== 'dvkeys' && layout !== 'charon' && layout !== 'ssv') throw new UsageError(`--layout must be dvkeys, charon or ssv, got '${layout}'`);
  assertSplitOptions(layout, Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined));
  if (layout !== 'dvkeys') {
    warnLeftovers(await assertOutputPath(out), io.err);
    if (v['insecure-keys'] === true) io.err('dvkeys split: WARNING: --insecure-keys writes keystores with tiny KDF costs; never use them for real keys');
    const validators = await loadKeys(positionals, v, io, v.json === true);
    const options = { out, shownOut: v.out ?? out, operators: v.operators, threshold: intOption(v.threshold, 'threshold'), allowUnsafe: v['allow-unsafe-threshold'] === true, insecure: v['insecure-keys'] === true, json: v.json === true, values: v };
    try {
      return layout === 'charon' ? await splitCharon(validators, options, io) : await splitSsv(validators, options, io);
    } finally {
      for (const val of validators) val.secret.fill(0);
    }
  }
  const operators = shareHolders(v.operators);
  const n = operators.length;
  const threshold = intOption(v.threshold, 'threshold') ?? defaultThreshold(n);
  // The safety gate before any key is read or decrypted (runSplit applies it again): a refused split asks nothing.
  assertSplitSafety({ threshold, operators: groupShares(operators) }, { allowUnsafe: v['allow-unsafe-threshold'] === true });
  warnLeftovers(await assertOutputPath(out), io.err);
  const { sharePassword, kdf, insecure, quiet, eth, validators } = await splitInputs(positionals, v, io, 'split');
  const validatorSources = validators.map((val) => val.source);
  const bar = progressBar(io, validators.some(isEncryptedInput) ? 'decrypting input keystores and encrypting share keystores' : 'encrypting share keystores', quiet);
  let result;
  try {
    result = await runSplit({
      validators,
      operators,
      threshold,
      allowUnsafeThreshold: v['allow-unsafe-threshold'] === true,
      kdf,
      ...(insecure ? { kdfParams: INSECURE_KDF[kdf] } : {}),
      ...(sharePassword === undefined ? {} : { sharePassword }),
      ...eth,
      signal: io.signal,
      onProgress: bar.onProgress,
      keepKeys: true,
    });
  } finally {
    bar.done();
    for (const val of validators) if (!isEncryptedInput(val)) val.secret.fill(0);
  }
  const files = result.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
  let check;
  try {
    await writeTreeAtomically(out, files, io.signal);
    check = await checkWrittenTree(out, files, io, sharePassword, quiet, result.keptKeys);
  } finally {
    wipeKeptKeys(result.keptKeys?.values() ?? []);
  }
  for (const f of result.files) if (f.kind === 'password') f.bytes.fill(0);
  const m = result.manifest;
  if (v.json === true) {
    io.out(JSON.stringify({
      ok: true,
      out,
      threshold: m.threshold,
      shares: n,
      operators: groupShares(operators),
      validators: m.validators.map((val) => bytesToHex(val.pubkey, true)),
      fingerprint: check.fingerprint,
      safety: { splitBrainSafe: result.safety.analysis.splitBrainSafe, crashToleranceOperators: result.safety.analysis.crashTolerance.operators, collusionOperators: result.safety.analysis.collusion.operators },
      warnings: result.safety.warnings,
      files: files.map((f) => f.path),
    }, null, 2));
    return 0;
  }
  const groups = groupShares(operators).map((g) => `${g.name} ${g.shares}`).join(', ');
  io.out(`Split ${m.validators.length} validator key(s) into ${n} shares, threshold ${m.threshold} of ${n} (${groups}).`);
  io.out(`Safety: ${summary(result.safety.analysis)}`);
  for (const w of result.safety.warnings) io.out(`Warning: ${w}`);
  io.out('Checked before writing: every share against its public share, the polynomial (every subset of');
  io.out(`${m.threshold} recombines to the validator key), the exact threshold, and a threshold signature.`);
  io.out(`Wrote ${out}, read every file back and checked every keystore (one per folder decrypted from its password):`);
  printTree(io, files.map((f) => f.path), v['list-files'] === true);
  io.out('Validators:');
  m.validators.forEach((val, i) => io.out(`  ${i}  ${bytesToHex(val.pubkey, true)}  (${validatorSources[i]!})`));
  io.out(`Ceremony fingerprint: ${check.fingerprint}`);
  io.out(`  in groups, to read aloud: ${fingerprintGroups(check.fingerprint)}`);
  io.out('');
  io.out('Next steps:');
  io.out(`  1. dvkeys verify ${v.out ?? out}                 (check again, on any machine)`);
  io.out('  2. Hand each folder to the operator that runs that node, over a private channel. Tell every operator');
  io.out('     the fingerprint over another channel; each runs: dvkeys verify <folder> --fingerprint <fingerprint>');
  io.out('  3. STOP the solo validator and keep it stopped (disable its service) BEFORE the cluster starts:');
  io.out('     a validator running solo and in the cluster at once will be slashed.');
  io.out(`  4. Keep the original keystores offline; ${m.threshold} folders rebuild them with dvkeys combine. Never split them into a`);
  io.out(`     second cluster: dvkeys verify ${v.out ?? out} <other tree> reports a validator in both (DOUBLE_CLUSTER).`);
  if (result.files.some((f) => f.kind === 'slashing-protection')) {
    io.out('  5. Each node imports its slashing-protection.json into its validator client before it starts.');
  }
  return 0;
}

/** The `split` command. */
export const splitCommand: Command = { name: 'split', summary: 'split existing validator keys into per-operator keystores', usage, run };
