/**
 * `dvkeys exit sign|combine`: pre-signed voluntary exits for a cluster (issue 6), so it can always leave even
 * after operators disappear. Each operator signs the exit (EIP-7044: the Capella fork domain of the network) with
 * its share keystore into an exit-partial file; any t operators' partials are checked against ceremony.json's
 * public shares, combined, verified under the validator key and written in the beacon-API shape
 * (`POST /eth/v1/beacon/pool/voluntary_exits`).
 *
 * @module
 */
import { resolve } from 'node:path';
import { bytesToHex, utf8 } from '../../bytes.js';
import { sharingData } from '../../ceremony/manifest.js';
import { batchVerify } from '../../bls/signature.js';
import { exitSigningRoot, formatSignedExitFile, parseSignedExitFile, verifySignedExit, type SignedExit } from '../../eth/exit.js';
import {
  MAX_EXIT_PARTIALS,
  combineExitPartials,
  exitPartialToJson,
  formatExitPartialFile,
  parseExitPartial,
  signExitPartial,
  type ExitPartial,
} from '../../eth/exit-partial.js';
import { expectArray, parseJsonText } from '../../json.js';
import type { Network } from '../../eth/networks.js';
import { DvkeysError, VerificationError } from '../../errors.js';
import { aggregatePartials } from '../../sharing/threshold-signature.js';
import { parse } from '../args.js';
import { MAX_VALIDATORS_FILE_BYTES, checkExitIndices, confirmExitIndices, parseBeaconValidators } from '../beacon-validators.js';
import { readText } from '../files.js';
import { assertOutputPath, readBackTree, removeTree, writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import {
  assertNewFile,
  blameOperators,
  combineNetwork,
  loadOperatorShares,
  networkOption,
  operatorOfShare,
  readManifestOption,
  uint64Option,
  wipeOperatorShares,
  type OperatorShares,
} from './signing.js';
import { writeNewFile } from '../fs.js';
import { maxKdfWorkOption } from './shared.js';

/** Largest exit-partial file the CLI reads: up to {@link MAX_EXIT_PARTIALS} partials of about 500 bytes. */
const MAX_EXIT_PARTIAL_FILE_BYTES = 1024 * 1024;

const usage = `Usage: dvkeys exit <sign|combine> [options]

Pre-signed voluntary exits for a cluster, so it can always leave even after operators disappear: each operator
signs the exit with its share keystore (exit sign); any t operators' partials combine into a signed exit in the
beacon-API shape (exit combine), ready for POST /eth/v1/beacon/pool/voluntary_exits. The signing domain is the
network's Capella fork domain (EIP-7044), so the exit stays valid through every later fork.

dvkeys exit sign --operator-dir DIR --network NAME --validator-index I --epoch E --out FILE [options]
  --operator-dir DIR      this operator's folder (ceremony.json, keystore-<v>.json); the operator is found from
                          the keystores' public keys, never from the folder name
  --network NAME          mainnet, hoodi, sepolia, holesky or gnosis (must match ceremony.json if it names one)
  --validator-index I     the validator's index on the beacon chain; repeat, in order, when signing several
  --epoch E               the earliest epoch the exit may be processed
  --validators LIST       validators of ceremony.json by position: 0,2 or 0..3 or all (default all)
  --validators-file FILE  the validator list your beacon node gives (the JSON of GET
                          /eth/v1/beacon/states/head/validators?id=INDEX,..., saved): each --validator-index must be
                          its validator's pubkey there, else nothing is signed (KEY_MISMATCH). Without it, on a
                          terminal the index-to-pubkey table is shown and you type yes to sign
  --password-file FILE    password of the share keystores (default the keystore-<v>.txt beside each)
  --max-kdf-work UNITS    KDF-work budget of the share keystores, in units of one default EIP-2335
                          keystore (about 1 s each; default 2 per keystore): above it nothing is decrypted
                          (LIMIT_EXCEEDED), so a folder of huge but legal KDF costs cannot stall the command
  --out FILE              the exit-partial file (must not exist): one partial object, or an array of them when
                          several validators are signed
  --json                  print a machine-readable summary

dvkeys exit combine --manifest ceremony.json PARTIAL... --out FILE|DIR [--network NAME] [--json]
  Checks every partial against its operator's public share in ceremony.json (naming a bad operator), needs
  partials of t distinct operators per validator, combines them and verifies each signed exit under its
  validator key. One validator: --out is the signed-exit file. Several: --out is a new folder holding
  signed-exit-<validator_index>.json for each. The network defaults to ceremony.json's, else the partials'.`;

function short(pubkey: Uint8Array): string {
  return `${bytesToHex(pubkey, true).slice(0, 14)}…`;
}

async function signRun(args: string[], io: CliIo): Promise<number> {
  const { values: v } = parse(args, {
    'operator-dir': { type: 'string' },
    network: { type: 'string' },
    'validator-index': { type: 'string', multiple: true },
    epoch: { type: 'string' },
    validators: { type: 'string' },
    'password-file': { type: 'string' },
    'max-kdf-work': { type: 'string' },
    'validators-file': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  const maxKdfWork = maxKdfWorkOption(v['max-kdf-work']);
  if (v['operator-dir'] === undefined) throw new UsageError('--operator-dir DIR is required (this operator\'s folder)');
  if (v.out === undefined) throw new UsageError('--out FILE is required');
  if (v.network === undefined) throw new UsageError('--network is required (mainnet, hoodi, sepolia, holesky or gnosis)');
  const indices = (v['validator-index'] ?? []).map((i) => uint64Option(i, 'validator-index'));
  if (indices.length === 0) throw new UsageError('--validator-index is required (the beacon-chain index of the validator)');
  const epoch = uint64Option(v.epoch, 'epoch');
  const out = resolve(io.cwd, v.out);
  await assertNewFile(out);
  const onChain = v['validators-file'] === undefined ? undefined : parseBeaconValidators(await readText(resolve(io.cwd, v['validators-file']), MAX_VALIDATORS_FILE_BYTES, 'validators file'), v['validators-file']);
  let network: Network | undefined;
  let loaded: OperatorShares | undefined;
  let partials: ExitPartial[];
  try {
    loaded = await loadOperatorShares(
      {
        dir: v['operator-dir'],
        passwordFile: v['password-file'],
        validators: v.validators,
        maxKdfWork,
        quiet: v.json === true,
        check: async (manifest, validators) => {
          network = networkOption(v.network, manifest);
          if (validators.length !== indices.length) {
            throw new UsageError(`${validators.length} validator(s) chosen (--validators ${v.validators ?? 'all'}) but ${indices.length} --validator-index given: give one per validator, in order`);
          }
          exitSigningRoot({ validatorIndex: 0n, epoch }, network);
          const planned = validators.map((val, i) => ({ validator: val, pubkey: manifest.validators[val]!.pubkey, index: indices[i]! }));
          if (onChain !== undefined) checkExitIndices(planned, onChain, v['validators-file']!);
          else await confirmExitIndices(planned, network.name, io);
        },
      },
      io,
    );
    const { manifest, validators, shares, k } = loaded;
    const net = network!;
    partials = validators.map((val, i) => signExitPartial(shares[i]!, { validatorPubkey: manifest.validators[val]!.pubkey, exit: { validatorIndex: indices[i]!, epoch }, network: net }));
    // Never hand out a partial that would not verify under this operator's public share.
    const checks = partials.map((p, i) => ({ publicKey: manifest.validators[validators[i]!]!.publicShares[k]!, message: exitSigningRoot(p.exit, net), signature: p.signature }));
    if (!batchVerify(checks)) {
      throw new VerificationError('PARTIAL_SIGNATURE_INVALID', 'a partial signature made here does not verify under this operator\'s public share; nothing was written', { field: 'shares' });
    }
  } finally {
    wipeOperatorShares(loaded);
  }
  const text = partials.length === 1 ? formatExitPartialFile(partials[0]!) : `${JSON.stringify(partials.map(exitPartialToJson), null, 2)}\n`;
  parseExitPartialsText(text, v.out);
  await writeNewFile(out, text, false, io.signal);
  const { operator, manifest, validators } = loaded;
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, operator: operator.name, share_id: String(operator.index), network: network!.name, indices_checked: onChain !== undefined, exits: partials.map((p, i) => ({ validator: validators[i], pubkey: bytesToHex(p.validatorPubkey, true), validator_index: p.exit.validatorIndex.toString(), epoch: p.exit.epoch.toString() })) }, null, 2));
    return 0;
  }
  io.out(`Operator ${operator.name} (share ${operator.index}) signed ${partials.length} exit(s) on ${network!.name} (EIP-7044 Capella domain):`);
  partials.forEach((p, i) => io.out(`  validator ${validators[i]} ${short(p.validatorPubkey)}  index ${p.exit.validatorIndex}  epoch ${p.exit.epoch}`));
  io.out(onChain === undefined
    ? '  (indices not checked against the chain: --validators-file FILE checks each against its pubkey)'
    : `  every index checked against its pubkey in ${v['validators-file']!}`);
  io.out(`Wrote ${out}. Any ${manifest.threshold} operators' partials make the signed exit:`);
  io.out('  dvkeys exit combine --manifest ceremony.json PARTIAL... --out exit.json');
  return 0;
}

