/**
 * Issue 12, CLI end to end: a whole 3-of-4 ceremony of 2 validators over files including round 3 (deposit readiness):
 * no deposit-data.json anywhere before all n READY messages are collected (decision 0431), `dkg collect` writing it
 * beside its certificate, every operator writing its own from the certificate (`dkg deposit-data`), and
 * `dvkeys deposit verify`/`deposit sign` refusing a DKG's deposits without it; the attack "withheld final" (one
 * operator finalises from the relayed Acks alone, then recovers from the recovery data so written); tampered READY
 * messages and certificates with their exact code and culprit; 0x00 withdrawal credentials refused in one line.
 * Tiny KDF costs.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signReady } from '../../src/dkg/index.js';
import { carry, cli, collect2, fails, hostKey, hostSecret, honestRounds, ok, setup, type Ceremony } from './dkg-helpers.js';

const json = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;

describe('dvkeys dkg round 3 and finalisation from the Acks (issue 12)', () => {
  let c: Ceremony;
  let acks: string[];
  let folders: string[];
  let readies: string[];
  let cert: string;
  let depositDir: string;

  const readyCollect = (files: readonly string[], out: string, extra: string[] = []) =>
    cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), '--collected', join(c.coord, 'collected.json'), '--final', join(c.coord, 'final.json'), ...files, '--out', out, ...extra);

  it('attack "withheld final": the coordinator keeps final from dave, who finalises from the four relayed Acks alone', async () => {
    c = await setup('ready');
    acks = await honestRounds(c);
    ok(await collect2(c, acks));
    folders = [];
    for (const [i, dir] of c.ops.entries()) {
      const out = join(dir, 'validator-keys');
      const common = [...hostKey(dir, i), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), '--out', out, '--insecure-keys'];
      if (i < 3) {
        const r = ok(await cli('dkg', 'finalize', ...common, '--final', carry(join(c.coord, 'final.json'), join(dir, 'final.json'))));
        expect(r.out).toContain('Next, round 3: dvkeys dkg ready');
      } else {
        // dave never gets final.json: the Acks reach him from the other operators (in any order)
        const relayed = [2, 0, 3, 1].map((k) => carry(acks[k]!, join(dir, `relayed-ack-${k + 1}.json`)));
        const r = ok(await cli('dkg', 'finalize', ...common, ...relayed));
        expect(r.out).toContain('Finalized from the 4 relayed Ack file(s), without a final message,');
      }
      folders.push(out);
    }
    // the same folder bytes (but keystores) for every operator, dave included; no deposit data before round 3
    for (const f of ['ceremony.json', 'dkg-recovery.json']) expect(new Set(folders.map((d) => readFileSync(join(d, f), 'utf8'))).size).toBe(1);
    for (const d of folders) expect(readdirSync(d).sort()).toEqual(['ceremony.json', 'dkg-recovery.json', 'keystore-0.json', 'keystore-0.txt', 'keystore-1.json', 'keystore-1.txt']);
    expect(readdirSync(c.coord).filter((f) => f.includes('deposit'))).toEqual([]);
    ok(await cli('verify', folders[3]!));
  });

  it('dave recovers his folder from the recovery data his Ack-based finalize wrote (no final message from the coordinator)', async () => {
    const out = join(c.ops[3]!, 'recovered');
    ok(await cli('dkg', 'recover', ...hostKey(c.ops[3]!, 3), '--recovery', join(folders[3]!, 'dkg-recovery.json'), '--out', out, '--insecure-keys'));
    expect(readFileSync(join(out, 'ceremony.json'), 'utf8')).toBe(readFileSync(join(folders[0]!, 'ceremony.json'), 'utf8'));
    expect(existsSync(join(out, 'deposit-data.json'))).toBe(false);
  });

  it('finalize takes --final or the Acks, not both and not neither; fewer than n Acks name the missing sender', async () => {
    const dir = c.ops[2]!;
    const common = [...hostKey(dir, 2), '--state', join(dir, 'state-2.json'), '--collected', join(dir, 'collected.json'), '--insecure-keys'];
    const both = await cli('dkg', 'finalize', ...common, '--out', join(dir, 'x'), '--final', join(dir, 'final.json'), acks[0]!);
    expect(both.code).toBe(2);
    expect(both.err).toContain('give either --final FILE');
    expect((await cli('dkg', 'finalize', ...common, '--out', join(dir, 'y'))).code).toBe(2);
    const line = fails(await cli('dkg', 'finalize', ...common, '--out', join(dir, 'z'), acks[0]!, acks[1]!, acks[2]!), 'DKG_ABORTED');
    expect(line).toContain('suspect (the sender or the coordinator): participant 4 (dave)');
    expect(existsSync(join(dir, 'z'))).toBe(false);
    expect(json(join(dir, 'z.abort.json'))).toMatchObject({ format: 'dvkeys/dkg-abort', stage: 'round2' });
    ok(await cli('dkg', 'verify-evidence', '--definition', join(dir, 'definition.json'), join(dir, 'z.abort.json')));
  });

  it('each operator reads its folder back and signs READY; only then does the coordinator\'s collect write deposit-data.json, with its certificate', async () => {
    readies = [];
    for (const [i, dir] of c.ops.entries()) {
      const r = ok(await cli('dkg', 'ready', ...hostKey(dir, i), '--folder', folders[i]!, '--out', join(dir, 'ready.json')));
      expect(r.out).toContain(`Operator ${i + 1} of ceremony ${c.fingerprint} is ready`);
      expect(readFileSync(join(dir, 'host-key.json.journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event)).toEqual(['dealt', 'answered', 'ready']);
      readies.push(carry(join(dir, 'ready.json'), join(c.coord, `ready-${i + 1}.json`)));
    }
    const m = json(readies[1]!);
    expect(m).toMatchObject({ format: 'dvkeys/dkg-ready', version: 1, index: 2 });
    expect(m['manifestFingerprint']).toBe(`0x${JSON.parse(ok(await cli('verify', folders[0]!, '--json')).out).fingerprint}`);
    depositDir = join(c.coord, 'deposit');
    const r = ok(await readyCollect([...readies].reverse(), depositDir));
    expect(r.out).toContain('All 4 operators signed READY');
    expect(readdirSync(depositDir).sort()).toEqual(['deposit-certificate.json', 'deposit-data.json']);
    cert = join(depositDir, 'deposit-certificate.json');
    expect((json(cert)['signatures'] as unknown[]).map((s) => (s as { index: number }).index)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(readFileSync(join(depositDir, 'deposit-data.json'), 'utf8')).map((d: { deposit_data_root: string }) => `0x${d.deposit_data_root}`)).toEqual(json(cert)['depositDataRoots']);
  });

  it('each operator writes its own folder\'s deposit-data.json from the certificate, checked against its own recovery data', async () => {
    // a certificate lacking dave's READY is refused, and nothing is written into the folder
    const partial = json(cert) as { signatures: { index: number }[] };
    partial.signatures = partial.signatures.filter((s) => s.index !== 4);
    writeFileSync(join(c.ops[1]!, 'cert-3.json'), JSON.stringify(partial));
    const line = fails(await cli('dkg', 'deposit-data', '--folder', folders[1]!, '--certificate', join(c.ops[1]!, 'cert-3.json')), 'DKG_NOT_READY');
    expect(line).toContain('holds no READY signature of participant 4');
    expect(readdirSync(folders[1]!).filter((f) => f.startsWith('deposit'))).toEqual([]);
    for (const [i, dir] of c.ops.entries()) {
      const r = ok(await cli('dkg', 'deposit-data', '--folder', folders[i]!, '--certificate', carry(cert, join(dir, 'deposit-certificate.json'))));
      expect(r.out).toContain('The deposit certificate holds the READY signature of all 4 operators');
      expect(readFileSync(join(folders[i]!, 'deposit-data.json'), 'utf8')).toBe(readFileSync(join(depositDir, 'deposit-data.json'), 'utf8'));
      expect(readFileSync(join(folders[i]!, 'deposit-certificate.json'), 'utf8')).toBe(readFileSync(cert, 'utf8'));
    }
    // not twice (never overwrites), and dvkeys verify passes on the completed folder
    fails(await cli('dkg', 'deposit-data', '--folder', folders[0]!, '--certificate', cert), 'OUTPUT_EXISTS');
    const v = ok(await cli('verify', folders[2]!));
    expect(v.out).toContain('2 deposit(s): roots and signatures verify');
  });

  it('dvkeys deposit verify checks the certificate beside deposit-data.json, and says plainly when there is none', async () => {
    // a certificate names its own operators: without the agreed ceremony id it is refused in one line (decision 0424)
    const unanchored = fails(await cli('deposit', 'verify', join(depositDir, 'deposit-data.json')), 'DKG_CEREMONY_ID_REQUIRED');
    expect(unanchored).toContain('give --ceremony-id');
    // another ceremony's id: the certificate is not of the ceremony the operator trusts
    const otherId = `0x${'77'.repeat(32)}`;
    expect(fails(await cli('deposit', 'verify', join(depositDir, 'deposit-data.json'), '--ceremony-id', otherId), 'DKG_NOT_READY')).toContain(`is of ceremony ${c.fingerprint}, not of the trusted ${otherId}`);
    const withCert = ok(await cli('deposit', 'verify', join(depositDir, 'deposit-data.json'), '--ceremony-id', c.fingerprint));
    expect(withCert.out).toContain(`all 4 operators of ceremony ${c.fingerprint} signed READY for exactly`);
    expect(withCert.out).toContain('no ceremony.json beside it');
    // in an operator folder, beside ceremony.json: the fingerprint is compared too
    const inFolder = ok(await cli('deposit', 'verify', join(folders[1]!, 'deposit-data.json'), '--ceremony-id', c.fingerprint, '--json'));
    expect(JSON.parse(inFolder.out).certificate).toMatchObject({ operators: 4, manifestChecked: true });
    // beside a DKG's ceremony.json without the certificate: refused; with no ceremony.json at all: said plainly
    const bare = join(c.base, 'bare');
    mkdirSync(bare);
    copyFileSync(join(depositDir, 'deposit-data.json'), join(bare, 'deposit-data.json'));
    const none = ok(await cli('deposit', 'verify', join(bare, 'deposit-data.json')));
    expect(none.out).toContain('No deposit certificate');
    expect(none.out).toContain('do not deposit before round 3');
    expect(JSON.parse(ok(await cli('deposit', 'verify', join(bare, 'deposit-data.json'), '--json')).out).certificate).toBeNull();
    // --ceremony-id with no certificate to anchor would be ignored: refused
    expect((await cli('deposit', 'verify', join(bare, 'deposit-data.json'), '--ceremony-id', c.fingerprint)).code).toBe(2);
    copyFileSync(join(folders[0]!, 'ceremony.json'), join(bare, 'ceremony.json'));
    expect(fails(await cli('deposit', 'verify', join(bare, 'deposit-data.json')), 'DKG_NOT_READY')).toContain('belongs to a DKG (ceremony.json kind dkg) and has no deposit-certificate.json beside it');
  });

  it('deposit sign refuses a DKG folder before round 3 (no certificate) and signs once the certificate is there', async () => {
    const early = join(c.ops[3]!, 'recovered');
    const line = fails(await cli('deposit', 'sign', '--operator-dir', early, '--network', 'hoodi', '--out', join(c.ops[3]!, 'partial-early.json')), 'DKG_NOT_READY');
    expect(line).toContain('is a DKG folder without deposit-certificate.json');
    expect(existsSync(join(c.ops[3]!, 'partial-early.json'))).toBe(false);
    ok(await cli('deposit', 'sign', '--operator-dir', folders[3]!, '--network', 'hoodi', '--top-up', '--amount', '1', '--out', join(c.ops[3]!, 'partial.json')));
  });

  it('a tampered certificate fails deposit verify in one line with the exact code and culprit', async () => {
    const dir = join(c.base, 'tamper');
    mkdirSync(dir);
    copyFileSync(join(depositDir, 'deposit-data.json'), join(dir, 'deposit-data.json'));
    const good = json(cert) as { signatures: { index: number; signature: string }[]; manifestFingerprint: string; depositDataRoots: string[] };
    const cases: [string, (x: typeof good) => void, RegExp][] = [
      ['sig', (x) => (x.signatures[2]!.signature = flip(x.signatures[2]!.signature)), /the READY signature of participant 3 does not verify over its claim/],
      ['missing', (x) => (x.signatures = x.signatures.filter((s) => s.index !== 2)), /holds no READY signature of participant 2/],
      ['fingerprint', (x) => (x.manifestFingerprint = flip(x.manifestFingerprint)), /no READY signature of the certificate verifies over its claim/],
      ['root', (x) => (x.depositDataRoots[1] = flip(x.depositDataRoots[1]!)), /no READY signature of the certificate verifies over its claim/],
    ];
    for (const [name, edit, why] of cases) {
      const x = structuredClone(good);
      edit(x);
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(x));
      const line = fails(await cli('deposit', 'verify', join(dir, 'deposit-data.json'), '--certificate', join(dir, `${name}.json`), '--ceremony-id', c.fingerprint), 'DKG_NOT_READY');
      expect(line).toMatch(why);
    }
    // a valid certificate of the same ceremony beside other deposit data: the first differing root is named
    const other = JSON.parse(readFileSync(join(dir, 'deposit-data.json'), 'utf8')) as unknown[];
    writeFileSync(join(dir, 'swapped.json'), JSON.stringify([other[1], other[0]]));
    fails(await cli('deposit', 'verify', join(dir, 'swapped.json'), '--certificate', cert, '--ceremony-id', c.fingerprint), 'DKG_NOT_READY');
    // another ceremony.json given: the fingerprint differs
    writeFileSync(join(dir, 'ceremony.json'), `${readFileSync(join(folders[0]!, 'ceremony.json'), 'utf8')} `);
    expect(fails(await cli('deposit', 'verify', join(dir, 'deposit-data.json'), '--certificate', cert, '--ceremony-id', c.fingerprint), 'DKG_NOT_READY')).toContain('another ceremony.json');
  });

  it('collect of READY messages: missing ones make their senders suspects (not culprits); a READY over another folder convicts its signer; nothing is written', async () => {
    const out = join(c.coord, 'deposit-3');
    const line = fails(await readyCollect(readies.slice(0, 3), out), 'DKG_NOT_READY');
    expect(line).toContain('no deposit certificate, nothing written: nothing proven, a message is missing; suspect (the sender or the coordinator): participant 4 (dave) (missing: no validly signed READY from participant 4)');
    expect(line).not.toContain('culprit');
    expect(existsSync(out)).toBe(false);
    const two = fails(await readyCollect([readies[0]!, readies[2]!], out), 'DKG_NOT_READY');
    expect(two).toContain('suspects (the sender or the coordinator): participant 2 (bob), participant 4 (dave)');
    expect(existsSync(out)).toBe(false);
    // a READY validly signed by carol over other deposit roots (another folder, or other software): proof against her
    const good = json(readies[2]!) as { depositDataRoots: string[]; manifestFingerprint: string; transcriptHash: string };
    const forged = signReady(json(join(c.coord, 'definition.json')), hostSecret(c.ops[2]!), { ...good, depositDataRoots: [good.depositDataRoots[0]!, flip(good.depositDataRoots[1]!)] });
    writeFileSync(join(c.coord, 'ready-3-other.json'), JSON.stringify(forged));
    const conv = fails(await readyCollect([readies[0]!, readies[1]!, join(c.coord, 'ready-3-other.json'), readies[3]!], out), 'DKG_NOT_READY');
    expect(conv).toContain('culprit: participant 3 (carol) (ready-mismatch: participant 3 signed READY for other values (depositDataRoots[1])');
    expect(existsSync(out)).toBe(false);
    // carol's folder altered (one byte of ceremony.json): her ready step refuses to sign
    const bent = join(c.ops[2]!, 'bent');
    mkdirSync(bent);
    for (const f of ['ceremony.json', 'dkg-recovery.json', 'keystore-0.json', 'keystore-0.txt', 'keystore-1.json', 'keystore-1.txt']) copyFileSync(join(folders[2]!, f), join(bent, f));
    writeFileSync(join(bent, 'ceremony.json'), `${readFileSync(join(bent, 'ceremony.json'), 'utf8')} `);
    fails(await cli('dkg', 'ready', ...hostKey(c.ops[2]!, 2), '--folder', bent, '--out', join(c.ops[2]!, 'ready-bent.json')), 'CEREMONY_MISMATCH');
    // bob's folder given to carol's host key: not her shares
    fails(await cli('dkg', 'ready', ...hostKey(c.ops[2]!, 2), '--folder', folders[1]!, '--out', join(c.ops[2]!, 'ready-bob.json')), 'KEY_MISMATCH');
    // --final belongs to READY messages only
    const misuse = await cli('dkg', 'collect', '--definition', join(c.coord, 'definition.json'), '--collected', join(c.coord, 'collected.json'), '--final', join(c.coord, 'final.json'), ...acks, '--out', join(c.coord, 'final-2.json'));
    expect(misuse.code).toBe(2);
  });

  it('dkg enroll refuses a draft with 0x00 withdrawal credentials in one line naming the field (DKG_BLS_CREDENTIALS)', async () => {
    const draft = json(join(c.coord, 'draft.json')) as { validators: { withdrawalCredentials: string }[] };
    draft.validators[0]!.withdrawalCredentials = `0x00${'22'.repeat(31)}`;
    const path = join(c.ops[1]!, 'draft-bls.json');
    writeFileSync(path, JSON.stringify(draft));
    const line = fails(await cli('dkg', 'enroll', '--draft', path, ...hostKey(c.ops[1]!, 1), '--out', join(c.ops[1]!, 'enrollment-bls.json')), 'DKG_BLS_CREDENTIALS');
    expect(line).toContain("'draft.validators[0].withdrawalCredentials' are 0x00 (BLS) credentials");
    expect(existsSync(join(c.ops[1]!, 'enrollment-bls.json'))).toBe(false);
  });
});
