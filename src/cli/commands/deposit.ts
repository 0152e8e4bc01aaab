/**
 * `dvkeys deposit verify|sign|combine`: deposit data for a cluster without ever joining the key (issue 6). Each
 * operator signs the deposit signing roots with its share keystores into a deposit-partial file; any t operators'
 * files are checked against ceremony.json's public shares and combined into a staking-deposit-cli deposit-data
 * file, which the standard verifier checks before it is written. `verify` checks any tool's deposit-data file, and
 * the deposit certificate of a DKG beside it (issue 12, round 3), saying plainly when there is none.
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { bytesToHex, utf8 } from '../../bytes.js';
import { fileHash } from '../../ceremony/files.js';
import { MANIFEST_FILE, MAX_MANIFEST_TEXT_LENGTH, parseManifest, sharingData, type Manifest } from '../../ceremony/manifest.js';
import { ceremonyFingerprint, verifyDepositCertificate } from '../../dkg/index.js';
import { parseJsonText } from '../../json.js';
import { MAX_DKG_SMALL_FILE_BYTES } from './dkg-files.js';
import { DEPOSIT_CERTIFICATE_FILE, assertDkgFolderReady, exists } from './dkg-ready.js';
import { GWEI_PER_ETH, depositSigningRoot, validateDepositAmounts, type DepositDataEntry } from '../../eth/deposit.js';
import { MAX_DEPOSIT_DATA_TEXT_LENGTH, formatDepositDataFile, parseDepositDataFile } from '../../eth/deposit-file.js';
import {
  MAX_DEPOSIT_PARTIAL_TEXT_LENGTH,
  combineDepositPartials,
  formatDepositPartialFile,
  parseDepositPartialFile,
  signDepositPartial,
  type DepositPartial,
} from '../../eth/deposit-partial.js';
import { getNetwork, type Network } from '../../eth/networks.js';
import { executionWithdrawalCredentials, parseExecutionAddress, parseWithdrawalCredentials, toChecksumAddress } from '../../eth/withdrawal.js';
import { batchVerify } from '../../bls/signature.js';
import { DvkeysError, VerificationError } from '../../errors.js';
import { aggregatePartials } from '../../sharing/threshold-signature.js';
import { parse } from '../args.js';
import { readText } from '../files.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import {
  amountOption,
  assertNewFile,
  blameOperators,
  combineNetwork,
  loadOperatorShares,
  networkOption,
  operatorOfShare,
  readManifestOption,
  wipeOperatorShares,
  type OperatorShares,
} from './signing.js';
import { writeNewFile } from '../fs.js';
import { maxKdfWorkOption } from './shared.js';

const usage = `Usage: dvkeys deposit <verify|sign|combine> [options]

Deposit data signed by a cluster without ever joining the key: each operator signs with its share keystores
(deposit sign), any t operators' partial files combine into a standard deposit-data file (deposit combine).
New validators (from a split or a DKG), top-ups of 0x02 validators and partial deposits all work this way.

dvkeys deposit verify <deposit-data.json> [--network NAME] [--certificate FILE --ceremony-id ID|FINGERPRINT]
                      [--manifest FILE] [--json]
  Checks any tool's deposit-data file: exact fields, amount rules, fork_version of a known network (or of NAME),
  deposit_message_root and deposit_data_root recomputed, every signature verified with DOMAIN_DEPOSIT.
  The deposit certificate of a DKG (round 3; --certificate, default deposit-certificate.json beside the file) is
  checked when present: it must be of the ceremony --ceremony-id names (required with a certificate: the id or
  fingerprint all operators compared out of band; a certificate lists its own operators, so it proves nothing
  alone), with the READY signature of every operator over exactly these deposit_data_roots and over the
  fingerprint of the ceremony.json beside the file (or --manifest). Without one it says so plainly, and fails
  (DKG_NOT_READY) when that ceremony.json is a DKG's.

dvkeys deposit sign --operator-dir DIR --network NAME --withdrawal-address 0x... --out FILE [options]
  --operator-dir DIR         this operator's folder (ceremony.json, keystore-<v>.json); the operator is found
                             from the keystores' public keys, never from the folder name. A DKG folder needs
                             its deposit-certificate.json (round 3), else DKG_NOT_READY
  --network NAME             mainnet, hoodi, sepolia, holesky or gnosis (must match ceremony.json if it names one)
  --withdrawal-address ADDR  0x... execution address: 0x01 credentials (0x02 with --compounding); may be left out
                             when ceremony.json records the validators' withdrawal credentials
  --compounding              0x02 (compounding) credentials
  --amount AMOUNT            ETH (32, 1.5, 32eth) or Gwei (32000000000, 32000000000gwei); repeat for several
                             deposits per validator (default one deposit of 32 ETH)
  --top-up                   deposits to existing validators: the 32 ETH minimum total does not apply
  --validators LIST          validators of ceremony.json by position: 0,2 or 0..3 or all (default all)
  --password-file FILE       password of the share keystores (default the keystore-<v>.txt beside each)
  --max-kdf-work UNITS       KDF-work budget of the share keystores, in units of one default EIP-2335
                             keystore (about 1 s each; default 2 per keystore): above it nothing is decrypted
                             (LIMIT_EXCEEDED), so a folder of huge but legal KDF costs cannot stall the command
  --out FILE                 the deposit-partial file to write (must not exist); hand it to the combiner
  --json                     print a machine-readable summary

dvkeys deposit combine --manifest ceremony.json PARTIAL... --out FILE [--network NAME] [--json]
  Checks every partial against its operator's public share in ceremony.json (naming a bad operator), needs
  partial files of t distinct operators, combines them, verifies the result with the standard deposit verifier
  and writes the deposit-data JSON (staking-deposit-cli shape). The network defaults to ceremony.json's, else
  the one the partial files name.`;

function formatEth(gwei: bigint): string {
  const whole = gwei / GWEI_PER_ETH;
  const frac = gwei % GWEI_PER_ETH;
  return frac === 0n ? `${whole} ETH` : `${whole}.${frac.toString().padStart(9, '0').replace(/0+$/, '')} ETH`;
}

function describeCredentials(wc: Uint8Array): string {
  const { kind, address } = parseWithdrawalCredentials(wc);
  return address === undefined ? `0x00 ${bytesToHex(wc, true).slice(0, 14)}…` : `0x0${kind === 'compounding' ? 2 : 1} ${toChecksumAddress(address)}`;
}

function short(pubkey: Uint8Array): string {
  return `${bytesToHex(pubkey, true).slice(0, 14)}…`;
}

async function verifyRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(args, { network: { type: 'string' }, certificate: { type: 'string' }, 'ceremony-id': { type: 'string' }, manifest: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length !== 1) throw new UsageError('give exactly one deposit-data file to verify');
  const file = positionals[0]!;
  const network = v.network === undefined ? undefined : getNetwork(v.network, '--network');
  const text = await readText(resolve(io.cwd, file), MAX_DEPOSIT_DATA_TEXT_LENGTH, 'deposit-data file');
  const entries = parseDepositDataFile(text, network === undefined ? {} : { network });
  const cert = await checkCertificate(io, file, entries, v.certificate, v.manifest, v['ceremony-id']);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, file, deposits: entries.map(entryJson), certificate: cert === undefined ? null : { path: cert.path, ceremonyId: cert.ceremonyId, operators: cert.operators, manifestChecked: cert.manifest !== undefined } }, null, 2));
    return 0;
  }
  const nets = [...new Set(entries.map((e) => e.networkName))].join(', ');
  io.out(`Deposit data ${file}: ${entries.length} deposit(s) for ${nets}, all valid.`);
  io.out('Checked: fields and amounts, fork_version of the network, deposit_message_root and deposit_data_root');
  io.out('recomputed, every signature verified under its pubkey with DOMAIN_DEPOSIT.');
  entries.forEach((e, i) => io.out(`  [${i}] ${short(e.pubkey)}  ${formatEth(e.amount).padStart(10)}  ${describeCredentials(e.withdrawalCredentials)}`));
  if (cert === undefined) {
    io.out(`No deposit certificate (no ${DEPOSIT_CERTIFICATE_FILE} beside it, no --certificate): nothing shows that every operator of a DKG`);
    io.out('holds a verified share of these validators. For a DKG ceremony, do not deposit before round 3 (dvkeys dkg ready).');
  } else {
    io.out(`Deposit certificate ${cert.path}: all ${cert.operators} operators of ceremony ${cert.ceremonyId} signed READY for exactly`);
    io.out(`these ${entries.length} deposit(s) (every deposit_data_root)${cert.manifest === undefined ? '; no ceremony.json beside it, so its fingerprint was not compared' : `, and for ${cert.manifest} (fingerprint compared)`}.`);
  }
  return 0;
}

/**
 * The deposit certificate of a deposit-data file (`--certificate`, else `deposit-certificate.json` beside it), checked
 * against the file's roots and, when there is one (`--manifest`, else `ceremony.json` beside it), the fingerprint of
 * that ceremony.json, and anchored to `--ceremony-id` (decision 0424); undefined when there is none.
 * @throws DvkeysError `DKG_CEREMONY_ID_REQUIRED` for a certificate without `--ceremony-id`; VerificationError
 *   `DKG_NOT_READY` (src/dkg/ready.ts verifyDepositCertificate); file errors.
 */
