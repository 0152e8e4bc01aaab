/**
 * Issue 7, CLI end to end: 4-operator, threshold-3, 2-validator DKG ceremonies run entirely through files, each
 * operator and the coordinator in its own temp folder (files "carried" between them by copying), then `verify` and
 * `combine` on the operator folders; recovery, audit, cheats that end in a one-line verdict with checkable evidence,
 * and bad inputs with their exact error codes. Keystores and the one encrypted host key use tiny KDF costs.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { Fr } from '../../src/bls/field.js';
import { startRound1WithHooks } from '../../src/dkg/participant.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { hostKeyFileText, openHostKeyText } from '../../src/cli/commands/dkg-files.js';
import { generateHostSecretKey, openState } from '../../src/dkg/index.js';
import { ADDRESS, NAMES, carry, cli, collect1, collect2, fails, hostKey, hostSecret, ok, round1, round2, setup, type Ceremony } from './dkg-helpers.js';
import { insecureTestRng } from '../helpers/rng.js';

async function keystorePubkeys(dir: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let v = 0; v < count; v++) {
    const ks = parseKeystore(readFileSync(join(dir, `keystore-${v}.json`), 'utf8'));
    const secret = await decryptKeystore(ks, readFileSync(join(dir, `keystore-${v}.txt`), 'utf8'));
    out.push(`0x${bytesToHex(secretKeyToPublicKey(secret))}`);
  }
  return out;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('dvkeys dkg: an honest 3-of-4 ceremony of 2 validators over files', () => {
  let c: Ceremony;
  let folders: string[];
  let pubkeys: string[];

  it('runs keygen, init, enroll, define, round1, collect, round2, collect and finalize in separate folders', async () => {
    c = await setup('honest');
    expect(mode(join(c.ops[1]!, 'host-key.json'))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(c.ops[0]!, 'host-key.json'), 'utf8'))).toHaveProperty('crypto');
    for (let i = 0; i < 4; i++) ok(await round1(c, i));
    expect(mode(join(c.ops[2]!, 'state-1.json'))).toBe(0o600);
    ok(await collect1(c, c.ops.map((d) => join(d, 'round1.json'))));
    const acks: string[] = [];
    for (let i = 0; i < 4; i++) {
      ok(await round2(c, i, join(c.coord, 'collected.json')));
      acks.push(join(c.ops[i]!, 'ack.json'));
    }
    expect(mode(join(c.ops[3]!, 'state-2.json'))).toBe(0o600);
    ok(await collect2(c, acks));
    folders = [];
    const fps: string[] = [];
    for (const [i, dir] of c.ops.entries()) {
      const out = join(dir, 'validator-keys');
      const r = ok(await cli('dkg', 'finalize', ...hostKey(dir, i), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), '--final', carry(join(c.coord, 'final.json'), join(dir, 'final.json')), '--out', out, '--insecure-keys', '--json'));
      const summary = JSON.parse(r.out);
      expect(summary.index).toBe(i + 1);
      fps.push(summary.fingerprint);
      pubkeys = summary.validators;
      folders.push(out);
    }
    expect(new Set(fps).size).toBe(1);
    // no deposit-data.json before round 3 (decision 0431; test/cli/dkg-ready.test.ts runs it)
    expect(readdirSync(folders[1]!).sort()).toEqual(['ceremony.json', 'dkg-recovery.json', 'keystore-0.json', 'keystore-0.txt', 'keystore-1.json', 'keystore-1.txt']);
    expect(mode(join(folders[1]!, 'keystore-1.json'))).toBe(0o600);
    expect(mode(join(folders[1]!, 'keystore-1.txt'))).toBe(0o600);
  });

  it('writes the same ceremony.json (kind dkg) for every operator, listing no file', () => {
    const texts = folders.map((f) => readFileSync(join(f, 'ceremony.json'), 'utf8'));
    expect(new Set(texts).size).toBe(1);
    const m = JSON.parse(texts[0]!);
    expect(m.kind).toBe('dkg');
    expect(m.network).toBe('hoodi');
    expect(m.threshold).toBe(3);
    expect(m.operators).toEqual(NAMES.map((name, i) => ({ index: i + 1, name, group: name })));
    expect(m.validators.map((v: { pubkey: string }) => v.pubkey)).toEqual(pubkeys);
    expect(m.validators[0].withdrawal_credentials).toBe(`0x010000000000000000000000${'ab'.repeat(20)}`);
    expect(m.files).toEqual({});
  });

  it('dvkeys verify passes on every folder, and with the fingerprint of another operator\'s folder', async () => {
    const other = ok(await cli('verify', folders[3]!, '--json'));
    const fingerprint = JSON.parse(other.out).fingerprint;
    for (const f of folders) {
      const r = ok(await cli('verify', f, '--fingerprint', fingerprint));
      expect(r.out).toContain('dkg, threshold 3 of 4, 2 validator(s)');
      expect(r.out).toContain('matches the fingerprint given');
      expect(r.out).toContain('0 file hash(es) match');
      expect(r.out).toContain('All checks passed.');
    }
  });

  it('the folders gathered under one root with a copy of the manifest verify as a whole tree', async () => {
    const tree = join(c.base, 'tree');
    folders.forEach((f, i) => cpSync(f, join(tree, NAMES[i]!), { recursive: true }));
    copyFileSync(join(folders[0]!, 'ceremony.json'), join(tree, 'ceremony.json'));
    const r = ok(await cli('verify', tree));
    expect(r.out).toContain('Ceremony tree');
    expect(r.out).toContain('threshold-signature');
    expect(r.out).toContain('All checks passed.');
  });

  it('dvkeys combine rebuilds the DKG validator keys from 3 of the 4 folders', async () => {
    const back = join(c.base, 'combined');
    ok(await cli('combine', '--in', folders[3]!, '--in', folders[0]!, '--in', folders[2]!, '--out', back, '--insecure-keys'));
    expect(await keystorePubkeys(back, 2)).toEqual(pubkeys);
  });

  it('dkg recover rebuilds an operator folder from its host key and the recovery data alone', async () => {
    const out = join(c.ops[0]!, 'recovered');
    ok(await cli('dkg', 'recover', ...hostKey(c.ops[0]!, 0), '--recovery', join(folders[0]!, 'dkg-recovery.json'), '--out', out, '--insecure-keys'));
    for (const f of ['ceremony.json', 'dkg-recovery.json']) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(folders[0]!, f), 'utf8'));
    const pks = (dir: string): string[] => [0, 1].map((v) => JSON.parse(readFileSync(join(dir, `keystore-${v}.json`), 'utf8')).pubkey);
    expect(pks(out)).toEqual(pks(folders[0]!));
    ok(await cli('verify', out));
  });

  it('dkg audit checks the recovery data without a secret and prints the folders\' fingerprint', async () => {
    const fp = JSON.parse(ok(await cli('verify', folders[1]!, '--json')).out).fingerprint;
    const r = ok(await cli('dkg', 'audit', join(folders[2]!, 'dkg-recovery.json')));
    expect(r.out).toContain(`fingerprint ${fp}`);
  });

  it('bad inputs end with their exact error code', async () => {
    const [a, b, cc] = c.ops as [string, string, string, string];
    writeFileSync(join(a, 'wrong-pw.txt'), 'wrong\n');
    // a wrong password for the encrypted host key that opens the sealed state
    fails(await cli('dkg', 'round2', '--host-key', join(a, 'host-key.json'), '--password-file', join(a, 'wrong-pw.txt'), '--state', join(a, 'state-1.json'), '--collected', join(a, 'collected.json'), '--out', join(a, 'x.json'), '--state-out', join(a, 'y.json')), 'WRONG_PASSWORD');
    // another operator's host key does not open the sealed state
    fails(await cli('dkg', 'round2', '--host-key', join(cc, 'host-key.json'), '--state', join(b, 'state-1.json'), '--collected', join(b, 'collected.json'), '--out', join(b, 'x.json'), '--state-out', join(b, 'y.json')), 'WRONG_PASSWORD');
    // out of order: round 2 again on a round-2 state, or on the round-1 state round2 consumed (decision 0411: it is now
    // a `superseded` marker), finalize on it
    fails(await cli('dkg', 'round2', '--host-key', join(b, 'host-key.json'), '--state', join(b, 'state-2.json'), '--collected', join(b, 'collected.json'), '--out', join(b, 'x.json'), '--state-out', join(b, 'y.json')), 'DKG_WRONG_ROUND');
    const consumed = openState(JSON.parse(readFileSync(join(b, 'state-1.json'), 'utf8')), hostSecret(b));
    expect(consumed.step).toBe('superseded');
    expect(consumed.secret).toBeUndefined();
    expect(consumed.transcriptHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(mode(join(b, 'state-1.json'))).toBe(0o600);
    fails(await cli('dkg', 'round2', '--host-key', join(b, 'host-key.json'), '--state', join(b, 'state-1.json'), '--collected', join(b, 'collected.json'), '--out', join(b, 'x.json'), '--state-out', join(b, 'y.json')), 'DKG_WRONG_ROUND');
    fails(await cli('dkg', 'finalize', '--host-key', join(b, 'host-key.json'), '--state', join(b, 'state-1.json'), '--collected', join(b, 'collected.json'), '--final', join(b, 'final.json'), '--out', join(b, 'other-out'), '--insecure-keys'), 'DKG_WRONG_ROUND');
    // outputs are never overwritten
    fails(await cli('dkg', 'finalize', '--host-key', join(b, 'host-key.json'), '--state', join(b, 'state-2.json'), '--collected', join(b, 'collected.json'), '--final', join(b, 'final.json'), '--out', join(b, 'validator-keys'), '--insecure-keys'), 'OUTPUT_EXISTS');
    fails(await cli('dkg', 'keygen', '--out', join(b, 'host-key.json')), 'OUTPUT_EXISTS');
    // a definition other than the approved one
    fails(await cli('dkg', 'round1', '--definition', join(b, 'definition.json'), '--host-key', join(b, 'host-key.json'), '--ceremony-id', '0000-0000-0000-0000-0000', '--out', join(b, 'x.json'), '--state-out', join(b, 'y.json')), 'CEREMONY_MISMATCH');
    // every input is size-capped
    writeFileSync(join(b, 'huge-key.json'), ' '.repeat(70 * 1024));
    fails(await cli('dkg', 'enroll', '--draft', join(b, 'draft.json'), '--host-key', join(b, 'huge-key.json'), '--out', join(b, 'x.json')), 'LIMIT_EXCEEDED');
    // a host key file altered on disk
    const key = JSON.parse(readFileSync(join(b, 'host-key.json'), 'utf8'));
    writeFileSync(join(b, 'altered-key.json'), JSON.stringify({ ...key, publicKey: JSON.parse(readFileSync(join(cc, 'host-key.json'), 'utf8')).publicKey }), { mode: 0o600 });
    fails(await cli('dkg', 'enroll', '--draft', join(b, 'draft.json'), '--host-key', join(b, 'altered-key.json'), '--out', join(b, 'x.json')), 'KEY_MISMATCH');
    // the threshold gate of split applies: 2 of 4 could sign on both sides of a network split
    const pubs = c.ops.map((d) => JSON.parse(readFileSync(join(d, 'host-key.json'), 'utf8')).publicKey as string);
    fails(await cli('dkg', 'init', ...pubs.flatMap((p) => ['--operator', p]), '--threshold', '2', '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--out', join(c.coord, 'x.json')), 'UNSAFE_THRESHOLD');
    expect((await cli('dkg', 'shuffle')).code).toBe(2);
    expect(readdirSync(b).filter((f) => f === 'x.json' || f === 'y.json')).toEqual([]);
  });

  it('a round-1 message altered on its way to the coordinator only makes its sender a suspect', async () => {
    const files = c.ops.map((d) => join(d, 'round1.json'));
    const msg = JSON.parse(readFileSync(files[1]!, 'utf8'));
    msg.ciphertexts[2] = `${msg.ciphertexts[2].slice(0, -2)}${msg.ciphertexts[2].endsWith('00') ? '01' : '00'}`;
    writeFileSync(join(c.base, 'altered-round1.json'), JSON.stringify(msg));
    const line = fails(await collect1(c, [files[0]!, join(c.base, 'altered-round1.json'), files[2]!, files[3]!], 'collected-altered.json'), 'DKG_ABORTED');
    expect(line).toContain('suspect (the sender or the coordinator): participant 2 (bob);');
    expect(line).toContain(`evidence: ${join(c.coord, 'collected-altered.abort.json')}`);
  });

  it('a collected round 1 altered by the coordinator convicts the coordinator for its recipient; to others the evidence makes it a suspect', async () => {
    const collected = JSON.parse(readFileSync(join(c.coord, 'collected.json'), 'utf8'));
    const ct = collected.round1[0].ciphertexts[3];
    collected.round1[0].ciphertexts[3] = `${ct.slice(0, -2)}${ct.endsWith('00') ? '01' : '00'}`;
    writeFileSync(join(c.coord, 'collected-tampered.json'), JSON.stringify(collected));
    // dave's round-1 state was consumed by his round 2 and his journal refuses a second deal: his host key copied
    // without its journal (a restored backup, decision 0430) makes a fresh round-1 state (never sent) for this check
    const restored = join(c.base, 'dave-restored');
    mkdirSync(restored);
    carry(join(c.ops[3]!, 'host-key.json'), join(restored, 'host-key.json'));
    fails(await round1(c, 3, '-t'), 'DKG_ALREADY_DONE');
    ok(await round1(c, 3, '-t', restored));
    const line = fails(await round2(c, 3, join(c.coord, 'collected-tampered.json'), '-tampered', 'state-1-t.json', restored), 'DKG_ABORTED');
    expect(line).toContain('DKG aborted at round 2: culprit: the coordinator');
    const evidence = join(restored, 'ack-tampered.abort.json');
    expect(line).toContain(`evidence: ${evidence}`);
    // the coordinator signs nothing: whoever else checks the evidence only suspects it (decision 0413)
    const v = ok(await cli('dkg', 'verify-evidence', '--definition', join(c.ops[3]!, 'definition.json'), evidence));
    expect(v.out).toContain('Verdict: nothing proven, a message is missing or unsigned relayed data are bad; suspect (the sender or the coordinator): the coordinator');
    // no answer was given, so the fresh round-1 state is not consumed
    expect(openState(JSON.parse(readFileSync(join(restored, 'state-1-t.json'), 'utf8')), hostSecret(restored)).step).toBe('round1');
  });
});

describe('dvkeys dkg: cheats end with a one-line verdict and checkable evidence', () => {
  it('a dealer that sends two different round-1 messages is convicted of equivocation at collect', async () => {
    const c = await setup('equivocation');
    for (let i = 0; i < 4; i++) ok(await round1(c, i));
    // bob's journal refuses a second deal; a cheating bob runs round 1 again with a copy of his key and no journal
    fails(await round1(c, 1, '-again'), 'DKG_ALREADY_DONE');
    const cheat = join(c.base, 'bob-cheat');
    mkdirSync(cheat);
    carry(join(c.ops[1]!, 'host-key.json'), join(cheat, 'host-key.json'));
    ok(await round1(c, 1, '-again', cheat));
    const files = [...c.ops.map((d) => join(d, 'round1.json')), join(cheat, 'round1-again.json')];
    const line = fails(await collect1(c, files), 'DKG_ABORTED');
    expect(line).toContain('DKG aborted at collect round 1: culprit: participant 2 (bob);');
    expect(line).toContain('why: equivocation: participant 2 signed two different round-1 messages');
    const evidence = join(c.coord, 'collected.abort.json');
    expect(line).toContain(`evidence: ${evidence}`);
    const v = ok(await cli('dkg', 'verify-evidence', '--definition', join(c.ops[0]!, 'definition.json'), evidence));
    expect(v.out).toContain('Verdict: culprit: participant 2 (bob)');
    expect(v.out).toContain('Every evidence item verifies.');
    // an operator handed the abort report instead of a collected round 1 gets the verified verdict
    const dave = c.ops[3]!;
    const r = await cli('dkg', 'round2', ...hostKey(dave, 3), '--state', join(dave, 'state-1.json'), '--collected', carry(evidence, join(dave, 'abort.json')), '--out', join(dave, 'ack.json'), '--state-out', join(dave, 'state-2.json'));
    expect(fails(r, 'DKG_ABORTED')).toContain("DKG aborted at round 1 (the coordinator's abort report): culprit: participant 2 (bob)");
  });

  it('a dealer that sends one operator a bad share is convicted by that operator\'s complaint', async () => {
    const c = await setup('complaint');
    for (const i of [0, 2, 3]) ok(await round1(c, i));
    // bob deals carol a share that fails the Feldman check, properly signed with bob's host key
    const bob = JSON.parse(readFileSync(join(c.ops[1]!, 'host-key.json'), 'utf8'));
    const definition = JSON.parse(readFileSync(join(c.ops[1]!, 'definition.json'), 'utf8'));
    const bad = startRound1WithHooks(definition, Buffer.from(bob.secretKey.slice(2), 'hex'), {}, { share: (j, _v, s) => (j === 3 ? Fr.add(s, 1n) : s) });
    writeFileSync(join(c.ops[1]!, 'round1.json'), JSON.stringify(bad.message));
    ok(await collect1(c, c.ops.map((d) => join(d, 'round1.json'))));
    const replies: string[] = [];
    for (const i of [0, 2, 3]) {
      const r = await round2(c, i, join(c.coord, 'collected.json'));
      if (i === 2) {
        const line = fails(r, 'DKG_ABORTED');
        expect(line).toContain('DKG aborted at round 2: culprit: participant 2 (bob);');
        expect(line).toContain('why: invalid-share: participant 2\'s share of validator');
        expect(line).toContain(`send your complaint ${join(c.ops[2]!, 'ack.json')} to the coordinator`);
        ok(await cli('dkg', 'verify-evidence', '--definition', join(c.ops[2]!, 'definition.json'), join(c.ops[2]!, 'ack.abort.json')));
      } else ok(r);
      replies.push(join(c.ops[i]!, 'ack.json'));
    }
    const line = fails(await collect2(c, replies), 'DKG_ABORTED');
    expect(line).toContain('DKG aborted at collect round 2: culprit: participant 2 (bob);');
    expect(line).toContain('why: invalid-share:');
    const v = ok(await cli('dkg', 'verify-evidence', '--definition', join(c.ops[3]!, 'definition.json'), join(c.coord, 'final.abort.json'), '--json'));
    expect(JSON.parse(v.out).culprits).toEqual(['2']);
  });
});

describe('docs/formats/dkg-host-key.md', () => {
  it('shows exactly what the code writes, and both examples open to the same key', async () => {
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats', 'dkg-host-key.md'), 'utf8');
    const block = (name: string): string => {
      const m = new RegExp('```json host-key-example:' + name + '\\n([\\s\\S]*?)```').exec(doc);
      expect(m, name).not.toBeNull();
      return m![1]!;
    };
    const rng = insecureTestRng('docs/host-key');
    const secret = generateHostSecretKey(rng);
    expect(await hostKeyFileText(secret)).toBe(block('plain'));
    expect(await hostKeyFileText(secret, { password: 'example password', kdf: 'pbkdf2', insecure: true, rng })).toBe(block('encrypted'));
    const plain = await openHostKeyText(block('plain'), 'plain', undefined);
    const encrypted = await openHostKeyText(block('encrypted'), 'encrypted', 'example password\n');
    expect(bytesToHex(encrypted)).toBe(bytesToHex(plain));
  });
});