/** Parses an exit-partial file: one exit-partial object, or an array of them, all of one share. */
function parseExitPartialsText(text: string, file: string): ExitPartial[] {
  const value = parseJsonText(text, MAX_EXIT_PARTIAL_FILE_BYTES, file);
  const list = Array.isArray(value)
    ? expectArray(value, file, MAX_EXIT_PARTIALS, 'INVALID_FORMAT').map((x, i) => parseExitPartial(x, `${file}[${i}]`))
    : [parseExitPartial(value, file)];
  if (list.length === 0) throw new DvkeysError('INVALID_FORMAT', `${file} holds no exit partials`, { field: file });
  const id = list[0]!.shareId;
  list.forEach((p, i) => {
    if (p.shareId !== id) throw new DvkeysError('INVALID_FORMAT', `'${file}[${i}].share_id' differs: a file holds one share's partials`, { field: `${file}[${i}].share_id` });
  });
  return list;
}

async function combineRun(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals: files } = parse(args, { manifest: { type: 'string' }, network: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (files.length === 0) throw new UsageError('give the exit-partial files of at least t operators');
  if (v.out === undefined) throw new UsageError('--out FILE|DIR is required');
  const out = resolve(io.cwd, v.out);
  await assertOutputPath(out);
  const manifest = await readManifestOption(v.manifest, io);
  const fileOfShare = new Map<bigint, string>();
  const byValidator = new Map<number, ExitPartial[]>();
  const networks: string[] = [];
  for (const file of files) {
    const list = parseExitPartialsText(await readText(resolve(io.cwd, file), MAX_EXIT_PARTIAL_FILE_BYTES, 'exit-partial file'), file);
    const id = list[0]!.shareId;
    const op = operatorOfShare(manifest, id);
    if (op === undefined) throw new DvkeysError('CEREMONY_MISMATCH', `${file}: share ${id} is no operator of this ceremony`, { field: file });
    const twin = fileOfShare.get(id);
    if (twin !== undefined) throw new DvkeysError('DUPLICATE_SHARE_ID', `${file} and ${twin} both hold partials of share ${id} (${op.name})`, { field: file, culprits: [op.name] });
    fileOfShare.set(id, file);
    networks.push(list[0]!.network);
    for (const p of list) {
      const val = manifest.validators.findIndex((x) => bytesToHex(x.pubkey) === bytesToHex(p.validatorPubkey));
      if (val < 0) throw new DvkeysError('CEREMONY_MISMATCH', `${file}: a partial for validator ${bytesToHex(p.validatorPubkey, true)}, which is not in ceremony.json (a partial of another ceremony?)`, { field: file });
      const group = byValidator.get(val) ?? [];
      if (group.some((q) => q.shareId === p.shareId)) throw new DvkeysError('DUPLICATE_SHARE_ID', `${file} holds two partials for validator ${val}`, { field: file, culprits: [op.name] });
      byValidator.set(val, [...group, p]);
    }
  }
  if (byValidator.size > 1 && /\.json$/i.test(out)) throw new UsageError(`the partials hold ${byValidator.size} validators: --out must be a new folder, not a .json file`);
  const network = combineNetwork(v.network, manifest, networks);
  const exits: { validator: number; signed: SignedExit }[] = [];
  for (const val of [...byValidator.keys()].sort((a, b) => a - b)) {
    const pubkey = manifest.validators[val]!.pubkey;
    let signed: SignedExit;
    try {
      signed = combineExitPartials({ partials: byValidator.get(val)!, network, validatorPubkey: pubkey, publicShares: sharingData(manifest, val).publicShares, threshold: manifest.threshold, aggregate: aggregatePartials });
    } catch (e) {
      blameOperators(e, manifest, fileOfShare, `validator ${val} ${short(pubkey)}: `);
    }
    // The file as written, read back by the strict parser and checked with the standard verifier.
    verifySignedExit(parseSignedExitFile(formatSignedExitFile(signed)), pubkey, network);
    exits.push({ validator: val, signed });
  }
  const names = exits.map((e) => `signed-exit-${e.signed.message.validatorIndex}.json`);
  if (new Set(names).size !== names.length) throw new DvkeysError('INVALID_ARGUMENT', 'two validators carry the same validator index; check the partials', { field: 'validator_index' });
  let written: string[];
  if (exits.length === 1) {
    await writeNewFile(out, formatSignedExitFile(exits[0]!.signed), false, io.signal);
    written = [out];
  } else {
    const tree = exits.map((e, i) => ({ path: names[i]!, bytes: utf8(formatSignedExitFile(e.signed)), secret: false }));
    await writeTreeAtomically(out, tree, io.signal);
    try {
      await readBackTree(out, tree);
    } catch (e) {
      await removeTree(out);
      throw e;
    }
    written = names;
  }
  const used = [...fileOfShare.keys()].map((id) => operatorOfShare(manifest, id)!.name);
  if (v.json === true) {
    io.out(JSON.stringify({ ok: true, out, network: network.name, operators: used, exits: exits.map((e, i) => ({ validator: e.validator, pubkey: bytesToHex(manifest.validators[e.validator]!.pubkey, true), validator_index: e.signed.message.validatorIndex.toString(), epoch: e.signed.message.epoch.toString(), file: written[i] })) }, null, 2));
    return 0;
  }
  io.out(`Combined exit partials of ${used.join(', ')} (threshold ${manifest.threshold}) on ${network.name}; every partial`);
  io.out('checked against its public share in ceremony.json, every signed exit verified under its validator key:');
  exits.forEach((e) => io.out(`  validator ${e.validator} ${short(manifest.validators[e.validator]!.pubkey)}  index ${e.signed.message.validatorIndex}  epoch ${e.signed.message.epoch}`));
  io.out(exits.length === 1 ? `Wrote ${out}.` : `Wrote ${out}/: ${names.join('  ')}`);
  io.out('Submitting a signed exit (POST /eth/v1/beacon/pool/voluntary_exits) exits its validator for good; keep it safe until then.');
  return 0;
}

const SUB: Readonly<Record<string, (args: string[], io: CliIo) => Promise<number>>> = { sign: signRun, combine: combineRun };

async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const fn = sub !== undefined && Object.hasOwn(SUB, sub) ? SUB[sub] : undefined;
  if (fn === undefined) throw new UsageError(sub === undefined ? 'give a subcommand: sign or combine' : `unknown subcommand '${sub}' (sign or combine)`);
  return fn(rest, io);
}

/** The `exit` command: `sign` and `combine` subcommands. */
export const exitCommand: Command = { name: 'exit', summary: 'pre-sign voluntary exits as a cluster (t partials, EIP-7044)', usage, run, steps: Object.keys(SUB) };