async function checkCertificate(io: CliIo, file: string, entries: readonly DepositDataEntry[], certificate: string | undefined, manifest: string | undefined, ceremonyId: string | undefined): Promise<{ path: string; ceremonyId: string; operators: number; manifest: string | undefined } | undefined> {
  const dir = dirname(resolve(io.cwd, file));
  const path = certificate === undefined ? join(dir, DEPOSIT_CERTIFICATE_FILE) : resolve(io.cwd, certificate);
  const manifestPath = manifest !== undefined ? resolve(io.cwd, manifest) : (await exists(join(dir, MANIFEST_FILE))) ? join(dir, MANIFEST_FILE) : undefined;
  const manifestText = manifestPath === undefined ? undefined : await readText(manifestPath, MAX_MANIFEST_TEXT_LENGTH, 'manifest');
  if (certificate === undefined && !(await exists(path))) {
    // a DKG's deposit data exist only beside their certificate (decision 0431): without it, they are not ready
    if (manifestText !== undefined && parseManifest(manifestText, manifest ?? join(dirname(file), MANIFEST_FILE)).kind === 'dkg') {
      throw new VerificationError('DKG_NOT_READY', `${file} belongs to a DKG (ceremony.json kind dkg) and has no ${DEPOSIT_CERTIFICATE_FILE} beside it: nothing shows that every operator signed READY for these deposits; do not deposit`, { field: DEPOSIT_CERTIFICATE_FILE });
    }
    if (manifest !== undefined) throw new UsageError(`--manifest is compared with a deposit certificate, and there is none (no ${DEPOSIT_CERTIFICATE_FILE} beside ${file}; give --certificate)`);
    if (ceremonyId !== undefined) throw new UsageError(`--ceremony-id anchors a deposit certificate, and there is none (no ${DEPOSIT_CERTIFICATE_FILE} beside ${file}; give --certificate)`);
    return undefined;
  }
  const value = parseJsonText(await readText(path, MAX_DKG_SMALL_FILE_BYTES, 'deposit certificate'), MAX_DKG_SMALL_FILE_BYTES, path);
  if (ceremonyId === undefined) {
    // a certificate carries its own definition: whoever made it chose the operators whose signatures it holds
    throw new DvkeysError('DKG_CEREMONY_ID_REQUIRED', `give --ceremony-id (the id or fingerprint all operators compared out of band): ${certificate ?? join(dirname(file), DEPOSIT_CERTIFICATE_FILE)} names its own operators, so alone it proves nothing`, { field: '--ceremony-id' });
  }
  const manifestFingerprint = manifestText === undefined ? undefined : `0x${fileHash(utf8(manifestText))}`;
  const checked = verifyDepositCertificate(value, {
    ceremonyId,
    depositDataRoots: entries.map((e) => bytesToHex(e.depositDataRoot, true)),
    ...(manifestFingerprint === undefined ? {} : { manifestFingerprint }),
  });
  return { path: certificate ?? join(dirname(file), DEPOSIT_CERTIFICATE_FILE), ceremonyId: ceremonyFingerprint(checked.definition.json), operators: checked.definition.n, manifest: manifestPath === undefined ? undefined : (manifest ?? join(dirname(file), MANIFEST_FILE)) };
}

