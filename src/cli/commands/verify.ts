/**
 * `dvkeys verify <dir>`: re-checks a ceremony tree (or one operator folder) offline.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { exists, label, readCapped, readFolder, readText, subfolders } from '../files.js';
import { secretOption } from '../prompt.js';
import { MAX_OPERATORS_TEXT_LENGTH, OPERATORS_FILE } from '../../ceremony/operators-map.js';
import { MAX_MANIFEST_TEXT_LENGTH, parseManifest } from '../../ceremony/manifest.js';
import { verifyCeremony, type VerifyLine } from '../../ceremony/verify.js';
import { verifyCharonCluster } from '../../ceremony/charon-verify.js';
import { crossCheckLines, type ClusterRecord } from '../../ceremony/double-cluster.js';
import { clusterRecord } from '../../ceremony/cluster-checks.js';
import { assertVerifyOptions, type Layout } from '../../ceremony/layout-options.js';
import { verifySsvKeyshares } from '../../ceremony/ssv-verify.js';
import { KEYSHARES_FILE } from '../../ceremony/layouts/ssv.js';
import { DvkeysError } from '../../errors.js';
import { MAX_KEYSHARES_TEXT_LENGTH } from '../../ssv/keyshares.js';
import { loadSsvOperatorKey } from '../ssv-operator-key.js';
import { charonNodeFolders, isCharonNode, readCharonFolder } from '../charon.js';
import { parse } from '../args.js';
import { UsageError, type CliIo, type Command } from '../io.js';
import { progressBar } from '../progress.js';
import { fingerprintGroups, typedFingerprint } from './shared.js';

const PASSWORD = { flag: '--password-file', what: 'password of the share keystores' };

const usage = `Usage: dvkeys verify <dir | keyshares.json>... [--fingerprint HEX] [--password-file FILE]
                     [--ssv-operator-key FILE]... [--no-decrypt] [--max-kdf-work UNITS]
                     [--strict-operator-signatures] [--json]

Checks a tree written by dvkeys split (or by a DKG), or a single operator folder. A Charon node folder (with
cluster-lock.json) or a folder of node folders is checked as a Charon cluster instead: lock hashes and
signatures, deposit data, keystores against the lock's public shares, and every share decrypted
(--strict-operator-signatures fails on EIP-712 signatures that do not recover instead of warning); its
fingerprint is the lock hash.

For a dvkeys tree:
  - ceremony.json parses, and every copy of it is identical;
  - the SHA-256 of every keystore matches ceremony.json;
  - per validator: the public shares lie on one polynomial of the threshold's degree through the validator key
    (every t-subset recombines), the threshold is exact, and the commitments match;
  - every keystore's pubkey is its operator's public share;
  - deposit data verify for the ceremony's network and validators, and each operator's slashing-protection.json
    is for that network and keyed only by that operator's share keys (as in a Charon node folder);
  - every keystore decrypts (keystore-<v>.txt, or --password-file) to its share, and with at least t operators
    present a threshold signature verifies. A keystore not decrypted is not verified: verify fails
    (SHARES_NOT_DECRYPTED) unless --no-decrypt asks for the public checks only.
It prints the ceremony fingerprint (SHA-256 of ceremony.json). An operator checking only its own folder must
compare it with the one the other operators see, over a channel other than the one that carried the folder
(--fingerprint HEX does the comparison, also given in the 8 groups of 8 that verify and split print; a wrong or
shortened one fails): a dishonest dealer could otherwise hand each operator a folder of a
different sharing.

An SSV keyshares.json (or a folder holding one) is checked as SSV would register it: strict format, valid
points, the share public keys on one polynomial of degree t-1 through the validator key (x = operator id), and
the owner-nonce signature. --ssv-operator-key FILE (repeatable; the raw key ssvnode generate-operator-keys
prints, base64 of the PEM, or the PEM) decrypts that operator's shares and checks each against its share public
key; the other operators' shares are listed as skipped. Without a key the shares are not verified and verify
fails (SHARES_NOT_DECRYPTED) unless --no-decrypt. Its fingerprint is the SHA-256 of the keyshares.json bytes.
Options a layout has no place for are refused (LAYOUT_UNSUPPORTED). Exits 1 if any check fails.

Before any keystore is decrypted, the KDF work of all of them is added up in units of one default EIP-2335
keystore (scrypt n=2^18 r=8 p=1, or pbkdf2 c=2^18; about 1 s each): above --max-kdf-work UNITS per tree (default
2 per keystore) nothing is decrypted and verify fails with LIMIT_EXCEEDED, so a hostile tree of keystores with
huge but legal costs cannot keep it busy for hours. An SSV keyshares.json holds no keystores (the option is refused).`;

const MARK: Record<VerifyLine['status'], string> = { pass: 'ok  ', fail: 'FAIL', skipped: 'skip', warn: 'warn' };

/** What one tree's verification gives the caller: its exit status, its --json object and its record. */
interface TreeResult {
  readonly ok: boolean;
  readonly json: Record<string, unknown>;
  readonly record: ClusterRecord;
}

