/**
 * Attack a18 (dkg serve, one client altering what another sees): the server caches each `GET …/messages/KIND`
 * answer under the store size (a13's defence). It read the size AFTER awaiting the file reads, so a message stored
 * while a list was being read was cached as if the stale list already held it: every later GET of that kind answered
 * the list without it until some other message arrived. A client that times a slow GET around an operator's push
 * (or plain bad luck at the last message of a round) hides that operator's message from everybody else, who then
 * wait on it and name it a suspect.
 *
 * Was SUCCEEDS (the second GET listed 1 of 2 stored round-1 messages). DEFENDED now: the size is taken before the
 * reads (src/cli/commands/dkg-serve.ts), so a list built during a store is cached under the older size and the next
 * GET rebuilds it. The race is made deterministic by holding the inbox's file reads on a gate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/cli/commands/dkg-inbox.js';
import { PROTOCOL_HEADER, startDkgServer, type RunningServer } from '../../src/cli/commands/dkg-serve.js';
import { parseDefinition } from '../../src/dkg/index.js';
import { cli, ok, round1, setup, type Ceremony } from '../cli/dkg-helpers.js';

const LIMITS = { maxBodyBytes: 256 * 1024, headersTimeoutMs: 30_000, requestTimeoutMs: 30_000, maxConnections: 16 };

let c: Ceremony;
let srv: RunningServer;
let inbox: Inbox;
let id: string;

beforeAll(async () => {
  c = await setup('a18');
  const definition = JSON.parse(readFileSync(join(c.coord, 'definition.json'), 'utf8'));
  id = parseDefinition(definition).idHex;
  inbox = await Inbox.open(join(c.coord, 'inbox'), definition);
  srv = await startDkgServer(inbox, '127.0.0.1', 0, LIMITS);
  for (let i = 0; i < 2; i++) ok(await round1(c, i));
  ok(await cli('dkg', 'push', '--coordinator', srv.url, join(c.ops[0]!, 'round1.json')));
}, 120_000);

afterAll(async () => {
  await srv?.close();
});

const list = async (): Promise<unknown[]> => {
  const r = await fetch(`${srv.url}/v1/ceremonies/${id}/messages/round1`, { headers: { [PROTOCOL_HEADER]: '1' } });
  expect(r.status).toBe(200);
  return (await r.json()) as unknown[];
};

describe('a18: a message stored while a list is read stays out of the cached list', () => {
  it('DEFENDED: the GET after a push that raced a GET lists the pushed message', async () => {
    // no list is cached yet: hold the first list's file reads until the second operator's message is stored
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const real = inbox.list.bind(inbox);
    inbox.list = async (kind) => {
      const out = real(kind);
      entered();
      await gate;
      return out;
    };
    const racing = list();
    await inside;
    const pushed = await fetch(`${srv.url}/v1/ceremonies/${id}/messages`, { method: 'POST', headers: { [PROTOCOL_HEADER]: '1', 'content-type': 'application/json' }, body: readFileSync(join(c.ops[1]!, 'round1.json'), 'utf8') });
    expect(pushed.status).toBe(201);
    expect(inbox.size).toBe(2);
    open();
    expect(await racing).toHaveLength(1); // the answer in flight may be the older list
    inbox.list = real;
    expect(await list()).toHaveLength(2);
    expect(await list()).toHaveLength(2);
  }, 60_000);
});
