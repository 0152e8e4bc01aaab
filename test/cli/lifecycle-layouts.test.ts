/**
 * Lifecycle steps and the Charon and SSV layouts (issue 16; decision 1014): reshare, refresh and repair read and
 * write dvkeys operator folders only, and a Charon or SSV record or folder given where they read one is refused in
 * one line naming the layout (LAYOUT_UNSUPPORTED at the option), with nothing written.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fails, fingerprintOf, party, splitCluster, tempDir, type Party } from './lifecycle-helpers.js';

let root: string;
let old: string;
let holders: Party[];
let plan: string;
let fp: string;
const LOCK = JSON.stringify({ cluster_definition: { name: 'x' }, distributed_validators: [], lock_hash: `0x${'11'.repeat(32)}` });
const KEYSHARES = JSON.stringify({ version: 'v1.1.0', createdAt: '2024-01-01T00:00:00.000Z', shares: [] });

beforeAll(async () => {
  root = tempDir('lc-layouts');
  old = await splitCluster(root);
  holders = [];
  for (let i = 1; i <= 4; i++) holders.push(await party(root, `holder-${i}`));
  plan = join(root, 'plan.json');
  fp = fingerprintOf(await cli('refresh', 'init', '--old', join(old, 'ceremony.json'), '--threshold', '3', ...holders.flatMap((h, i) => ['--participant', `${i + 1}=${h.pub}`]), '--out', plan, '--json'));
}, 120_000);

describe('lifecycle steps refuse Charon and SSV layouts in one line', () => {
  it('init --old a Charon cluster-lock.json or an SSV keyshares.json', async () => {
    const lock = join(root, 'cluster-lock.json');
    writeFileSync(lock, LOCK);
    const ks = join(root, 'keyshares.json');
    writeFileSync(ks, KEYSHARES);
    for (const [kind, file, layout] of [['reshare', lock, 'Charon cluster-lock'], ['refresh', ks, 'SSV keyshares'], ['repair', lock, 'Charon cluster-lock']] as const) {
      const out = join(root, `${kind}-plan.json`);
      const extra = kind === 'reshare' ? ['--dealer', `1=${holders[0]!.pub}`, '--new-operator', `a=${holders[1]!.pub}`, '--new-threshold', '1'] : kind === 'refresh' ? ['--participant', `1=${holders[0]!.pub}`] : ['--helper', `1=${holders[0]!.pub}`, '--recipient', `2=${holders[1]!.pub}`];
      const line = fails(await cli(kind, 'init', '--old', file, '--threshold', '3', ...extra, '--out', out), 'LAYOUT_UNSUPPORTED');
      expect(line).toContain(`${file} is a ${layout} file: reshare, refresh and repair read and write dvkeys operator folders only (decision 1014)`);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  it('stop and start --folder a Charon node folder or an SSV folder', async () => {
    const node = join(root, 'node0');
    mkdirSync(join(node, 'validator_keys'), { recursive: true });
    writeFileSync(join(node, 'cluster-lock.json'), LOCK);
    const ssv = join(root, 'ssv-out');
    mkdirSync(ssv, { recursive: true });
    writeFileSync(join(ssv, 'keyshares.json'), KEYSHARES);
    const hist = join(root, 'h.json');
    writeFileSync(hist, JSON.stringify({ metadata: { interchange_format_version: '5', genesis_validators_root: `0x${'ab'.repeat(32)}` }, data: [] }));
    const out = join(root, 'stop.json');
    expect(fails(await cli('refresh', 'stop', '--plan', plan, '--plan-id', fp, '--folder', node, '--epoch', '1', '--slashing-protection', hist, '--out', out), 'LAYOUT_UNSUPPORTED')).toContain(`${node} is a Charon node folder: `);
    expect(existsSync(out)).toBe(false);
    const sp = join(root, 'sp.json');
    expect(fails(await cli('refresh', 'start', '--folder', ssv, '--out', sp, out), 'LAYOUT_UNSUPPORTED')).toContain(`${ssv} is an SSV keyshares folder: `);
    expect(fails(await cli('reshare', 'start', '--folder', node, '--out', sp, out), 'LAYOUT_UNSUPPORTED')).toContain('is a Charon node folder');
    expect(existsSync(sp)).toBe(false);
  }, 60_000);
});
