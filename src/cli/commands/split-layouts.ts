/**
 * `dvkeys split --layout charon|ssv`: the layouts real tools load (issue 8). The dvkeys layout lives in split.ts.
 *
 * - charon: `node0/ … node{n-1}/` as `charon create cluster --split-existing-keys` writes them (cluster-lock.json
 *   v1.10, charon-enr-private-key, deposit data, validator_keys/keystore-<v>.json + .txt), read back and verified
 *   as a cluster (lock hashes and signatures, deposits, node identities) before success is reported, every
 *   keystore opened with the key kept from encryption and checked against its public share, keystore-0.json of
 *   each node decrypted from its password (decision 0214);
 * - ssv: `keyshares.json` for operators given by id and RSA public key; SSV's operator-count rule is enforced and
 *   dvkeys' own threshold analysis is shown beside it.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { bytesToHex } from '../../bytes.js';
import { runCharonSplit } from '../../ceremony/charon-split.js';
import { verifyCharonCluster } from '../../ceremony/charon-verify.js';
import { ssvLayout, KEYSHARES_FILE } from '../../ceremony/layouts/ssv.js';
import type { ValidatorKeyInput } from '../../ceremony/split.js';
import { VerificationError } from '../../errors.js';
import { getNetwork, type Network } from '../../eth/networks.js';
import { MAX_INTERCHANGE_TEXT_LENGTH, parseInterchangeFile } from '../../eth/slashing-protection.js';
import { OPERATORS_FILE, parseOperatorsMap } from '../../ceremony/operators-map.js';
import type { SlashingInput } from '../../ceremony/slashing-files.js';
import { parseOperators } from '../../safety/input.js';
import { summary } from '../../safety/explain.js';
import { createKeyshares, parseSsvOperators, assertKeyshares, parseKeysharesText } from '../../ssv/index.js';
import { readCharonFolder } from '../charon.js';
import { readCharonCluster } from '../../ceremony/charon-node.js';
import { wipeKeptKeys } from '../../keys/kept-key.js';
import { openWrittenCharonKeystores, type ReadbackHooks } from '../readback.js';
import { readText } from '../files.js';
import { readBackTree, removeTree, writeTreeAtomically } from '../fs.js';
import { UsageError, type CliIo } from '../io.js';
import { progressBar } from '../progress.js';
import { INSECURE_KDF, ethAmount, printTree } from './shared.js';

/** The options of split that these layouts read. */
export interface LayoutOptions {
  readonly out: string;
  readonly shownOut: string;
  readonly operators: string | undefined;
  readonly threshold: number | undefined;
  readonly allowUnsafe: boolean;
  readonly insecure: boolean;
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

const str = (v: LayoutOptions['values'], k: string): string | undefined => v[k] as string | undefined;

/** `--layout charon`. */
export async function splitCharon(validators: readonly ValidatorKeyInput[], o: LayoutOptions, io: CliIo & ReadbackHooks): Promise<number> {
  if (o.operators === undefined) throw new UsageError('--layout charon needs --operators N (N nodes, one operator each) or NAME:NODES,... (e.g. eridian:3,spacesider:3,cloud:3)');
  const spec = o.operators.trim();
  const people = /^[0-9]+$/.test(spec) ? undefined : parseOperators(spec, { allowDomains: false });
  const nodes = people === undefined ? Number(spec) : people.reduce((sum, p) => sum + p.shares, 0);
  const network = str(o.values, 'network');
  const withdrawal = str(o.values, 'withdrawal-address');
  const fee = str(o.values, 'fee-recipient');
  if (network === undefined || withdrawal === undefined || fee === undefined) {
    throw new UsageError('--layout charon needs --network, --withdrawal-address and --fee-recipient');
  }
  const amounts = (o.values['amount'] as string[] | undefined)?.map((a) => ethAmount(a, '--amount'));
  const net = getNetwork(network, '--network');
  const slashingProtection = await readSlashing(o.values, net, io);
  const bar = progressBar(io, 'encrypting share keystores', o.json);
  let result;
  try {
    result = await runCharonSplit({
      validators,
      nodes,
      ...(people === undefined ? {} : { operators: people.map((p) => ({ name: p.name, shares: p.shares })) }),
      ...(slashingProtection === undefined ? {} : { slashingProtection }),
      ...(o.threshold === undefined ? {} : { threshold: o.threshold }),
      allowUnsafeThreshold: o.allowUnsafe,
      network: net,
      withdrawalAddresses: withdrawal,
      feeRecipients: fee,
      ...(str(o.values, 'name') === undefined ? {} : { name: str(o.values, 'name')! }),
      ...(amounts === undefined ? {} : { depositAmounts: amounts }),
      compounding: o.values['compounding'] === true,
      ...(o.insecure ? { kdfParams: INSECURE_KDF.pbkdf2 } : {}),
      signal: io.signal,
      onProgress: bar.onProgress,
      keepKeys: true,
    });
  } finally {
    bar.done();
  }
  const files = result.files.map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
  const kept = result.keptKeys ?? new Map();
  try {
    await writeTreeAtomically(o.out, files, io.signal);
    try {
      await io.afterWrite?.(o.out);
      await readBackTree(o.out, files);
      const n = result.lock.definition.operators.length;
      const folders = await Promise.all(Array.from({ length: n }, (_, k) => readCharonFolder(join(o.out, `node${k}`), `node${k}`)));
      // Public checks first (lock, deposits, node identities), then every keystore with its kept key (issue 14).
      const report = await verifyCharonCluster({ folders, signal: io.signal, expectedFingerprint: bytesToHex(result.lock.lockHash), noDecrypt: true });
      const bad = report.lines.find((l) => l.status === 'fail') ?? (report.lines.some((l) => l.check === 'operators' && l.status === 'pass') ? undefined : { code: 'INVALID_FORMAT' as const, subject: OPERATORS_FILE, detail: 'not read back' });
      if (bad !== undefined) throw new VerificationError(bad.code ?? 'LOCK_INVALID', `read-back failed (${bad.subject}: ${bad.detail}); the output was removed`);
      await openWrittenCharonKeystores(o.out, readCharonCluster(folders), kept, io);
    } catch (e) {
      await removeTree(o.out);
      throw e;
    }
  } finally {
    wipeKeptKeys(kept.values());
  }
  const lock = result.lock;
  if (o.json) {
    io.out(JSON.stringify({ ok: true, layout: 'charon', out: o.out, lockHash: bytesToHex(lock.lockHash, true), threshold: lock.definition.threshold, nodes: lock.definition.operators.length, operators: operatorNodes(result.files), safety: { splitBrainSafe: result.safety.analysis.splitBrainSafe, crashToleranceOperators: result.safety.analysis.crashTolerance.operators, collusionOperators: result.safety.analysis.collusion.operators }, validators: lock.validators.map((dv) => bytesToHex(dv.distributedPublicKey, true)), warnings: result.safety.warnings, files: files.map((f) => f.path) }, null, 2));
    return 0;
  }
  io.out(`Split ${lock.validators.length} validator key(s) into a Charon cluster of ${lock.definition.operators.length} nodes, threshold ${lock.definition.threshold}.`);
  io.out(`Safety: ${summary(result.safety.analysis)}`);
  for (const w of result.safety.warnings) io.out(`Warning: ${w}`);
  io.out(`Operators (${OPERATORS_FILE}): ${operatorNodes(result.files).map((p) => `${p.name} ${p.nodes.join(' ')}`).join('; ')}`);
  io.out(`cluster-lock.json ${lock.definition.version}, lock hash ${bytesToHex(lock.lockHash, true)}: hashes, signatures, deposits and every keystore checked after writing.`);
  io.out(`Wrote ${o.out}:`);
  printTree(io, files.map((f) => f.path), o.values['list-files'] === true);
  io.out('');
  io.out('Next steps:');
  io.out(`  1. dvkeys verify ${o.shownOut}     (or charon's own checks when each node starts)`);
  io.out('  2. Hand each operator its node folders (operators.json says whose each is) over a private channel; each copies');
  io.out(`     node<k>/ as that node's .charon folder and runs: dvkeys verify node<k> --fingerprint ${bytesToHex(lock.lockHash, true)}`);
  io.out('  3. STOP the solo validator and keep it stopped BEFORE the cluster starts: running both is slashable.');
  if (slashingProtection !== undefined) io.out('  4. Each node imports node<k>/slashing-protection.json (keyed by its share keys) into its validator client before it starts.');
  return 0;
}

/** node<k>/… operators as written in operators.json. */
function operatorNodes(files: readonly { path: string; bytes: Uint8Array }[]): { name: string; nodes: string[] }[] {
  const f = files.find((x) => x.path === OPERATORS_FILE)!;
  return parseOperatorsMap(new TextDecoder().decode(f.bytes)).operators.map((p) => ({ name: p.name, nodes: [...p.nodes] }));
}

/** `--slashing-protection FILE` (a missing file is an error), checked against the cluster's network. */
async function readSlashing(values: LayoutOptions['values'], network: Network, io: CliIo): Promise<SlashingInput | undefined> {
  const file = str(values, 'slashing-protection');
  if (file === undefined) {
    if (values['allow-missing-slashing-history'] === true) throw new UsageError('--allow-missing-slashing-history needs --slashing-protection');
    return undefined;
  }
  const text = await readText(resolve(io.cwd, file), MAX_INTERCHANGE_TEXT_LENGTH, 'slashing-protection file');
  return { interchange: parseInterchangeFile(text), network, allowMissing: values['allow-missing-slashing-history'] === true };
}

/** `--layout ssv`. */
export async function splitSsv(validators: readonly ValidatorKeyInput[], o: LayoutOptions, io: CliIo): Promise<number> {
  const inline = str(o.values, 'ssv-operators');
  const file = str(o.values, 'ssv-operators-file');
  if ((inline === undefined) === (file === undefined)) throw new UsageError('--layout ssv needs --ssv-operators ID:KEY,... or --ssv-operators-file FILE');
  const text = inline ?? (await readText(resolve(io.cwd, file!), 1 << 20, 'SSV operators file'));
  const owner = str(o.values, 'owner-address');
  const nonce = str(o.values, 'owner-nonce');
  if (owner === undefined || nonce === undefined || !/^[0-9]+$/.test(nonce)) throw new UsageError('--layout ssv needs --owner-address ADDR and --owner-nonce N');
  if (o.threshold !== undefined) throw new UsageError('--layout ssv fixes the threshold by SSV\'s rule (t = 2f+1); drop --threshold');
  const result = createKeyshares({ validators, operators: parseSsvOperators(text, '--ssv-operators'), ownerAddress: owner, ownerNonce: Number(nonce) });
  const files = ssvLayout(result.text).map((f) => ({ path: f.path, bytes: f.bytes, secret: f.secret }));
  await writeTreeAtomically(o.out, files, io.signal);
  try {
    await readBackTree(o.out, files);
    assertKeyshares(parseKeysharesText(await readText(join(o.out, KEYSHARES_FILE), 64 << 20, 'keyshares')));
  } catch (e) {
    await removeTree(o.out);
    throw e;
  }
  const { rule, safety } = result;
  if (o.json) {
    io.out(JSON.stringify({ ok: true, layout: 'ssv', out: o.out, rule, safety: { splitBrainSafe: safety.analysis.splitBrainSafe, crashToleranceOperators: safety.analysis.crashTolerance.operators }, validators: result.file.items.map((it) => bytesToHex(it.publicKey, true)), files: files.map((f) => f.path) }, null, 2));
    return 0;
  }
  io.out(`Split ${result.file.items.length} validator key(s) for ${rule.operators} SSV operators.`);
  io.out(`SSV's rule: n = 3f+1 = ${rule.operators}, f = ${rule.faulty}, threshold t = 2f+1 = ${rule.threshold}.`);
  io.out(`dvkeys' analysis of the same: ${summary(safety.analysis)}`);
  io.out(`Wrote ${o.out}/${KEYSHARES_FILE} (share public keys and owner-nonce signatures checked after writing).`);
  io.out('Next: register the validators with the SSV web app or CLI using keyshares.json; stop the solo validator first.');
  return 0;
}
