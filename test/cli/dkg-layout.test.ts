/**
 * `dkg finalize --layout` and `dkg recover --layout` (issue 15, decision 0308): the dvkeys layout is written (named
 * or by default, the same folder, which `dvkeys verify` passes); the layouts one operator cannot write alone
 * (charon, ssv) and `--fee-recipient` (ceremony.json has no place for it) are refused in one line before any work,
 * and nothing is written.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, carry, cli, collect2, fails, honestRounds, hostKey, ok, setup, type Ceremony } from './dkg-helpers.js';

let c: Ceremony;
const finalize = (i: number, out: string, extra: string[]) => {
  const dir = c.ops[i]!;
  return cli('dkg', 'finalize', ...hostKey(dir, i), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), '--final', join(dir, 'final.json'), '--out', join(dir, out), '--insecure-keys', ...extra);
};

beforeAll(async () => {
  c = await setup('layout');
  ok(await collect2(c, await honestRounds(c)));
  for (const dir of c.ops) carry(join(c.coord, 'final.json'), join(dir, 'final.json'));
}, 120_000);

describe('dkg finalize --layout', () => {
  it('--layout dvkeys writes the default folder, byte for byte the same ceremony.json, and dvkeys verify passes', async () => {
    ok(await finalize(1, 'named', ['--layout', 'dvkeys']));
    ok(await finalize(1, 'default', []));
    const named = join(c.ops[1]!, 'named');
    expect(readdirSync(named).sort()).toEqual(readdirSync(join(c.ops[1]!, 'default')).sort());
    expect(readFileSync(join(named, 'ceremony.json'), 'utf8')).toBe(readFileSync(join(c.ops[1]!, 'default', 'ceremony.json'), 'utf8'));
    const r = ok(await cli('verify', named));
    expect(r.out).toContain('dkg, threshold 3 of 4, 2 validator(s)');
    expect(r.out).toContain('All checks passed.');
  });

  it('refuses charon, ssv, an unknown layout and --fee-recipient in one line, writing nothing', async () => {
    const cases: [string[], string, RegExp][] = [
      [['--layout', 'charon'], 'LAYOUT_UNSUPPORTED', /--layout has no place in the charon layout: a Charon lock needs every node's ENR and node signature/],
      [['--layout', 'ssv'], 'LAYOUT_UNSUPPORTED', /--layout has no place in the ssv layout: keyshares\.json holds every operator's share encrypted to its RSA key/],
      [['--fee-recipient', ADDRESS], 'LAYOUT_UNSUPPORTED', /--fee-recipient has no place in the dvkeys layout: ceremony\.json has no fee recipient; set it in each validator client/],
      [['--layout', 'dvkeys', '--fee-recipient', ADDRESS], 'LAYOUT_UNSUPPORTED', /--fee-recipient has no place in the dvkeys layout/],
      [['--layout', 'charon', '--fee-recipient', ADDRESS], 'LAYOUT_UNSUPPORTED', /--layout has no place in the charon layout/],
      [['--layout', 'lighthouse'], 'INVALID_ARGUMENT', /--layout must be dvkeys, charon or ssv, got 'lighthouse'/],
    ];
    for (const [k, [extra, code, message]] of cases.entries()) {
      const out = `refused-${k}`;
      expect(fails(await finalize(2, out, extra), code)).toMatch(message);
      expect(existsSync(join(c.ops[2]!, out))).toBe(false);
    }
  });

  it('dkg recover takes the same --layout and refuses the same way', async () => {
    const dir = c.ops[3]!;
    const recovery = join(c.ops[1]!, 'named', 'dkg-recovery.json');
    const recover = (out: string, extra: string[]) => cli('dkg', 'recover', ...hostKey(dir, 3), '--recovery', recovery, '--out', join(dir, out), '--insecure-keys', ...extra);
    expect(fails(await recover('r-charon', ['--layout', 'charon']), 'LAYOUT_UNSUPPORTED')).toMatch(/--layout has no place in the charon layout/);
    expect(existsSync(join(dir, 'r-charon'))).toBe(false);
    ok(await recover('r-dvkeys', ['--layout', 'dvkeys']));
    ok(await cli('verify', join(dir, 'r-dvkeys')));
  });
});
