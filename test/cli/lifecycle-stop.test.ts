/**
 * `dvkeys refresh stop` / `start` end to end through files (issue 16 "the handover is safe"; decision 1009): after a
 * 3-of-4 refresh, old holders sign stop records carrying their exported EIP-3076 histories; a new holder's start
 * needs n - t + 1 = 2 of them, writes the merged history keyed by ITS new share keys, and states the first epoch it
 * may sign in. Then the tamper cases, each with its exact code and culprit, and nothing written.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshedCluster } from '../helpers/lifecycle-refresh.js';
import { cli, fails, fingerprintOf, hk, ok, type Party } from './lifecycle-helpers.js';

const GVR = `0x${'ab'.repeat(32)}`;
let root: string;
let old: string;
let holders: Party[];
let plan: string;
let fp: string;
const refreshed: string[] = [];
let messages: string[] = [];

const keystorePubkeys = (dir: string): string[] => [0, 1].map((v) => `0x${JSON.parse(readFileSync(join(dir, `keystore-${v}.json`), 'utf8')).pubkey as string}`);
const groupPubkeys = (): string[] => (JSON.parse(readFileSync(join(old, 'ceremony.json'), 'utf8')) as { validators: { pubkey: string }[] }).validators.map((x) => x.pubkey);

/** An EIP-3076 file: per key, one block at `slot` and one attestation source/target. */
function history(file: string, keys: readonly string[], slot: number, source: number, target: number, gvr = GVR): string {
  writeFileSync(file, JSON.stringify({
    metadata: { interchange_format_version: '5', genesis_validators_root: gvr },
    data: keys.map((pubkey) => ({ pubkey, signed_blocks: [{ slot: String(slot) }], signed_attestations: [{ source_epoch: String(source), target_epoch: String(target) }] })),
  }));
  return file;
}

async function stop(i: number, epoch: string, hist: string, out: string, planFile = plan, id = fp, folder = join(old, `operator-${i}`), ...extra: string[]): Promise<ReturnType<typeof cli>> {
  return cli('refresh', 'stop', '--plan', planFile, '--plan-id', id, '--folder', folder, '--epoch', epoch, '--slashing-protection', hist, '--out', out, ...extra);
}

beforeAll(async () => {
  const c = await refreshedCluster('stop');
  ({ root, old, plan, fp } = c);
  holders = [...c.holders];
  refreshed.push(...c.refreshed.map((f) => f!));
  messages = [...c.messages];
}, 240_000);

