/**
 * Attack a17 (lifecycle CLI, `dvkeys refresh|reshare start`, decision 1009): the coordinator ALONE makes a new holder
 * start signing while every old holder still runs (a slashable double vote or proposal waiting to happen), with an
 * empty slashing history.
 *
 * `start` checks n_old - t_old + 1 stop records, but it reads the plan without `--plan-id` (stop asks for it), and it
 * takes n_old, t_old and the old public shares from that plan. Its only tie to the new folder is the list of
 * validator pubkeys. So the coordinator writes its own plan: the same validator keys, an "old cluster" of 2-of-2
 * whose commitments are [PK, x·G - PK], so that old share 1's public key is x·G with x of its choosing. That
 * cluster needs 2 - 2 + 1 = 1 stop record, which the coordinator signs with x: no old share is needed.
 *
 * Setup: a 3-of-4 split of 2 validators, refreshed by its 4 holders through the CLI (only holder 3 finalizes: the
 * victim). The setup test shows that with the real plan one honest stop record is refused (OLD_CLUSTER_NOT_STOPPED).
 * DEFENDED (decision 1013): finalize writes the plan the holder enrolled in into its new folder (lifecycle-plan.json),
 * and start counts stop records of that plan's old cluster only: the forged plan is CEREMONY_MISMATCH with or without
 * `--plan-id`, and a forged plan copy in the folder is refused by verify and start (it is not of the folder's cluster).
 * Run: `npx vitest run test/attacks/a17-start-forged-plan.test.ts`.
 * See notes/attack.md a17.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { encodeScalar } from '../../src/bls/field.js';
import { G1, encodeG1, decodeG1 } from '../../src/bls/group.js';
import { parsePlan } from '../../src/ceremony/lifecycle-plan.js';
import { parseInterchangeFile } from '../../src/eth/slashing-protection.js';
import { signStop } from '../../src/lifecycle/stop.js';
import { stopRecordToJson } from '../../src/lifecycle/stop-messages.js';
import { toShareIndex } from '../../src/types.js';
import { refreshedCluster } from '../helpers/lifecycle-refresh.js';
import { cli, fails, ok } from '../cli/lifecycle-helpers.js';

const GVR = `0x${'ab'.repeat(32)}`;
let root: string;
let old: string;
let plan: string;
let fp: string;
let victim: string;

beforeAll(async () => {
  const c = await refreshedCluster('a17', [3]);
  ({ root, old, plan, fp } = c);
  victim = c.refreshed[2]!;
}, 240_000);

/** What the coordinator writes: a plan of a 2-of-2 "old cluster" with the real validator keys, and its stop record. */
function forge(): { planFile: string; stopFile: string; forgedFp: string } {
  const real = JSON.parse(readFileSync(plan, 'utf8')) as Record<string, unknown> & {
    old: { threshold: number; operators: unknown[]; files: Record<string, string>; validators: { pubkey: string; commitments: string[]; public_shares: string[] }[] };
    senders: unknown[];
    recipients: unknown[];
  };
  const x = 0x1234567890abcdefn;
  const xG = G1.BASE.multiply(x);
  const hex = (p: typeof xG, like: string): string => (like.startsWith('0x') ? '0x' : '') + bytesToHex(encodeG1(p));
  const validators = real.old.validators.map((v) => {
    const pk = decodeG1(Uint8Array.from(Buffer.from(v.pubkey.replace(/^0x/, ''), 'hex')), 'pubkey');
    const c1 = xG.subtract(pk);
    return { ...v, commitments: [v.pubkey, hex(c1, v.pubkey)], public_shares: [hex(xG, v.pubkey), hex(pk.add(c1.multiply(2n)), v.pubkey)] };
  });
  const files = Object.fromEntries(Object.entries(real.old.files).filter(([p]) => !p.startsWith('operator-3/') && !p.startsWith('operator-4/')));
  const forged = {
    ...real,
    nonce: (String(real['nonce']).startsWith('0x') ? '0x' : '') + '77'.repeat(32),
    old: { ...real.old, threshold: 2, operators: real.old.operators.slice(0, 2), files, validators },
    oldThreshold: 2,
    senders: real.senders.slice(0, 2),
    recipients: real.recipients.slice(0, 2),
  };
  const planFile = join(root, 'forged-plan.json');
  writeFileSync(planFile, JSON.stringify(forged, null, 2));
  const parsed = parsePlan(forged);
  const empty = parseInterchangeFile(JSON.stringify({ metadata: { interchange_format_version: '5', genesis_validators_root: GVR }, data: [] }));
  const record = signStop(parsed.definition, real.old.validators.map(() => ({ id: toShareIndex(1), secret: encodeScalar(x) })), 0n, empty);
  const stopFile = join(root, 'forged-stop.json');
  writeFileSync(stopFile, JSON.stringify(stopRecordToJson(parsed.id, record), null, 2));
  return { planFile, stopFile, forgedFp: parsed.fingerprint };
}

