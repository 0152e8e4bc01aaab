/**
 * Attack a19 (dkg serve, getting an honest party blamed): the server keeps at most two different messages of one
 * kind per sender, the second as evidence of an equivocation. An unauthenticated client that sees an honest
 * operator's round-1 message tries to make the store keep a second "different" message of that operator (a fake
 * equivocation that also takes its last slot): the same message with its keys reordered, its signature in
 * uppercase hex, one byte of a ciphertext changed, its index moved to another operator.
 *
 * DEFENDED: a stored message is named by sha256(kind:index:signature) and authenticated first; BIP-340 signatures
 * are not malleable, readHex accepts only lowercase 0x hex, and a changed field breaks the signature. Each variant
 * gets its exact status (409, 400, 403, 403) and the status still lists the operator once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Inbox, InboxRefusal } from '../../src/cli/commands/dkg-inbox.js';
import { ok, round1, setup, type Ceremony } from '../cli/dkg-helpers.js';

let c: Ceremony;
let inbox: Inbox;
let honest: Record<string, unknown>;
let stored: string;

beforeAll(async () => {
  c = await setup('a19');
  inbox = await Inbox.open(join(c.coord, 'inbox'), JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8')));
  ok(await round1(c, 0));
  honest = JSON.parse(readFileSync(join(c.ops[0]!, 'round1.json'), 'utf8')) as Record<string, unknown>;
  stored = await inbox.accept(honest);
}, 120_000);

async function refusal(value: unknown): Promise<{ status: number; message: string }> {
  try {
    await inbox.accept(value);
  } catch (e) {
    if (e instanceof InboxRefusal) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}

describe('a19: a third party cannot store a second message in an honest sender\'s name', () => {
  it('DEFENDED: the same message with its keys in another order is an exact replay (409)', async () => {
    const reordered = Object.fromEntries(Object.entries(honest).reverse());
    expect(await refusal(reordered)).toEqual({ status: 409, message: `already stored as ${stored}` });
  });

  it('DEFENDED: the signature in uppercase hex is malformed (400 naming round1.signature)', async () => {
    const sig = honest['signature'] as string;
    const r = await refusal({ ...honest, signature: `0x${sig.slice(2).toUpperCase()}` });
    expect(r.status).toBe(400);
    expect(r.message).toContain("'round1.signature'");
  });

  it('DEFENDED: one ciphertext byte changed is not the sender\'s signature (403)', async () => {
    const cts = structuredClone(honest['ciphertexts']) as string[];
    const ct = cts[1]!;
    const last = ct.at(-1) === '0' ? '1' : '0';
    cts[1] = `${ct.slice(0, -1)}${last}`;
    expect(await refusal({ ...honest, ciphertexts: cts })).toEqual({ status: 403, message: 'not signed by the host key the definition enrolls for participant 1' });
  });

  it('DEFENDED: the index moved to another operator is not that operator\'s signature (403)', async () => {
    expect(await refusal({ ...honest, index: 2 })).toEqual({ status: 403, message: 'not signed by the host key the definition enrolls for participant 2' });
  });

  it('DEFENDED: after every variant the store holds the operator once', () => {
    expect(inbox.size).toBe(1);
    expect(inbox.status().round1).toEqual([1]);
  });
});
