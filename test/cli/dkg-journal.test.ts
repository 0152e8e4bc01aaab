/**
 * Issue 12, the CLI half of "deal once, answer once": the host key journal (src/cli/journal.ts, decision 0430) and
 * the required --ceremony-id of round 1. Attacks reproduced: answering round 2 again from a copied round-1 state,
 * dealing twice; a locked or malformed journal is a clear error and nothing is written.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Journal, journalPath, parseJournal } from '../../src/cli/journal.js';
import { carry, cli, collect1, fails, ok, round1, round2, setup, type Ceremony } from './dkg-helpers.js';

let c: Ceremony;
beforeAll(async () => {
  c = await setup('journal');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const journalOf = (dir: string): string => journalPath(join(dir, 'host-key.json'));
const lines = (dir: string): Record<string, unknown>[] =>
  readFileSync(journalOf(dir), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('dvkeys dkg round1 needs the approved ceremony id', () => {
  it('refuses to deal without --ceremony-id (DKG_CEREMONY_ID_REQUIRED), writing nothing and journalling nothing', async () => {
    const dir = c.ops[2]!;
    const r = await cli('dkg', 'round1', '--definition', join(dir, 'definition.json'), '--host-key', join(dir, 'host-key.json'), '--out', join(dir, 'r.json'), '--state-out', join(dir, 's.json'));
    const line = fails(r, 'DKG_CEREMONY_ID_REQUIRED');
    expect(line).toContain(`this definition's is ${c.fingerprint}`);
    expect(existsSync(join(dir, 'r.json')) || existsSync(join(dir, 's.json')) || existsSync(journalOf(dir))).toBe(false);
  });
});

describe('the host key journal', () => {
  it('records the deal (fsynced) before the round-1 message exists, and refuses a second deal (DKG_ALREADY_DONE)', async () => {
    const seen: boolean[] = [];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
    const original = Journal.prototype.append;
    vi.spyOn(Journal.prototype, 'append').mockImplementation(async function (this: Journal, ...args: Parameters<Journal['append']>) {
      seen.push(existsSync(join(c.ops[0]!, 'round1.json')));
      await original.apply(this, args);
      // the entry is on disk and the message still is not
      seen.push(readFileSync(this.path, 'utf8').includes('"dealt"'), existsSync(join(c.ops[0]!, 'round1.json')));
    });
    ok(await round1(c, 0));
    expect(seen).toEqual([false, true, false]);
    vi.restoreAllMocks();
    for (let i = 1; i < 4; i++) ok(await round1(c, i));
    const entry = lines(c.ops[0]!);
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ version: 1, ceremonyId: expect.stringMatching(/^0x[0-9a-f]{64}$/), event: 'dealt' });
    expect(entry[0]!['hostPublicKey']).toBe(JSON.parse(readFileSync(join(c.ops[0]!, 'host-key.json'), 'utf8')).publicKey);
    const again = fails(await round1(c, 0, '-again'), 'DKG_ALREADY_DONE');
    expect(again).toContain('already dealt (round 1, digest');
    expect(existsSync(join(c.ops[0]!, 'round1-again.json')) || existsSync(join(c.ops[0]!, 'state-1-again.json'))).toBe(false);
    expect(lines(c.ops[0]!)).toHaveLength(1);
  });

  it('a copied round-1 state cannot answer round 2 a second time: the second answer is refused (DKG_ALREADY_DONE)', async () => {
    ok(await collect1(c, c.ops.map((d) => join(d, 'round1.json'))));
    const bob = c.ops[1]!;
    // the backup copy is taken before round 2 consumes the state file
    copyFileSync(join(bob, 'state-1.json'), join(bob, 'state-1-copy.json'));
    ok(await round2(c, 1, join(c.coord, 'collected.json')));
    const line = fails(await round2(c, 1, join(c.coord, 'collected.json'), '-copy', 'state-1-copy.json'), 'DKG_ALREADY_DONE');
    expect(line).toContain('already answered round 2 (transcript 0x');
    expect(line).toContain(journalOf(bob));
    expect(existsSync(join(bob, 'ack-copy.json')) || existsSync(join(bob, 'state-2-copy.json')) || existsSync(join(bob, 'ack-copy.abort.json'))).toBe(false);
    expect(lines(bob).map((e) => e['event'])).toEqual(['dealt', 'answered']);
    expect(lines(bob)[1]!['ref']).toBe(JSON.parse(readFileSync(join(bob, 'ack.json'), 'utf8')).transcriptHash);
  });

  it('also refuses the copy when the host key and state are carried to another folder with the journal', async () => {
    const bob = c.ops[1]!;
    const moved = join(c.base, 'bob-moved');
    mkdirSync(moved);
    for (const f of ['host-key.json', 'host-key.json.journal', 'state-1-copy.json']) carry(join(bob, f), join(moved, f));
    fails(await round2(c, 1, join(c.coord, 'collected.json'), '-moved', 'state-1-copy.json', moved), 'DKG_ALREADY_DONE');
  });

  it('a journal lock left behind is a clear error (DKG_JOURNAL_LOCKED), and nothing is written', async () => {
    const carol = c.ops[2]!;
    writeFileSync(`${journalOf(carol)}.lock`, '1\n');
    const line = fails(await round2(c, 2, join(c.coord, 'collected.json')), 'DKG_JOURNAL_LOCKED');
    expect(line).toContain(`${journalOf(carol)}.lock`);
    expect(readdirSync(carol).filter((f) => f.startsWith('ack') || f.startsWith('state-2'))).toEqual([]);
    // the step that failed on the lock leaves it in place (it is not its own)
    expect(existsSync(`${journalOf(carol)}.lock`)).toBe(true);
  });

  it.each([
    ['a line that is not JSON', (t: string) => `${t}not json\n`, 'line 2: not a JSON line'],
    ['an incomplete last line', (t: string) => t.slice(0, -5), 'line 1: the last line is incomplete'],
    ['an unknown field', (t: string) => t.replace('"version":1', '"version":1,"extra":0'), 'line 1: expected exactly the fields'],
    ['another host key', (t: string) => t.replace(/"hostPublicKey":"0x[0-9a-f]{2}/, '"hostPublicKey":"0x00'), 'line 1: it belongs to host key 0x00'],
    ['an unknown event', (t: string) => t.replace('"dealt"', '"shuffled"'), 'line 1: event is not one of'],
  ])('a malformed journal (%s) is a clear error (DKG_JOURNAL_INVALID), never ignored', async (_name, edit, message) => {
    const dave = c.ops[3]!;
    const path = journalOf(dave);
    const text = readFileSync(path, 'utf8');
    const lock = `${path}.lock`;
    rmSync(lock, { force: true });
    writeFileSync(path, edit(text));
    try {
      const line = fails(await round2(c, 3, join(c.coord, 'collected.json')), 'DKG_JOURNAL_INVALID');
      expect(line).toContain(message);
      expect(readdirSync(dave).filter((f) => f.startsWith('ack') || f.startsWith('state-2'))).toEqual([]);
      // the lock is released after the error
      expect(existsSync(lock)).toBe(false);
    } finally {
      writeFileSync(path, text);
    }
  });

  it('after the errors, the untouched journal lets dave answer once', async () => {
    ok(await round2(c, 3, join(c.coord, 'collected.json')));
    expect(lines(c.ops[3]!).map((e) => e['event'])).toEqual(['dealt', 'answered']);
  });
});

describe('parseJournal', () => {
  const pub = `0x${'11'.repeat(32)}`;
  const entry = (o: Record<string, unknown> = {}): string => `${JSON.stringify({ version: 1, hostPublicKey: pub, ceremonyId: `0x${'22'.repeat(32)}`, event: 'answered', time: '2026-12-07T02:00:00.000Z', ref: `0x${'33'.repeat(32)}`, ...o })}\n`;
  it('reads well-formed lines and refuses every malformed field with its line number', () => {
    expect(parseJournal('', 'j', pub)).toEqual([]);
    expect(parseJournal(entry() + entry({ event: 'ready' }), 'j', pub).map((e) => e.event)).toEqual(['answered', 'ready']);
    const bad: [string, string][] = [
      [entry() + entry({ version: 2 }), 'line 2: version is not 1'],
      [entry({ ceremonyId: '0x22' }), 'line 1: ceremonyId is not 0x-hex of 32 bytes'],
      [entry({ ref: 7 }), 'line 1: ref is not 0x-hex of 32 bytes'],
      [entry({ time: 'yesterday' }), 'line 1: time is not an ISO 8601 UTC time'],
      ['[]\n', 'line 1: not a JSON object'],
      ['\n', 'line 1: not a JSON line'],
    ];
    for (const [text, message] of bad) {
      expect(() => parseJournal(text, 'j', pub), message).toThrow(expect.objectContaining({ code: 'DKG_JOURNAL_INVALID', message: expect.stringContaining(message) }));
    }
  });
});
