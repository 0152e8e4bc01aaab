/**
 * `dvkeys split --layout charon|ssv` end to end (issue 8): a Charon cluster that dvkeys' verify and combine (as
 * `charon combine` does) accept, and an SSV keyshares.json whose shares decrypt with the operators' RSA keys and
 * recombine to the validator key.
 */
import { constants, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { decryptKeystore } from '../../src/keys/keystore.js';
import { parseKeystore } from '../../src/keys/keystore-format.js';
import { recoverSecret } from '../../src/sharing/shamir.js';
import { SecretBytes, toShareIndex } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { SECRETS, makeInputs } from '../helpers/inputs.js';

const ADDR = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
let root: string;
let inputs: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-layouts-'));
  inputs = join(root, 'in');
  mkdirSync(inputs);
  await makeInputs(inputs, 'pbkdf2', SECRETS.slice(0, 2));
});

describe('--layout charon', () => {
  it('writes node folders that verify and combine back to the original keys', async () => {
    const out = join(root, 'charon');
    const s = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', '--network', 'hoodi', '--withdrawal-address', ADDR, '--fee-recipient', ADDR, '--out', out, '--insecure-keys']);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toContain('Charon cluster of 4 nodes, threshold 3');
    const lock = JSON.parse(readFileSync(join(out, 'node2', 'cluster-lock.json'), 'utf8'));
    expect(lock.cluster_definition.version).toBe('v1.10.0');
    expect(readFileSync(join(out, 'node2', 'validator_keys', 'keystore-1.txt'), 'utf8')).toMatch(/^[0-9a-f]{32}$/);
    expect((await runCli(['verify', out])).code).toBe(0);
    expect((await runCli(['verify', join(out, 'node1')])).code).toBe(0);
    const back = join(root, 'charon-back');
    const c = await runCli(['combine', '--in', join(out, 'node3'), '--in', join(out, 'node0'), '--in', join(out, 'node2'), '--out', back, '--insecure-keys']);
    expect(c.code, c.err).toBe(0);
    for (let v = 0; v < 2; v++) {
      const ks = parseKeystore(readFileSync(join(back, `keystore-${v}.json`), 'utf8'));
      const secret = await decryptKeystore(ks, readFileSync(join(back, `keystore-${v}.txt`), 'utf8'));
      expect(Buffer.from(secret).toString('hex')).toBe(SECRETS[v]);
    }
  });

  it('combine refuses folders of two clusters and fewer than t nodes; verify fails on a tampered lock', async () => {
    const a = join(root, 'charon-a');
    const b = join(root, 'charon-b');
    for (const out of [a, b]) {
      expect((await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', '--network', 'hoodi', '--withdrawal-address', ADDR, '--fee-recipient', ADDR, '--out', out, '--insecure-keys'])).code).toBe(0);
    }
    const two = await runCli(['combine', '--in', join(a, 'node0'), '--in', join(a, 'node1'), '--in', join(b, 'node2'), '--out', join(root, 'x1')]);
    expect(two.code).toBe(1);
    expect(two.err).toMatch(/CEREMONY_MISMATCH/);
    const few = await runCli(['combine', '--in', join(a, 'node0'), '--in', join(a, 'node1'), '--out', join(root, 'x2')]);
    expect(few.code).toBe(1);
    expect(few.err).toMatch(/NOT_ENOUGH_SHARES/);
    const lockPath = join(a, 'node1', 'cluster-lock.json');
    writeFileSync(lockPath, readFileSync(lockPath, 'utf8').replace(/"fee_recipient_address": "0x[0-9a-fA-F]{40}"/, '"fee_recipient_address": "0x0000000000000000000000000000000000000001"'));
    const v = await runCli(['verify', join(a, 'node1')]);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAIL/);
  });

  it('needs its Ethereum options', async () => {
    const r = await runCli(['split', inputs, '--layout', 'charon', '--operators', '4', '--out', join(root, 'x3')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--network, --withdrawal-address and --fee-recipient/);
  });
});

describe('--layout ssv', () => {
  function rsaPair(): { privateKey: KeyObject; operatorKey: string } {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // SSV's form: the SPKI PEM relabelled "RSA PUBLIC KEY", then base64 of that text.
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY');
    return { privateKey, operatorKey: Buffer.from(pem).toString('base64') };
  }

  it('writes keyshares.json whose shares decrypt and recombine; SSV\'s operator count is enforced', async () => {
    const ids = [11, 22, 33, 44];
    const pairs = ids.map(() => rsaPair());
    const out = join(root, 'ssv');
    const spec = ids.map((id, i) => `${id}:${pairs[i]!.operatorKey}`).join(',');
    const s = await runCli(['split', join(inputs, 'keystore-0.json'), '--layout', 'ssv', '--ssv-operators', spec, '--owner-address', ADDR, '--owner-nonce', '3', '--out', out]);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toContain("SSV's rule: n = 3f+1 = 4, f = 1, threshold t = 2f+1 = 3");
    const file = JSON.parse(readFileSync(join(out, 'keyshares.json'), 'utf8'));
    const item = file.shares[0];
    expect(item.payload.operatorIds).toEqual(ids);
    // sharesData = 0x ‖ signature (96) ‖ share public keys (48 × 4) ‖ RSA ciphertexts (256 × 4)
    const enc: string[] = item.payload.sharesData.slice(2 + 96 * 2 + 4 * 48 * 2).match(/.{512}/g);
    const shares = enc.map((hex, i) => {
      // RSAES-PKCS1-v1_5 by hand over raw RSA (Node refuses PKCS#1 v1.5 private decryption since CVE-2023-46809)
      const em = privateDecrypt({ key: pairs[i]!.privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(hex, 'hex'));
      expect([em[0], em[1]]).toEqual([0, 2]);
      const plain = em.subarray(em.indexOf(0, 2) + 1).toString('utf8');
      return { id: toShareIndex(ids[i]!), secret: SecretBytes.copyOf(Buffer.from(plain.replace(/^0x/, ''), 'hex')) };
    });
    const key = recoverSecret([shares[3]!, shares[0]!, shares[2]!], 3);
    expect(Buffer.from(key).toString('hex')).toBe(SECRETS[0]);
    expect(item.data.publicKey).toBe(`0x${Buffer.from(secretKeyToPublicKey(Buffer.from(SECRETS[0]!, 'hex'))).toString('hex')}`);
    const five = [...spec.split(','), `55:${rsaPair().operatorKey}`].join(',');
    rmSync(join(root, 'ssv5'), { recursive: true, force: true });
    const bad = await runCli(['split', join(inputs, 'keystore-0.json'), '--layout', 'ssv', '--ssv-operators', five, '--owner-address', ADDR, '--owner-nonce', '3', '--out', join(root, 'ssv5')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/4, 7, 10 or 13/);
  });
});
