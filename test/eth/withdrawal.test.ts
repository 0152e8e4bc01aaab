/**
 * Withdrawal credentials and EIP-55 addresses. The checksum cases are the examples of EIP-55 ("Test Cases": all
 * caps, all lower, normal), CC0.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import {
  blsWithdrawalCredentials,
  executionWithdrawalCredentials,
  parseExecutionAddress,
  parseWithdrawalCredentials,
  toChecksumAddress,
} from '../../src/eth/withdrawal.js';
import { hex } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

const EIP55_NORMAL = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];
const EIP55_ALL_CAPS = ['0x52908400098527886E0F7030069857D2E4169EE7', '0x8617E340B3D01FA5F11F306F4090FD50E238070D'];
const EIP55_ALL_LOWER = ['0xde709f2102306220921060314715629080e2fb77', '0x27b1fdb04752bbc536007a920d24acb045561c26'];

describe('EIP-55 execution addresses', () => {
  it.each([...EIP55_NORMAL, ...EIP55_ALL_CAPS, ...EIP55_ALL_LOWER])('accepts %s and re-encodes its checksum', (a) => {
    const bytes = parseExecutionAddress(a);
    expect(bytesToHex(bytes)).toBe(a.slice(2).toLowerCase());
    if (EIP55_NORMAL.includes(a)) expect(toChecksumAddress(bytes)).toBe(a);
  });

  it('all-caps and all-lower examples checksum to a mixed-case form (so they carry no checksum)', () => {
    for (const a of [...EIP55_ALL_CAPS, ...EIP55_ALL_LOWER]) {
      const cs = toChecksumAddress(parseExecutionAddress(a));
      expect(cs.toLowerCase()).toBe(a.toLowerCase());
    }
  });

  it('refuses a mixed-case address with one letter flipped (bad checksum)', () => {
    const good = EIP55_NORMAL[0]!;
    const bad = `${good.slice(0, 3)}${good[3] === 'A' ? 'a' : 'A'}${good.slice(4)}`;
    const field = 'withdrawal_address';
    expectError(() => parseExecutionAddress(bad, field), 'WITHDRAWAL_ADDRESS_INVALID', field);
  });

  it.each([
    ['19 bytes', '0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea'],
    ['21 bytes', '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedaa'],
    ['no 0x', '5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'],
    ['not hex', '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg'],
    ['0X prefix', '0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'],
    ['a number', 42],
  ])('refuses %s', (_what, a) => {
    expectError(() => parseExecutionAddress(a, 'withdrawalAddress'), 'WITHDRAWAL_ADDRESS_INVALID', 'withdrawalAddress');
  });
});

describe('withdrawal credentials', () => {
  const addr = hex('0f51bb10119727a7e5ea3538074fb341f56b09ad');

  it('builds 0x01 and 0x02 credentials: prefix, 11 zero bytes, address', () => {
    const tail = `${'00'.repeat(11)}${bytesToHex(addr)}`;
    expect(bytesToHex(executionWithdrawalCredentials(addr))).toBe(`01${tail}`);
    expect(bytesToHex(executionWithdrawalCredentials(addr, 'compounding'))).toBe(`02${tail}`);
  });

  it('builds 0x00 credentials from a BLS withdrawal key: 0x00 ‖ sha256(pubkey)[1:] (KAT in deposit-vectors)', () => {
    const pk = hex('88b6b3a9b391fa5593e8bce8d06102df1a56248368086929709fbb4a8570dc6a560febeef8159b19789e9c1fd13572f0');
    const wc = blsWithdrawalCredentials(pk);
    expect(wc[0]).toBe(0);
    expect(parseWithdrawalCredentials(wc)).toEqual({ kind: 'bls', address: undefined });
  });

  it('decodes 0x01/0x02 and refuses other prefixes or non-zero padding', () => {
    expect(parseWithdrawalCredentials(executionWithdrawalCredentials(addr, 'compounding'))).toEqual({
      kind: 'compounding',
      address: addr,
    });
    const other = executionWithdrawalCredentials(addr);
    other[0] = 0x03;
    expectError(() => parseWithdrawalCredentials(other, 'wc'), 'DEPOSIT_INVALID', 'wc');
    const padded = executionWithdrawalCredentials(addr);
    padded[5] = 1;
    expectError(() => parseWithdrawalCredentials(padded, 'wc'), 'DEPOSIT_INVALID', 'wc');
    expectError(() => parseWithdrawalCredentials(new Uint8Array(31), 'wc'), 'INVALID_LENGTH', 'wc');
  });
});