describe('a17: refresh start with the coordinator\'s own plan', () => {
  it('setup: with the real plan, one honest stop record is refused; the victim\'s folder is a refresh folder of these validators', async () => {
    const hist = join(root, 'h1.json');
    writeFileSync(hist, JSON.stringify({ metadata: { interchange_format_version: '5', genesis_validators_root: GVR }, data: [] }));
    const s1 = join(root, 'stop-1.json');
    ok(await cli('refresh', 'stop', '--plan', plan, '--plan-id', fp, '--folder', join(old, 'operator-1'), '--epoch', '100', '--slashing-protection', hist, '--out', s1));
    const out = join(root, 'few.json');
    expect(fails(await cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', victim, '--out', out, s1), 'OLD_CLUSTER_NOT_STOPPED')).toContain('still running: 2, 3, 4');
    expect(existsSync(out)).toBe(false);
    const m = JSON.parse(readFileSync(join(victim, 'ceremony.json'), 'utf8')) as { kind: string; validators: { pubkey: string }[] };
    const o = JSON.parse(readFileSync(join(old, 'ceremony.json'), 'utf8')) as typeof m;
    expect([m.kind, m.validators.map((v) => v.pubkey)]).toEqual(['refresh', o.validators.map((v) => v.pubkey)]);
  }, 60_000);

  // SUCCEEDED on 11bc9e2 (start took no --plan-id: exit 0, "1 of 2 old holders stopped", epoch 3). Defended first by
  // requiring --plan-id at start (77f7694); since decision 1013 the folder records its plan and start checks it.
  it('DEFENDED: a new holder never starts on a stop quorum no old holder signed', async () => {
    const { planFile, stopFile, forgedFp } = forge();
    const out = join(root, 'sp-3.json');
    expect(forgedFp).not.toBe(fp);
    const recorded = JSON.parse(readFileSync(join(victim, 'lifecycle-plan.json'), 'utf8')) as { nonce: string };
    expect(recorded.nonce).toBe((JSON.parse(readFileSync(plan, 'utf8')) as { nonce: string }).nonce);
    // without --plan-id: the folder's own plan decides, and the forged one is not it
    const bare = fails(await cli('refresh', 'start', '--plan', planFile, '--folder', victim, '--out', out, stopFile), 'CEREMONY_MISMATCH');
    expect(bare).toContain(`is plan ${forgedFp}, but ${victim} was finalized under plan ${fp} (its lifecycle-plan.json): refuse it`);
    expect(existsSync(out)).toBe(false);
    // with the real fingerprint stated as --plan-id: the same refusal
    fails(await cli('refresh', 'start', '--plan', planFile, '--plan-id', fp, '--folder', victim, '--out', out, stopFile), 'CEREMONY_MISMATCH');
    expect(existsSync(out)).toBe(false);
    // without --plan: the folder's plan; the forged record is of another plan
    expect(fails(await cli('refresh', 'start', '--folder', victim, '--out', out, stopFile), 'CEREMONY_MISMATCH')).toContain('forged-stop.json is for another plan');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('DEFENDED: the forged plan put into a copy of the folder is refused by verify and start (not of the folder\'s cluster)', async () => {
    const { planFile, stopFile } = forge();
    const copy = join(root, 'victim-copy');
    cpSync(victim, copy, { recursive: true });
    // the canonical text of the forged plan, as finalize would write it
    writeFileSync(join(copy, 'lifecycle-plan.json'), parsePlan(JSON.parse(readFileSync(planFile, 'utf8'))).text);
    const r = await cli('verify', copy, '--json');
    expect(r.code).toBe(1);
    const lines = (JSON.parse(r.out) as { checks: { subject: string; status: string; code?: string; detail: string }[] }).checks.filter((l) => l.status === 'fail');
    expect(lines.map((l) => [l.subject, l.code])).toEqual([['victim-copy/lifecycle-plan.json', 'CEREMONY_MISMATCH']]);
    expect(lines[0]!.detail).toContain('is the plan of another cluster than this ceremony.json');
    const out = join(root, 'sp-copy.json');
    fails(await cli('refresh', 'start', '--folder', copy, '--out', out, stopFile), 'CEREMONY_MISMATCH');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