describe('dvkeys refresh stop / start', () => {
  it('two stop records let a new holder start: the merged history keyed by its new share keys, and the start epoch', async () => {
    // holder 1 exported its history keyed by its old share keys, holder 2 keyed by the validator keys
    const s1 = join(root, 'stop-1.json');
    const s2 = join(root, 'stop-2.json');
    const o1 = ok(await stop(1, '100', history(join(root, 'h1.json'), keystorePubkeys(join(old, 'operator-1')), 3190, 90, 99), s1));
    expect(o1.out).toContain('Old share 1 stopped at epoch 100');
    ok(await stop(2, '101', history(join(root, 'h2.json'), groupPubkeys(), 3150, 95, 101), s2));
    // one record is not enough: the other three could still reach t = 3
    const few = join(root, 'few.json');
    expect(fails(await cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', refreshed[2]!, '--out', few, s1), 'OLD_CLUSTER_NOT_STOPPED')).toContain('still running: 2, 3, 4');
    expect(existsSync(few)).toBe(false);
    const out = join(root, 'sp-3.json');
    const r = ok(await cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', refreshed[2]!, '--out', out, s2, s1));
    expect(r.out).toContain('2 of 4 old holders stopped (1, 2; at least 2 needed)');
    expect(r.out).toContain('Start no earlier than epoch 104 (the last old activity, epoch 101, plus 3)');
    const sp = JSON.parse(readFileSync(out, 'utf8')) as { metadata: { genesis_validators_root: string }; data: { pubkey: string; signed_blocks: { slot: string }[]; signed_attestations: { source_epoch: string; target_epoch: string }[] }[] };
    expect(sp.metadata.genesis_validators_root).toBe(GVR);
    // keyed by holder 3's NEW share keys, one minimal entry each with the maxima of both histories
    expect(sp.data.map((d) => d.pubkey)).toEqual(keystorePubkeys(refreshed[2]!));
    for (const d of sp.data) {
      expect(d.signed_blocks).toEqual([{ slot: '3190' }]);
      expect(d.signed_attestations).toEqual([{ source_epoch: '95', target_epoch: '101' }]);
    }
  }, 120_000);

  it('start takes the plan from the new folder (lifecycle-plan.json, decision 1013); verify checks that copy', async () => {
    const s1 = join(root, 'stop-1.json');
    const s2 = join(root, 'stop-2.json');
    // the folder's copy is the plan, byte for byte; no --plan and no --plan-id needed
    expect(readFileSync(join(refreshed[3]!, 'lifecycle-plan.json'), 'utf8')).toBe(readFileSync(plan, 'utf8'));
    const out = join(root, 'sp-4.json');
    const r = ok(await cli('refresh', 'start', '--folder', refreshed[3]!, '--out', out, s1, s2));
    expect(r.out).toContain('2 of 4 old holders stopped (1, 2; at least 2 needed)');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { data: { pubkey: string }[] }).data.map((d) => d.pubkey)).toEqual(keystorePubkeys(refreshed[3]!));
    const verifyFails = async (dir: string): Promise<{ subject: string; code?: string; detail: string }[]> => {
      const v = await cli('verify', dir, '--json');
      expect(v.code, v.out).toBe(1);
      return (JSON.parse(v.out) as { checks: { subject: string; status: string; code?: string; detail: string }[] }).checks.filter((l) => l.status === 'fail');
    };
    const never = join(root, 'sp-never.json');
    // the copy removed: verify and start name the missing file
    const gone = join(root, 'no-plan-copy');
    cpSync(refreshed[3]!, gone, { recursive: true });
    rmSync(join(gone, 'lifecycle-plan.json'));
    expect((await verifyFails(gone)).map((l) => [l.subject, l.code, l.detail])).toEqual([['no-plan-copy/lifecycle-plan.json', 'INVALID_FORMAT', 'no-plan-copy/lifecycle-plan.json is missing: a refresh folder records the plan it was finalized under']]);
    expect(fails(await cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', gone, '--out', never, s1, s2), 'INVALID_FORMAT')).toContain('lifecycle-plan.json is missing');
    // the same plan, reformatted: no longer its canonical text (its hash would not be the plan id)
    const flat = join(root, 'flat-plan-copy');
    cpSync(refreshed[3]!, flat, { recursive: true });
    writeFileSync(join(flat, 'lifecycle-plan.json'), JSON.stringify(JSON.parse(readFileSync(plan, 'utf8'))));
    expect((await verifyFails(flat)).map((l) => [l.subject, l.code])).toEqual([['flat-plan-copy/lifecycle-plan.json', 'INVALID_FORMAT']]);
    fails(await cli('refresh', 'start', '--folder', flat, '--out', never, s1, s2), 'INVALID_FORMAT');
    // another plan given with --plan than the folder's: refused, even with that plan's own --plan-id
    const other = join(root, 'other-plan-2.json');
    const ofp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', other, '--json'));
    expect(fails(await cli('refresh', 'start', '--plan', other, '--plan-id', ofp, '--folder', refreshed[3]!, '--out', never, s1, s2), 'CEREMONY_MISMATCH')).toContain(`is plan ${ofp}, but ${refreshed[3]!} was finalized under plan ${fp}`);
    // the folder's own plan with a wrong --plan-id: refused
    fails(await cli('refresh', 'start', '--folder', refreshed[3]!, '--plan-id', ofp, '--out', never, s1, s2), 'CEREMONY_MISMATCH');
    expect(existsSync(never)).toBe(false);
  }, 120_000);

  it('tampered, foreign, duplicate and inconsistent stop records are refused with the exact code and culprit; nothing is written', async () => {
    const s3 = join(root, 'stop-3.json');
    const s4 = join(root, 'stop-4.json');
    ok(await stop(3, '100', history(join(root, 'h3.json'), groupPubkeys(), 10, 1, 2), s3));
    ok(await stop(4, '100', history(join(root, 'h4.json'), groupPubkeys(), 10, 1, 2, `0x${'cd'.repeat(32)}`), s4));
    const out = join(root, 'never.json');
    const start = (...stops: string[]): ReturnType<typeof cli> => cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', refreshed[0]!, '--out', out, ...stops);
    // a changed epoch: the stop signature no longer verifies; the holder is named
    const forged = JSON.parse(readFileSync(s3, 'utf8')) as Record<string, unknown>;
    const bad = join(root, 'stop-3-epoch.json');
    writeFileSync(bad, JSON.stringify({ ...forged, epoch: '50' }));
    const line = fails(await start(bad, join(root, 'stop-1.json')), 'PARTIAL_SIGNATURE_INVALID');
    expect(line).toContain('3');
    // a changed history: the same
    const hist = forged.history as { data: { signed_attestations: { target_epoch: string }[] }[] };
    hist.data[0]!.signed_attestations[0]!.target_epoch = '1';
    const bad2 = join(root, 'stop-3-history.json');
    writeFileSync(bad2, JSON.stringify({ ...forged, history: hist }));
    fails(await start(bad2, join(root, 'stop-1.json')), 'PARTIAL_SIGNATURE_INVALID');
    // two records of one holder
    fails(await start(s3, s3), 'DUPLICATE_SHARE_ID');
    // histories of two chains
    fails(await start(s3, s4), 'SLASHING_PROTECTION_INVALID');
    // a record of another plan
    const other = join(root, 'other-plan.json');
    const ofp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', other, '--json'));
    const foreign = join(root, 'stop-foreign.json');
    ok(await stop(1, '100', join(root, 'h3.json'), foreign, other, ofp));
    fails(await start(foreign, s3), 'CEREMONY_MISMATCH');
    // a malformed record names the field
    const shape = join(root, 'stop-shape.json');
    writeFileSync(shape, JSON.stringify({ ...forged, signatures: ['0x12'] }));
    expect(fails(await start(shape, s3), 'DKG_INVALID_MESSAGE')).toContain('signatures[0]');
    // an old folder (not the refreshed one) cannot start
    fails(await cli('refresh', 'start', '--plan', plan, '--plan-id', fp, '--folder', join(old, 'operator-1'), '--out', out, s3, join(root, 'stop-1.json')), 'CEREMONY_MISMATCH');
    expect(existsSync(out)).toBe(false);
    // stop: a wrong plan id, and an existing output file, write nothing
    fails(await stop(2, '100', join(root, 'h3.json'), join(root, 'x.json'), plan, 'abcd-ef01-2345-6789-abcd'), 'CEREMONY_MISMATCH');
    expect(existsSync(join(root, 'x.json'))).toBe(false);
    const before = readFileSync(s3, 'utf8');
    expect((await stop(3, '100', join(root, 'h3.json'), s3)).code).not.toBe(0);
    expect(readFileSync(s3, 'utf8')).toBe(before);
    // a bad epoch is a usage error
    expect((await stop(2, '-1', join(root, 'h3.json'), join(root, 'y.json'))).code).toBe(2);
  }, 120_000);

  it('the old folder is decrypted only within the KDF-work budget (--max-kdf-work, decision 0213); above it nothing is decrypted or written', async () => {
    const hist = history(join(root, 'h-kdf.json'), groupPubkeys(), 10, 1, 2);
    // two keystores at pbkdf2 c = 16 (--insecure-keys): 2 * 16 / 2^18 = 0.000122 units
    const out = join(root, 'stop-kdf.json');
    const line = fails(await stop(1, '100', hist, out, plan, fp, join(old, 'operator-1'), '--max-kdf-work', '0.0001'), 'LIMIT_EXCEEDED');
    expect(line).toContain('need 0.000122 units of KDF work');
    expect(line).toContain('above the budget of 0.0001 (--max-kdf-work); nothing was decrypted');
    expect(existsSync(out)).toBe(false);
    ok(await stop(1, '100', hist, out, plan, fp, join(old, 'operator-1'), '--max-kdf-work', '0.0002'));
    // the default budget (2 units per keystore) refuses a folder whose keystore claims the legal cap, 2^22 iterations
    const heavy = join(root, 'heavy-operator-1');
    cpSync(join(old, 'operator-1'), heavy, { recursive: true });
    const ks = JSON.parse(readFileSync(join(heavy, 'keystore-0.json'), 'utf8')) as { crypto: { kdf: { params: { c: number } } } };
    ks.crypto.kdf.params.c = 2 ** 22;
    writeFileSync(join(heavy, 'keystore-0.json'), JSON.stringify(ks));
    const out2 = join(root, 'stop-heavy.json');
    expect(fails(await stop(1, '100', hist, out2, plan, fp, heavy), 'LIMIT_EXCEEDED')).toContain('above the budget of 4 (--max-kdf-work)');
    expect(existsSync(out2)).toBe(false);
    // refresh finalize reads the current folder under the same budget
    const fin = join(root, 'refreshed-kdf');
    fails(await cli('refresh', 'finalize', '--plan', plan, ...hk(holders[0]!), '--folder', join(old, 'operator-1'), '--max-kdf-work', '0.0001', '--out', fin, '--insecure-keys', ...messages), 'LIMIT_EXCEEDED');
    expect(existsSync(fin)).toBe(false);
    // a step that reads no folder refuses the option; a bad value is a usage error
    expect((await cli('refresh', 'deal', '--plan', plan, '--plan-id', fp, ...hk(holders[0]!), '--max-kdf-work', '1', '--out', join(root, 'd.json'))).code).toBe(2);
    expect((await stop(2, '100', hist, join(root, 'z.json'), plan, fp, join(old, 'operator-2'), '--max-kdf-work', '0')).code).toBe(2);
  }, 60_000);
});