function entryJson(e: DepositDataEntry): Record<string, string | number> {
  return { pubkey: bytesToHex(e.pubkey, true), withdrawal_credentials: bytesToHex(e.withdrawalCredentials, true), amount: Number(e.amount), network: e.networkName };
}

/** Withdrawal credentials per chosen validator: from --withdrawal-address, else recorded in ceremony.json. */
function credentialsFor(manifest: Manifest, validators: readonly number[], address: Uint8Array | undefined, compounding: boolean): Uint8Array[] {
  return validators.map((v) => {
    const recorded = manifest.validators[v]!.withdrawalCredentials;
    if (address === undefined) {
      if (recorded === undefined) throw new UsageError(`--withdrawal-address is required: ceremony.json records no withdrawal credentials for validator ${v}`);
      return recorded;
    }
    const wc = executionWithdrawalCredentials(address, compounding ? 'compounding' : 'execution');
    if (recorded !== undefined && bytesToHex(recorded) !== bytesToHex(wc)) {
      throw new DvkeysError('WITHDRAWAL_ADDRESS_INVALID', `validator ${v}: ceremony.json records withdrawal credentials ${bytesToHex(recorded, true)}, not ${bytesToHex(wc, true)} (check --withdrawal-address and --compounding)`, { field: '--withdrawal-address' });
    }
    return wc;
  });
}