type VerifyValues = {
  fingerprint?: string | undefined;
  'password-file'?: string | undefined;
  'ssv-operator-key'?: string[] | undefined;
  'no-decrypt'?: boolean | undefined;
  'max-kdf-work'?: string | undefined;
  'strict-operator-signatures'?: boolean | undefined;
  json?: boolean | undefined;
};

/** --max-kdf-work UNITS: a positive decimal number (no exponent, no sign), or undefined when absent. */
function maxKdfWork(v: VerifyValues): number | undefined {
  const text = v['max-kdf-work'];
  if (text === undefined) return undefined;
  const units = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!(units > 0) || !Number.isFinite(units)) throw new UsageError(`--max-kdf-work must be a positive number of KDF work units, got '${text}'`);
  if (v['no-decrypt'] === true) throw new UsageError('--max-kdf-work limits decryption, which --no-decrypt skips: give one of them');
  return units;
}

/** Which layout `path` holds: Charon node folders, a dvkeys tree or folder, or an SSV keyshares.json. */
async function detect(path: string, shown: string): Promise<{ layout: Layout; charonNodes: readonly string[]; keyshares?: string }> {
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch {
    throw new DvkeysError('IO_FAILED', `cannot read ${shown}: it does not exist`, { field: shown });
  }
  if (isFile) return { layout: 'ssv', charonNodes: [], keyshares: path };
  const charonNodes = (await isCharonNode(path)) ? ['.'] : await charonNodeFolders(path);
  if (charonNodes.length > 0) return { layout: 'charon', charonNodes };
  if (await exists(join(path, 'ceremony.json'))) return { layout: 'dvkeys', charonNodes: [] };
  if (await exists(join(path, KEYSHARES_FILE))) return { layout: 'ssv', charonNodes: [], keyshares: join(path, KEYSHARES_FILE) };
  throw new UsageError(`${shown} has no ceremony.json, cluster-lock.json or ${KEYSHARES_FILE}: not a dvkeys, Charon or SSV output`);
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parse(
    args,
    {
      fingerprint: { type: 'string' },
      'password-file': { type: 'string' },
      'ssv-operator-key': { type: 'string', multiple: true },
      'no-decrypt': { type: 'boolean' },
      'max-kdf-work': { type: 'string' },
      'strict-operator-signatures': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (positionals.length === 0) throw new UsageError('give a folder (or keyshares.json) to verify');
  if (v['no-decrypt'] === true) {
    for (const o of ['password-file', 'ssv-operator-key'] as const) if (v[o] !== undefined) throw new UsageError(`--no-decrypt decrypts nothing, so --${o} would be ignored: give one or the other`);
  }
  maxKdfWork(v);
  // Every path's layout first, so that an option one of them has no place for is refused before any work.
  const found = await Promise.all(positionals.map((shown) => detect(resolve(io.cwd, shown), shown)));
  for (const f of found) assertVerifyOptions(f.layout, Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined));
  if (positionals.length > 1 && v.fingerprint !== undefined) throw new UsageError('--fingerprint is one cluster\'s: give one folder with it');
  const results: TreeResult[] = [];
  for (const [i, shown] of positionals.entries()) {
    if (positionals.length > 1 && v.json !== true && results.length > 0) io.out('');
    const f = found[i]!;
    const dir = resolve(io.cwd, shown);
    results.push(f.keyshares !== undefined ? await verifySsv(f.keyshares, shown, v, io) : f.layout === 'charon' ? await verifyCharon(dir, shown, f.charonNodes, v, io) : await verifyTree(dir, shown, v, io));
  }
  if (positionals.length === 1) {
    if (v.json === true) io.out(JSON.stringify(results[0]!.json, null, 2));
    return results[0]!.ok ? 0 : 1;
  }
  const lines = crossCheckLines(results.map((r) => r.record));
  const ok = results.every((r) => r.ok) && lines.every((l) => l.status === 'pass');
  if (v.json === true) {
    io.out(JSON.stringify({ ok, trees: results.map((r) => r.json), checks: lines }, null, 2));
    return ok ? 0 : 1;
  }
  io.out('');
  io.out(`Across ${positionals.length} folders:`);
  for (const l of lines) io.out(`  ${MARK[l.status]} ${l.check.padEnd(9)} ${l.subject}: ${l.detail}${l.code === undefined ? '' : ` [${l.code}]`}`);
  const why = [
    ...results.filter((r) => !r.ok).map((r) => `checks failed in ${r.record.label}`),
    ...(lines.some((l) => l.status === 'fail') ? ['a validator is in two clusters: slashing risk'] : []),
  ];
  io.out(ok ? 'All checks passed.' : `FAILED: ${why.join('; ')}.`);
  return ok ? 0 : 1;
}

async function verifyTree(dir: string, shown: string, v: VerifyValues, io: CliIo): Promise<TreeResult> {
  const manifestText = await readText(join(dir, 'ceremony.json'), MAX_MANIFEST_TEXT_LENGTH, 'manifest');
  const self = await readFolder(dir, label(dir));
  // A whole tree has operator folders named in its manifest; anything else is one operator's folder. (Deciding by
  // keystores at the root would let one copied keystore turn a tree check into a one-folder check.)
  const names = new Set(parseManifest(manifestText, 'ceremony.json').operators.map((o) => o.name));
  const subs = (await subfolders(dir)).filter((s) => names.has(s));
  const isFolder = subs.length === 0;
  const folders = isFolder ? [self] : await Promise.all(subs.map((s) => readFolder(join(dir, s), s)));
  const password = await secretOption(io, v['password-file'], PASSWORD);
  const bar = progressBar(io, 'decrypting share keystores', v.json === true);
  let report;
  try {
    report = await verifyCeremony({
      manifestText,
      manifestSource: `${label(dir)}/ceremony.json`,
      folders,
      wholeTree: !isFolder,
      ...(isFolder ? {} : { rootFiles: self }),
      ...(password === undefined ? {} : { password }),
      ...(v.fingerprint === undefined ? {} : { expectedFingerprint: typedFingerprint(v.fingerprint) }),
      noDecrypt: v['no-decrypt'] === true,
      ...(maxKdfWork(v) === undefined ? {} : { maxKdfWork: maxKdfWork(v)! }),
      signal: io.signal,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.done();
  }
  const record = clusterRecord(shown, report.fingerprint, report.cluster);
  const validators = record.validators;
  const json = { ok: report.ok, scope: isFolder ? 'operator' : 'tree', fingerprint: report.fingerprint, validators, operators: report.operators, checks: report.lines };
  if (v.json !== true) {
    const m = report.manifest;
    io.out(`${isFolder ? 'Operator folder' : 'Ceremony tree'} ${shown}: ${m.kind}, threshold ${m.threshold} of ${m.operators.length}, ${m.validators.length} validator(s)`);
    for (const l of report.lines) {
      const who = l.culprits && l.culprits.length > 0 ? ` [culprit: ${l.culprits.join(', ')}]` : '';
      io.out(`  ${MARK[l.status]} ${l.check.padEnd(9)} ${l.subject}: ${l.detail}${who}`);
    }
    const failed = report.lines.filter((l) => l.status === 'fail').length;
    io.out(`Ceremony fingerprint: ${report.fingerprint}`);
    io.out(`  in groups, to read aloud: ${fingerprintGroups(report.fingerprint)}`);
    if (isFolder && v.fingerprint === undefined) io.out('  (compare it with the other operators over a separate channel, or pass --fingerprint)');
    io.out(report.ok ? 'All checks passed.' : `${failed} check(s) FAILED.`);
  }
  return { ok: report.ok, json, record };
}

async function verifyCharon(
  dir: string,
  shown: string,
  nodes: readonly string[],
  v: VerifyValues,
  io: CliIo,
): Promise<TreeResult> {
  const folders = await Promise.all(nodes.map((s) => readCharonFolder(join(dir, s), s === '.' ? label(dir) : s)));
  const mapPath = join(dir, OPERATORS_FILE);
  const rootMap = nodes[0] !== '.' && (await exists(mapPath)) ? { label: OPERATORS_FILE, bytes: await readCapped(mapPath, MAX_OPERATORS_TEXT_LENGTH, 'operators map') } : undefined;
  const password = await secretOption(io, v['password-file'], PASSWORD);
  const bar = progressBar(io, 'decrypting share keystores', v.json === true);
  let report;
  try {
    report = await verifyCharonCluster({
      folders,
      ...(rootMap === undefined ? {} : { rootOperatorsMap: rootMap }),
      ...(password === undefined ? {} : { password }),
      ...(v.fingerprint === undefined ? {} : { expectedFingerprint: typedFingerprint(v.fingerprint) }),
      noDecrypt: v['no-decrypt'] === true,
      ...(maxKdfWork(v) === undefined ? {} : { maxKdfWork: maxKdfWork(v)! }),
      strictOperatorSignatures: v['strict-operator-signatures'] === true,
      signal: io.signal,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.done();
  }
  const lock = report.lock;
  const record = clusterRecord(shown, bytesToHex(lock.lockHash, true), report.cluster);
  const validators = record.validators;
  const result = {
    ok: report.ok,
    json: { ok: report.ok, scope: 'charon', fingerprint: bytesToHex(lock.lockHash, true), validators, nodes: report.nodes, checks: report.lines },
    record,
  };
  if (v.json === true) return result;
  const name = lock.definition.name === '' ? '' : ` "${lock.definition.name}"`;
  io.out(`Charon cluster ${shown}${name}: lock ${lock.definition.version}, threshold ${lock.definition.threshold} of ${lock.definition.operators.length}, ${lock.validators.length} validator(s), ${folders.length} node folder(s)`);
  const mark = { pass: 'ok  ', fail: 'FAIL', skipped: 'skip', warn: 'warn' } as const;
  for (const l of report.lines) io.out(`  ${mark[l.status]} ${l.check.padEnd(19)} ${l.subject}: ${l.detail}`);
  io.out(`Cluster fingerprint (lock hash): ${bytesToHex(lock.lockHash, true)}`);
  io.out(`  in groups, to read aloud: ${fingerprintGroups(bytesToHex(lock.lockHash))}`);
  if (v.fingerprint === undefined) io.out('  (compare it with the other operators over a separate channel, or pass --fingerprint)');
  io.out(report.ok ? 'All checks passed.' : `${report.lines.filter((l) => l.status === 'fail').length} check(s) FAILED.`);
  return result;
}

async function verifySsv(path: string, shown: string, v: VerifyValues, io: CliIo): Promise<TreeResult> {
  const text = await readText(path, MAX_KEYSHARES_TEXT_LENGTH, 'keyshares file');
  const decryptors = await Promise.all((v['ssv-operator-key'] ?? []).map((f) => loadSsvOperatorKey(resolve(io.cwd, f), basename(f))));
  const report = verifySsvKeyshares({
    text,
    source: basename(path),
    decryptors,
    noDecrypt: v['no-decrypt'] === true,
    ...(v.fingerprint === undefined ? {} : { expectedFingerprint: typedFingerprint(v.fingerprint) }),
  });
  const record = clusterRecord(shown, report.fingerprint, report.cluster);
  const validators = record.validators;
  const result = {
    ok: report.ok,
    json: { ok: report.ok, scope: 'ssv', fingerprint: report.fingerprint, validators, checks: report.lines },
    record,
  };
  if (v.json === true) return result;
  const c = report.cluster;
  io.out(`SSV keyshares ${shown}: ${c.validators.length} validator(s), operators ${c.operators.map((o) => o.shareId).join(', ')}, threshold ${c.threshold} of ${c.operators.length}`);
  for (const l of report.lines) {
    const who = l.culprits && l.culprits.length > 0 ? ` [culprit: ${l.culprits.join(', ')}]` : '';
    io.out(`  ${MARK[l.status]} ${l.check.padEnd(9)} ${l.subject}: ${l.detail}${who}`);
  }
  io.out(`Keyshares fingerprint (SHA-256 of keyshares.json): ${report.fingerprint}`);
  io.out(`  in groups, to read aloud: ${fingerprintGroups(report.fingerprint)}`);
  if (v.fingerprint === undefined) io.out('  (compare it with the other operators over a separate channel, or pass --fingerprint)');
  io.out(report.ok ? 'All checks passed.' : `${report.lines.filter((l) => l.status === 'fail').length} check(s) FAILED.`);
  return result;
}

/** The `verify` command. */
export const verifyCommand: Command = { name: 'verify', summary: 'check a split/DKG output tree or one operator folder; two or more: also the double-cluster risk', usage, run };
