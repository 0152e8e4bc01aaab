/**
 * The deposit certificate check of a DKG operator folder in verifyCeremony (src/ceremony/deposit-certificate.ts,
 * decision 0906; attacks a14, a16): the check the CLI's `dvkeys verify` and the web page both run. Each tamper
 * changes one thing and expects the exact code, culprits and reason of the certificate line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { checkDepositCertificate } from '../../src/ceremony/deposit-certificate.js';
import { verifyCeremony, type VerifyLine } from '../../src/ceremony/verify.js';
import { dkgFolder, DKG_SHARE_PASSWORD, type DkgFolder } from '../helpers/dkg-folder.js';

let d: DkgFolder;
beforeAll(async () => {
  d = await dkgFolder('core certificate check');
}, 120_000);

const flip = (h: string): string => `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`;
const manifestText = (files: ReadonlyMap<string, Uint8Array>): string => new TextDecoder().decode(files.get('ceremony.json'));

async function verify(files: Map<string, Uint8Array>): Promise<{ ok: boolean; cert: VerifyLine | undefined }> {
  const r = await verifyCeremony({ manifestText: manifestText(files), manifestSource: 'op2/ceremony.json', folders: [{ label: 'op2', files }], wholeTree: false, password: DKG_SHARE_PASSWORD, expectedFingerprint: d.fingerprint });
  return { ok: r.ok, cert: r.lines.find((l) => l.subject === 'deposit-certificate.json') };
}

function withCert(edit: (c: DkgFolder['certificate']) => void): Map<string, Uint8Array> {
  const c = structuredClone(d.certificate);
  edit(c);
  return new Map([...d.files, ['deposit-certificate.json', utf8(JSON.stringify(c))]]);
}

function without(name: string): Map<string, Uint8Array> {
  const files = new Map(d.files);
  files.delete(name);
  return files;
}

const operatorName = (index: number): string => (JSON.parse(manifestText(d.files)) as { operators: { index: number; name: string }[] }).operators.find((o) => o.index === index)!.name;
const failure = (l: VerifyLine | undefined) => ({ status: l?.status, code: l?.code, culprits: l?.culprits, detail: l?.detail });

describe('verifyCeremony: the deposit certificate of a DKG operator folder', () => {
  it('an honest folder: every check passes, the certificate line among them', async () => {
    const r = await verify(d.files);
    expect(r.cert).toEqual({ check: 'files', subject: 'deposit-certificate.json', status: 'pass', detail: 'every operator signed READY for these 1 deposit(s) and this ceremony.json' });
    expect(r.ok).toBe(true);
  });

  it('no certificate: DKG_NOT_READY naming the file, the report fails', async () => {
    const r = await verify(without('deposit-certificate.json'));
    expect(failure(r.cert)).toEqual({ status: 'fail', code: 'DKG_NOT_READY', culprits: undefined, detail: 'op2 is a DKG folder without deposit-certificate.json: no deposits before all operators signed READY (round 3: dvkeys dkg ready, then dkg deposit-data)' });
    expect(r.ok).toBe(false);
  });

  it('no recovery data: DKG_NOT_READY (nothing anchors the certificate)', async () => {
    const r = await verify(without('dkg-recovery.json'));
    expect(failure(r.cert)).toEqual({ status: 'fail', code: 'DKG_NOT_READY', culprits: undefined, detail: 'op2 has no dkg-recovery.json: nothing this folder holds says which ceremony its deposit-certificate.json must be of' });
    expect(r.ok).toBe(false);
  });

  it('the READY of operator 3 removed: DKG_NOT_READY blaming operator 3', async () => {
    const r = await verify(withCert((c) => (c.signatures = c.signatures.filter((s) => s.index !== 3))));
    // the culprit by the operator's name in ceremony.json, as verify's other lines name them
    expect(failure(r.cert)).toEqual({ status: 'fail', code: 'DKG_NOT_READY', culprits: [operatorName(3)], detail: 'the deposit certificate holds no READY signature of participant 3: not every operator confirmed these deposits' });
    expect(r.ok).toBe(false);
  });

  it('the READY signature of operator 1 forged: DKG_NOT_READY blaming operator 1', async () => {
    const r = await verify(withCert((c) => (c.signatures[0]!.signature = flip(c.signatures[0]!.signature))));
    expect(failure(r.cert)).toEqual({ status: 'fail', code: 'DKG_NOT_READY', culprits: [operatorName(1)], detail: 'the deposit certificate the READY signature of participant 1 does not verify over its claim: not every operator confirmed these deposits' });
    expect(r.ok).toBe(false);
  });

  it('deposit-data.json renamed as an added range (a16) and no certificate: still checked, DKG_NOT_READY', async () => {
    const files = without('deposit-certificate.json');
    files.set('deposit-data-0-1.json', files.get('deposit-data.json')!);
    files.delete('deposit-data.json');
    const r = await verify(files);
    expect(failure(r.cert)).toEqual({ status: 'fail', code: 'DKG_NOT_READY', culprits: undefined, detail: 'op2 is a DKG folder without deposit-certificate.json: no deposits before all operators signed READY (round 3: dvkeys dkg ready, then dkg deposit-data)' });
    expect(r.ok).toBe(false);
  });

  it('a certified root altered after signing: DKG_NOT_READY blaming the coordinator (who assembled it)', () => {
    const deposits = JSON.parse(new TextDecoder().decode(d.files.get('deposit-data.json'))) as { deposit_data_root: string }[];
    const root = deposits[0]!.deposit_data_root;
    // the certificate's expectation only (the deposit file's own checks are verify's deposit line)
    const c = structuredClone(d.certificate) as unknown as { depositDataRoots: string[] };
    c.depositDataRoots[0] = `0x${flip(root.replace(/^0x/, ''))}`;
    const line = checkDepositCertificate(manifestText(d.files), { label: 'op2', files: new Map([...d.files, ['deposit-certificate.json', utf8(JSON.stringify(c))]]) });
    expect(line).toEqual({ check: 'files', subject: 'deposit-certificate.json', status: 'fail', code: 'DKG_NOT_READY', culprits: ['coordinator'], detail: 'no READY signature of the certificate verifies over its claim: the claim was altered after signing (or the certificate assembled wrongly)' });
  });

  it('a folder without deposit data: no certificate line (nothing to deposit yet)', async () => {
    const files = without('deposit-data.json');
    files.delete('deposit-certificate.json');
    expect(checkDepositCertificate(manifestText(files), { label: 'op2', files })).toBeUndefined();
    expect((await verify(files)).ok).toBe(true);
  });
});