async function signRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    'operator-dir': { type: 'string' },
    network: { type: 'string' },
    'withdrawal-address': { type: 'string' },
    compounding: { type: 'boolean' },
    amount: { type: 'string', multiple: true },
    'top-up': { type: 'boolean' },
    validators: { type: 'string' },
    'password-file': { type: 'string' },
    'max-kdf-work': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  if (v['operator-dir'] === undefined) throw new UsageError('--operator-dir DIR is required (this operator\'s folder)');
  if (v.out === undefined) throw new UsageError('--out FILE is required');
  if (v.network === undefined) throw new UsageError('--network is required (mainnet, hoodi, sepolia, holesky or gnosis)');
  const out = resolve(io.cwd, v.out);
  await assertNewFile(out);
  await assertDkgFolderReady(io, v['operator-dir']);
  const amounts = amountOption(v.amount);
  const address = v['withdrawal-address'] === undefined ? undefined : parseExecutionAddress(v['withdrawal-address'], '--withdrawal-address');
  if (address === undefined && v.compounding === true) throw new UsageError('--compounding needs --withdrawal-address');
  let network: Network | undefined;
  let credentials: Uint8Array[] = [];
  let loaded: OperatorShares | undefined;
  let partials: DepositPartial[];
  try {
    loaded = await loadOperatorShares(
      {
        dir: v['operator-dir'],
        passwordFile: v['password-file'],
        validators: v.validators,
        maxKdfWork,
        quiet: v.json === true,
        check: (manifest, validators) => {
          network = networkOption(v.network, manifest);
          credentials = credentialsFor(manifest, validators, address, v.compounding === true);
          for (const wc of credentials) validateDepositAmounts(amounts, parseWithdrawalCredentials(wc).kind, { topUp: v['top-up'] === true });
        },
      },
      io,
    );
    const { manifest, validators, shares, k } = loaded;
    const net = network!;
    partials = [];
    const checks: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[] = [];
    validators.forEach((val, i) => {
      const pubkey = manifest.validators[val]!.pubkey;
      for (const amount of amounts) {
        const p = signDepositPartial(shares[i]!, { validatorPubkey: pubkey, withdrawalCredentials: credentials[i]!, amount, network: net });
        partials.push(p);
        checks.push({ publicKey: manifest.validators[val]!.publicShares[k]!, message: depositSigningRoot({ pubkey, withdrawalCredentials: credentials[i]!, amount }, net), signature: p.signature });
      }
    });
    // Never hand out a partial that would not verify under this operator's public share.
    if (!batchVerify(checks)) {
      throw new VerificationError('PARTIAL_SIGNATURE_INVALID', 'a partial signature made here does not verify under this operator\'s public share; nothing was written', { field: 'shares' });
    }
  } finally {
    wipeOperatorShares(loaded);
  }
  const text = formatDepositPartialFile(partials);
  parseDepositPartialFile(text, v.out);
  await writeNewFile(out, text, false, io.signal);
  const { operator, manifest, validators } = loaded;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, operator: operator.name, share_id: String(operator.index), network: network!.name, deposits: partials.map((p, i) => ({ validator: validators[Math.floor(i / amounts.length)], pubkey: bytesToHex(p.validatorPubkey, true), withdrawal_credentials: bytesToHex(p.withdrawalCredentials, true), amount: p.amount.toString() })) }, null, 2));
    return 0;
  }
  io.out(`Operator ${operator.name} (share ${operator.index}) signed ${partials.length} deposit(s) on ${network!.name} with its share keystores:`);
  partials.forEach((p, i) => io.out(`  validator ${validators[Math.floor(i / amounts.length)]} ${short(p.validatorPubkey)}  ${formatEth(p.amount).padStart(10)}  ${describeCredentials(p.withdrawalCredentials)}`));
  io.out(`Wrote ${out}. Any ${manifest.threshold} operators' partial files make the deposit data:`);
  io.out(`  dvkeys deposit combine --manifest ceremony.json PARTIAL... --out deposit-data.json`);
  return 0;
}

