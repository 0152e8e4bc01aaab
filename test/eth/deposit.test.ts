/**
 * Deposit amounts, building deposits (secret key or external signature) and the deposit-file verifier's refusals:
 * each bad input expects one error code and the field it names.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { secretKeyToPublicKey, sign } from '../../src/bls/signature.js';
import {
  createDepositData,
  depositDataFromSignature,
  depositSigningRoot,
  FULL_DEPOSIT_AMOUNT,
  GWEI_PER_ETH,
  MAX_COMPOUNDING_DEPOSIT_AMOUNT,
  signDepositData,
  validateDepositAmounts,
} from '../../src/eth/deposit.js';
import {
  depositDataToJson,
  formatDepositDataFile,
  MAX_DEPOSIT_DATA_TEXT_LENGTH,
  parseDepositDataFile,
  verifyDepositData,
  type DepositDataJson,
} from '../../src/eth/deposit-file.js';
import { customNetwork } from '../../src/eth/networks.js';
import { depositMessageRoot } from '../../src/eth/ssz.js';
import { executionWithdrawalCredentials } from '../../src/eth/withdrawal.js';
import { hex, loadVector } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

const ETH = GWEI_PER_ETH;
const SK = hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');
const SK2 = hex('47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138');
const ADDRESS = hex('0f51bb10119727a7e5ea3538074fb341f56b09ad');
const WC01 = executionWithdrawalCredentials(ADDRESS, 'execution');
const WC02 = executionWithdrawalCredentials(ADDRESS, 'compounding');

const vectors = loadVector<{ cases: { deposit: DepositDataJson }[] }>('eth/deposit-data.json');
const mainnet = vectors.cases.find((c) => c.deposit.network_name === 'mainnet')!.deposit;
const mainnetEntry = (): DepositDataJson => ({ ...mainnet });

describe('deposit amounts', () => {
  it('accepts 32 ETH, partial deposits summing to 32 ETH or more, and 0x02 up to 2048 ETH', () => {
    expect(validateDepositAmounts([32n * ETH], 'execution')).toEqual([FULL_DEPOSIT_AMOUNT]);
    expect(validateDepositAmounts([1n * ETH, 31n * ETH], 'execution')).toHaveLength(2);
    expect(validateDepositAmounts([1_000_000_000, 32_000_000_000], 'bls')).toEqual([ETH, 32n * ETH]);
    expect(validateDepositAmounts([MAX_COMPOUNDING_DEPOSIT_AMOUNT], 'compounding')).toHaveLength(1);
    expect(validateDepositAmounts([1n * ETH], 'compounding', { topUp: true })).toHaveLength(1);
  });

  it.each([
    ['below 1 ETH', [ETH - 1n, 32n * ETH], 'execution', 'amounts[0]'],
    ['zero', [0n, 32n * ETH], 'execution', 'amounts[0]'],
    ['sum below 32 ETH', [1n * ETH, 30n * ETH], 'execution', 'amounts'],
    ['0x01 above 32 ETH', [33n * ETH], 'execution', 'amounts[0]'],
    ['0x00 above 32 ETH', [32n * ETH + 1n], 'bls', 'amounts[0]'],
    ['0x02 above 2048 ETH', [32n * ETH, MAX_COMPOUNDING_DEPOSIT_AMOUNT + 1n], 'compounding', 'amounts[1]'],
    ['a fraction', [1.5, 32n * ETH], 'execution', 'amounts[0]'],
    ['a string', ['32000000000'], 'execution', 'amounts[0]'],
    ['no amounts', [], 'execution', 'amounts'],
  ] as const)('refuses %s', (_what, amounts, kind, field) => {
    expectError(() => validateDepositAmounts(amounts, kind), 'AMOUNT_INVALID', field);
  });
});

describe('building deposit data', () => {
  it('signs with the key, and an external signature over depositSigningRoot gives the same entry', () => {
    const pubkey = secretKeyToPublicKey(SK);
    const message = { pubkey, withdrawalCredentials: WC02, amount: 64n * ETH };
    const bySecret = signDepositData(SK, message, 'hoodi');
    const external = depositDataFromSignature(message, sign(SK, depositSigningRoot(message, 'hoodi')), 'hoodi');
    expect(depositDataToJson([external])).toEqual(depositDataToJson([bySecret]));
    expect(verifyDepositData(depositDataToJson([bySecret]))).toHaveLength(1);
  });

  it('creates one entry per amount, in order, for a new validator', () => {
    const amounts = [ETH, 31n * ETH];
    const entries = createDepositData({ secretKey: SK, withdrawalCredentials: WC01, amounts, network: 'mainnet' });
    expect(entries.map((e) => e.amount)).toEqual([ETH, 31n * ETH]);
    expect(parseDepositDataFile(formatDepositDataFile(entries))).toHaveLength(2);
  });

  it('refuses a signature by another key, a pubkey that is not the key’s, and an unknown network', () => {
    const message = { pubkey: secretKeyToPublicKey(SK), withdrawalCredentials: WC01, amount: FULL_DEPOSIT_AMOUNT };
    const wrong = sign(SK2, depositSigningRoot(message, 'mainnet'));
    expectError(() => depositDataFromSignature(message, wrong, 'mainnet'), 'SIGNATURE_INVALID', 'signature');
    const otherDomain = sign(SK, depositSigningRoot(message, 'holesky'));
    expectError(() => depositDataFromSignature(message, otherDomain, 'mainnet'), 'SIGNATURE_INVALID', 'signature');
    expectError(() => signDepositData(SK2, message, 'mainnet'), 'KEY_MISMATCH', 'message.pubkey');
    expectError(() => signDepositData(SK, message, 'goerli'), 'NETWORK_UNKNOWN', 'network');
    const tooMuch = { ...message, amount: 33n * ETH };
    expectError(() => depositSigningRoot(tooMuch, 'mainnet'), 'AMOUNT_INVALID', 'message.amount');
  });

  it('signs for a custom network with its fork version, verified only when that network is given', () => {
    const devnet = customNetwork({ name: 'my-devnet', genesisForkVersion: hex('10000999') });
    const [entry] = createDepositData({ secretKey: SK, withdrawalCredentials: WC01, network: devnet });
    const json = depositDataToJson([entry!]);
    expect(json[0]!.network_name).toBe('my-devnet');
    expect(verifyDepositData(json, { network: devnet })).toHaveLength(1);
    expectError(() => verifyDepositData(json), 'NETWORK_UNKNOWN', 'deposit_data[0].fork_version');
    const reserved = () => customNetwork({ name: 'mainnet', genesisForkVersion: hex('00000000') });
    expectError(reserved, 'INVALID_ARGUMENT', 'network.name');
  });
});

function flipHex(h: string, at: number): string {
  const c = Number.parseInt(h[at]!, 16) ^ 1;
  return `${h.slice(0, at)}${c.toString(16)}${h.slice(at + 1)}`;
}

describe('verifying deposit files', () => {
  it('accepts the old eth2_network_name field of staking-deposit-cli < 1.2', () => {
    const { network_name, ...rest } = mainnetEntry();
    expect(verifyDepositData([{ ...rest, eth2_network_name: network_name }])).toHaveLength(1);
  });

  it('refuses a flipped signature byte, naming the entry’s signature', () => {
    const e = mainnetEntry();
    for (const at of [0, 2, 95, 191]) {
      const bad = { ...e, signature: flipHex(e.signature, at) };
      expectError(() => verifyDepositData([mainnetEntry(), bad]), 'SIGNATURE_INVALID', 'deposit_data[1].signature');
    }
  });

  it.each([
    ['deposit_message_root', 'deposit_message_root'],
    ['deposit_data_root', 'deposit_data_root'],
    ['pubkey', 'deposit_message_root'],
    ['withdrawal_credentials', 'deposit_message_root'],
  ] as const)('refuses a flipped %s byte (DEPOSIT_INVALID naming %s)', (key, field) => {
    const e = mainnetEntry();
    const bad = { ...e, [key]: flipHex(e[key], e[key].length - 1) };
    expectError(() => verifyDepositData([bad]), 'DEPOSIT_INVALID', `deposit_data[0].${field}`);
  });

  it('refuses a pubkey that is no valid point, even with matching roots', () => {
    const e = mainnetEntry();
    const pubkey = `c0${'00'.repeat(47)}`; // the identity: KeyValidate fails
    const wc = hex(e.withdrawal_credentials);
    const root = depositMessageRoot({ pubkey: hex(pubkey), withdrawalCredentials: wc, amount: 32n * ETH });
    const bad = { ...e, pubkey, deposit_message_root: bytesToHex(root) };
    expectError(() => verifyDepositData([bad]), 'POINT_AT_INFINITY', 'deposit_data[0].pubkey');
  });

  it.each<[string, (e: DepositDataJson) => Record<string, unknown>, string, string]>([
    ['an amount below 1 ETH', (e) => ({ ...e, amount: 999_999_999 }), 'AMOUNT_INVALID', 'amount'],
    ['an amount as a string', (e) => ({ ...e, amount: '32000000000' }), 'AMOUNT_INVALID', 'amount'],
    ['an unknown fork version', (e) => ({ ...e, fork_version: '00000099' }), 'NETWORK_UNKNOWN', 'fork_version'],
    ['a network name of another fork', (e) => ({ ...e, network_name: 'holesky' }), 'DEPOSIT_INVALID', 'network_name'],
    ['0x-prefixed hex', (e) => ({ ...e, pubkey: `0x${e.pubkey}` }), 'INVALID_HEX', 'pubkey'],
    ['uppercase hex', (e) => ({ ...e, signature: e.signature.toUpperCase() }), 'INVALID_HEX', 'signature'],
    ['a short root', (e) => ({ ...e, deposit_data_root: '00'.repeat(31) }), 'INVALID_LENGTH', 'deposit_data_root'],
    ['an unknown field', (e) => ({ ...e, extra: 1 }), 'INVALID_FORMAT', 'extra'],
    ['a missing field', ({ signature: _s, ...rest }) => rest, 'INVALID_FORMAT', 'signature'],
    ['both network name fields', (e) => ({ ...e, eth2_network_name: 'mainnet' }), 'INVALID_FORMAT', 'network_name'],
    ['an empty cli version', (e) => ({ ...e, deposit_cli_version: '' }), 'INVALID_FORMAT', 'deposit_cli_version'],
  ])('refuses %s', (_what, mutate, code, key) => {
    expectError(() => verifyDepositData([mainnetEntry(), mutate(mainnetEntry())]), code, `deposit_data[1].${key}`);
  });

  it('checks every entry against a given network', () => {
    const forHoodi = () => verifyDepositData([mainnetEntry()], { network: 'hoodi' });
    expectError(forHoodi, 'NETWORK_UNKNOWN', 'deposit_data[0].fork_version');
    expectError(() => verifyDepositData([mainnetEntry()], { network: 'nonet' }), 'NETWORK_UNKNOWN', 'network');
  });

  it('refuses a non-array, an empty file, too many entries, bad JSON and oversized text', () => {
    expectError(() => verifyDepositData(mainnetEntry()), 'INVALID_FORMAT', 'deposit_data');
    expectError(() => verifyDepositData([]), 'INVALID_FORMAT', 'deposit_data');
    const two = [mainnetEntry(), mainnetEntry()];
    expectError(() => verifyDepositData(two, { maxEntries: 1 }), 'LIMIT_EXCEEDED', 'deposit_data');
    expectError(() => parseDepositDataFile('[{'), 'INVALID_JSON', 'deposit_data');
    const huge = ' '.repeat(MAX_DEPOSIT_DATA_TEXT_LENGTH + 1);
    expectError(() => parseDepositDataFile(huge), 'LIMIT_EXCEEDED', 'deposit_data');
  });

  it('writes hex without 0x, lowercase, and amount as a JSON number', () => {
    const [entry] = createDepositData({ secretKey: SK, withdrawalCredentials: WC01, network: 'mainnet' });
    const text = formatDepositDataFile([entry!]);
    expect(text).toMatch(/"amount": 32000000000,/);
    expect(text).not.toMatch(/0x/);
    expect(JSON.parse(text)[0].pubkey).toBe(bytesToHex(secretKeyToPublicKey(SK)));
  });
});
