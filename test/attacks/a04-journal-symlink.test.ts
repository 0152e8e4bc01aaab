/**
 * Attack a04 (blame, CLI): the host key journal is found by the host key's path as given (`<--host-key>.journal`,
 * decision 0430), not by the file it names. An operator who reaches the same host key file through another path (a
 * symlink such as `~/dkg/host-key.json -> /secure/host-key.json`, or a second mount of the same folder) has an empty
 * journal there. A coordinator that says "your round-1 message did not arrive, please run round1 again" then gets a
 * second, different round-1 message signed by the honest operator, and `dkg collect` convicts that honest operator of
 * equivocation with proof.
 *
 * What must hold (issue 12, "deal once"): the journal refuses a second deal in one ceremony "whatever state file they
 * are given"; the honest operator is never a culprit.
 */
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ok, round1, setup, type Ceremony } from '../cli/dkg-helpers.js';

let c: Ceremony;
beforeAll(async () => {
  c = await setup('attack-a04');
});

describe('a04: the journal of a host key reached through a symlink', () => {
  // succeeded before the fix in src/cli/journal.ts (the journal is now found by the host key file's real path)
  it('a second round1 through a symlink to the same host key file is refused (DKG_ALREADY_DONE)', async () => {
    const bob = c.ops[1]!;
    ok(await round1(c, 1));
    symlinkSync(join(bob, 'host-key.json'), join(bob, 'host-key-link.json'));
    const again = await cli('dkg', 'round1', '--definition', join(bob, 'definition.json'), '--host-key', join(bob, 'host-key-link.json'), '--ceremony-id', c.fingerprint, '--out', join(bob, 'round1-again.json'), '--state-out', join(bob, 'state-1-again.json'));
    // if the second deal went through, the coordinator convicts the honest operator of equivocation
    if (again.code === 0) {
      for (const i of [0, 2, 3]) ok(await round1(c, i));
      const inbox = [...c.ops.map((d) => join(d, 'round1.json')), join(bob, 'round1-again.json')];
      const r = await cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), ...inbox, '--out', join(c.coord, 'collected.json'));
      expect(r.err, 'collect of both of bob\'s messages').toBe('');
    }
    expect(again.code, `second round1 through the symlink: ${again.out}${again.err}`).toBe(1);
    expect(again.err).toContain('DKG_ALREADY_DONE');
    expect(existsSync(join(bob, 'round1-again.json'))).toBe(false);
  });
});