async function combineRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: files } = parse(args, { manifest: { type: 'string' }, network: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (files.length === 0) throw new UsageError('give the partial files of at least t operators');
  if (v.out === undefined) throw new UsageError('--out FILE is required');
  const out = resolve(io.cwd, v.out);
  await assertNewFile(out);
  const manifest = await readManifestOption(v.manifest, io);
  const sets: DepositPartial[][] = [];
  const fileOfShare = new Map<bigint, string>();
  for (const file of files) {
    const set = parseDepositPartialFile(await readText(resolve(io.cwd, file), MAX_DEPOSIT_PARTIAL_TEXT_LENGTH, 'deposit-partial file'), file);
    const id = set[0]!.shareId;
    const op = operatorOfShare(manifest, id);
    if (op === undefined) throw new DvkeysError('CEREMONY_MISMATCH', `${file}: share ${id} is no operator of this ceremony`, { field: file });
    const stranger = set.find((p) => !manifest.validators.some((val) => bytesToHex(val.pubkey) === bytesToHex(p.validatorPubkey)));
    if (stranger !== undefined) {
      throw new DvkeysError('CEREMONY_MISMATCH', `${file}: a partial for validator ${bytesToHex(stranger.validatorPubkey, true)}, which is not in ceremony.json (a partial of another ceremony?)`, { field: file });
    }
    const twin = fileOfShare.get(id);
    if (twin !== undefined) throw new DvkeysError('DUPLICATE_SHARE_ID', `${file} and ${twin} both hold partials of share ${id} (${op.name})`, { field: file, culprits: [op.name] });
    fileOfShare.set(id, file);
    sets.push(set);
  }
  const network = combineNetwork(v.network, manifest, sets.map((s) => s[0]!.network));
  let entries: DepositDataEntry[];
  try {
    entries = combineDepositPartials({
      sets,
      network,
      threshold: manifest.threshold,
      validators: manifest.validators.map((val, i) => ({ pubkey: val.pubkey, publicShares: sharingData(manifest, i).publicShares })),
      aggregate: aggregatePartials,
    });
  } catch (e) {
    blameOperators(e, manifest, fileOfShare);
  }
  const text = formatDepositDataFile(entries);
  parseDepositDataFile(text, { network });
  await writeNewFile(out, text, false, io.signal);
  const used = sets.slice(0, manifest.threshold).map((s) => operatorOfShare(manifest, s[0]!.shareId)!.name);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, network: network.name, operators: used, deposits: entries.map(entryJson) }, null, 2));
    return 0;
  }
  io.out(`Combined the partials of ${used.join(', ')} (threshold ${manifest.threshold}) into ${entries.length} deposit(s) on ${network.name}.`);
  io.out(`Checked: every partial of ${sets.length} operator(s) against its public share in ceremony.json, and the result with the`);
  io.out('standard deposit verifier (roots recomputed, signatures under the validator keys with DOMAIN_DEPOSIT).');
  entries.forEach((e, i) => io.out(`  [${i}] ${short(e.pubkey)}  ${formatEth(e.amount).padStart(10)}  ${describeCredentials(e.withdrawalCredentials)}`));
  io.out(`Wrote ${out}.`);
  return 0;
}

const SUB: Readonly<Record<string, (args: string[], io: CliIo) => Promise<number>>> = { verify: verifyRun, sign: signRun, combine: combineRun };

async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const fn = sub !== undefined && Object.hasOwn(SUB, sub) ? SUB[sub] : undefined;
  if (fn === undefined) throw new UsageError(sub === undefined ? 'give a subcommand: verify, sign or combine' : `unknown subcommand '${sub}' (verify, sign or combine)`);
  return fn(rest, io);
}

/** The `deposit` command: `verify`, `sign` and `combine` subcommands. */
export const depositCommand: Command = { name: 'deposit', summary: 'verify deposit data; sign and combine it as a cluster (t partials)', usage, run, steps: Object.keys(SUB) };
