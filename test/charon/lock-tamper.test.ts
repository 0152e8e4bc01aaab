/**
 * Tamper tests on real locks: each test changes one field and expects one error code naming one field.
 *
 * 1. Changed alone, every hashed field breaks the hash that covers it: config fields → config_hash, ENRs and
 *    EIP-712 signatures → definition_hash, distributed validators → lock_hash (and the unhashed signatures fail
 *    their own checks).
 * 2. Changed with all three hashes recomputed (what an attacker who cannot sign would do), the field's own check
 *    names it where one exists (shares, registrations, deposits, amounts, ENRs); otherwise the aggregate signature
 *    over the new lock_hash fails.
 * 3. Structural changes fail parsing with LOCK_INVALID / INVALID_HEX / INVALID_LENGTH at the field.
 */
import { describe, expect, it } from 'vitest';
import { parseClusterLock } from '../../src/charon/lock-parse.js';
import { assertClusterLock } from '../../src/charon/lock-verify.js';
import { insecureTestRng } from '../helpers/rng.js';
import { expectThrows, flipHex, getPath, lockJson, rehash, setPath, type Json } from './fixtures.js';

const GROUP = 'v1.10.0-hoodi-group-qbft'; // 4 signed operators, compounding, one validator, deposit_data_root
const V16 = 'v1.6.0-goerli-group'; // deposit_data inlined in the validator container
const OTHER = 'v1.10.0-hoodi-group-abft';

const D = 'cluster_definition';
const DV = 'distributed_validators[0]';
const PDD = `${DV}.partial_deposit_data[0]`;
const REG = `${DV}.builder_registration`;

type Change = (old: unknown, json: Json) => unknown;
const flip: Change = (v) => flipHex(v as string);
const other = (path: string, from = OTHER): Change => () => getPath(lockJson(from), path);
const SOLO = 'v1.10.0-holesky-solo-not-compounding'; // other node keys than the group clusters
/** Applies `change` and drops the Obol API's deposit_data_root, so the signature check is reached. */
const noRoot =
  (change: Change): Change =>
  (v, j) => {
    delete (getPath(j, PDD) as Json).deposit_data_root;
    return change(v, j);
  };

function verify(json: Json): void {
  assertClusterLock(parseClusterLock(json), { rng: insecureTestRng('tamper') });
}

function tampered(id: string, path: string, change: Change): Json {
  const json = lockJson(id);
  setPath(json, path, change(getPath(json, path), json));
  return json;
}

// [field, change, expected field of the failure]
const HASHED: readonly [string, Change, string][] = [
  [`${D}.name`, () => 'renamed', `${D}.config_hash`],
  [`${D}.uuid`, () => '6da0c05b-143a-4081-9f67-a7bc8b4c484d', `${D}.config_hash`],
  [`${D}.timestamp`, () => '2025-04-10T08:51:45.597Z', `${D}.config_hash`],
  [`${D}.threshold`, () => 4, `${D}.config_hash`],
  [`${D}.dkg_algorithm`, () => 'frost', `${D}.config_hash`],
  [`${D}.fork_version`, () => '0x00000000', `${D}.config_hash`],
  [`${D}.operators[1].address`, flip, `${D}.config_hash`],
  [`${D}.creator.address`, flip, `${D}.config_hash`],
  [`${D}.validators[0].fee_recipient_address`, flip, `${D}.config_hash`],
  [`${D}.validators[0].withdrawal_address`, flip, `${D}.config_hash`],
  [`${D}.deposit_amounts`, () => ['31000000000', '1000000000'], `${D}.config_hash`],
  [`${D}.consensus_protocol`, () => 'abft', `${D}.config_hash`],
  [`${D}.target_gas_limit`, () => 36000000, `${D}.config_hash`],
  [`${D}.compounding`, () => false, `${D}.config_hash`],
  [`${D}.config_hash`, flip, `${D}.config_hash`],
  [`${D}.operators[2].enr`, other(`${D}.operators[2].enr`, SOLO), `${D}.definition_hash`],
  [`${D}.operators[2].config_signature`, flip, `${D}.definition_hash`],
  [`${D}.operators[2].enr_signature`, flip, `${D}.definition_hash`],
  [`${D}.creator.config_signature`, flip, `${D}.definition_hash`],
  [`${D}.definition_hash`, flip, `${D}.definition_hash`],
  [`${DV}.distributed_public_key`, other(`${DV}.distributed_public_key`), 'lock_hash'],
  [`${DV}.public_shares[1]`, other(`${DV}.public_shares[1]`), 'lock_hash'],
  [`${REG}.message.fee_recipient`, () => '0x0000000000000000000000000000000000000001', 'lock_hash'],
  [`${REG}.message.gas_limit`, () => 30000001, 'lock_hash'],
  [`${REG}.message.timestamp`, () => 1742213401, 'lock_hash'],
  [`${REG}.message.pubkey`, other(`${DV}.distributed_public_key`), 'lock_hash'],
  [`${REG}.signature`, other(`${REG}.signature`), 'lock_hash'],
  [`${PDD}.pubkey`, other(`${DV}.distributed_public_key`), 'lock_hash'],
  [`${PDD}.withdrawal_credentials`, flip, 'lock_hash'],
  [`${PDD}.amount`, () => '31000000000', 'lock_hash'],
  [`${PDD}.signature`, other(`${PDD}.signature`), 'lock_hash'],
  ['lock_hash', flip, 'lock_hash'],
];

describe('tampering a hashed field breaks the hash that covers it', () => {
  it.each(HASHED)('%s', (path, change, field) => {
    expectThrows(() => verify(tampered(GROUP, path, change)), 'LOCK_HASH_MISMATCH', field);
  });

  it('covers every hashed field of a v1.10 lock (32 cases)', () => {
    expect(HASHED).toHaveLength(32);
  });

  it.each([
    [`${DV}.deposit_data.amount`, () => '16000000000'],
    [`${DV}.deposit_data.withdrawal_credentials`, flip],
    [`${DV}.deposit_data.signature`, other(`${PDD}.signature`)],
  ] as [string, Change][])('v1.6 inlined %s', (path, change) => {
    expectThrows(() => verify(tampered(V16, path, change)), 'LOCK_HASH_MISMATCH', 'lock_hash');
  });
});

describe('unhashed signatures fail their own checks', () => {
  it('signature_aggregate', () => {
    expectThrows(() => verify(tampered(GROUP, 'signature_aggregate', other('signature_aggregate'))), 'SIGNATURE_INVALID', 'signature_aggregate');
  });
  it.each([0, 3])('node_signatures[%i]', (i) => {
    expectThrows(() => verify(tampered(GROUP, `node_signatures[${i}]`, flip)), 'SIGNATURE_INVALID', `node_signatures[${i}]`);
  });
  it('node signature with v = 27 (Charon writes 0 or 1)', () => {
    const json = lockJson(GROUP);
    const sig = getPath(json, 'node_signatures[0]') as string;
    setPath(json, 'node_signatures[0]', sig.slice(0, -2) + (sig.endsWith('00') ? '1b' : '1c'));
    expectThrows(() => verify(json), 'SIGNATURE_INVALID', 'node_signatures[0]');
  });
});

// [field, change, expected code, expected field], each applied and then all hashes recomputed.
const REHASHED: readonly [string, Change, string, string][] = [
  [`${D}.threshold`, () => 4, 'DEGREE_CHECK_FAILED', `${DV}.public_shares`],
  [`${D}.threshold`, () => 2, 'DEGREE_CHECK_FAILED', `${DV}.public_shares`],
  [`${D}.deposit_amounts`, () => ['1000000000'], 'AMOUNT_INVALID', `${D}.deposit_amounts`],
  [`${D}.deposit_amounts`, () => ['4096000000000'], 'AMOUNT_INVALID', `${D}.deposit_amounts[0]`],
  [`${D}.validators[0].fee_recipient_address`, flip, 'LOCK_INVALID', `${REG}.message.fee_recipient`],
  [`${D}.validators[0].withdrawal_address`, flip, 'DEPOSIT_INVALID', `${PDD}.withdrawal_credentials`],
  [`${D}.compounding`, () => false, 'DEPOSIT_INVALID', `${PDD}.withdrawal_credentials`],
  [`${D}.fork_version`, () => '0x00000000', 'SIGNATURE_INVALID', `${REG}.signature`],
  [`${D}.operators[1].enr`, (v) => (v as string).slice(0, -2) + 'AA', 'SIGNATURE_INVALID', `${D}.operators[1].enr`],
  [`${D}.operators[1].enr`, other(`${D}.operators[1].enr`, SOLO), 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.operators[2].enr`, (_v, j) => getPath(j, `${D}.operators[0].enr`), 'LOCK_INVALID', `${D}.operators[2].enr`],
  [`${DV}.public_shares[1]`, other(`${DV}.public_shares[1]`), 'DEGREE_CHECK_FAILED', `${DV}.public_shares[1]`],
  [`${DV}.public_shares[2]`, (_v, j) => getPath(j, `${DV}.public_shares[0]`), 'DUPLICATE_SHARE_ID', `${DV}.public_shares[2]`],
  [`${DV}.public_shares[0]`, flip, 'POINT_NOT_IN_SUBGROUP', `${DV}.public_shares[0]`],
  [`${DV}.public_shares[0]`, (v) => `0x0${(v as string).slice(3)}`, 'INVALID_POINT', `${DV}.public_shares[0]`],
  [`${DV}.distributed_public_key`, other(`${DV}.distributed_public_key`), 'DEGREE_CHECK_FAILED', `${DV}.public_shares`],
  [`${REG}.message.pubkey`, other(`${DV}.distributed_public_key`), 'LOCK_INVALID', `${REG}.message.pubkey`],
  [`${REG}.message.gas_limit`, () => 30000001, 'SIGNATURE_INVALID', `${REG}.signature`],
  [`${REG}.message.timestamp`, () => 1742213401, 'SIGNATURE_INVALID', `${REG}.signature`],
  [`${REG}.signature`, other(`${REG}.signature`), 'SIGNATURE_INVALID', `${REG}.signature`],
  [`${PDD}.pubkey`, other(`${DV}.distributed_public_key`), 'DEPOSIT_INVALID', `${PDD}.pubkey`],
  [`${PDD}.amount`, () => '31000000000', 'DEPOSIT_INVALID', `${PDD}.deposit_data_root`],
  [`${PDD}.amount`, noRoot(() => '31000000000'), 'SIGNATURE_INVALID', `${PDD}.signature`],
  [`${PDD}.amount`, () => '4096000000000', 'AMOUNT_INVALID', `${PDD}.amount`],
  [`${PDD}.signature`, noRoot(other(`${PDD}.signature`)), 'SIGNATURE_INVALID', `${PDD}.signature`],
  [`${PDD}.deposit_data_root`, (v) => flipHex(v as string), 'DEPOSIT_INVALID', `${PDD}.deposit_data_root`],
  [`${D}.name`, () => 'renamed', 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.uuid`, () => 'renamed', 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.timestamp`, () => '2025-04-10T08:51:45.597Z', 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.consensus_protocol`, () => 'abft', 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.target_gas_limit`, () => 36000000, 'SIGNATURE_INVALID', 'signature_aggregate'],
  [`${D}.operators[2].config_signature`, flip, 'SIGNATURE_INVALID', 'signature_aggregate'],
];

describe('tampering with the hashes recomputed names the field', () => {
  it.each(REHASHED.map(([path, change, code, field], i) => [i, path, code, field, change] as const))('#%i %s → %s at %s', (_i, path, code, field, change) => {
    const json = tampered(GROUP, path, change);
    // deposit_data_root is not hashed; the others need the attacker's re-hash.
    expectThrows(() => verify(path.endsWith('deposit_data_root') ? json : rehash(json)), code, field);
  });

  it('strict mode names a changed EIP-712 signature itself', () => {
    const json = rehash(tampered(GROUP, `${D}.operators[2].config_signature`, flip));
    expectThrows(
      () => assertClusterLock(parseClusterLock(json), { strictOperatorSignatures: true, rng: insecureTestRng(1) }),
      'SIGNATURE_INVALID',
      `${D}.operators[2].config_signature`,
    );
  });

  it('a mix of signed and unsigned operators is refused', () => {
    const json = tampered(GROUP, `${D}.operators[1].config_signature`, () => '');
    setPath(json, `${D}.operators[1].enr_signature`, '');
    setPath(json, `${D}.operators[1].address`, '');
    expectThrows(() => verify(rehash(json)), 'LOCK_INVALID', `${D}.operators[1].config_signature`);
  });
});

describe('structural changes fail parsing at the field', () => {
  const cases: readonly [string, Change, string, string][] = [
    [`${D}.version`, () => 'v1.5.0', 'LOCK_INVALID', `${D}.version`],
    [`${D}.version`, () => 'v1.9.0', 'LOCK_INVALID', `${D}.target_gas_limit`],
    [`${D}.num_validators`, () => 2, 'LOCK_INVALID', `${D}.validators`],
    [`${D}.threshold`, () => 5, 'LOCK_INVALID', `${D}.threshold`],
    [`${D}.threshold`, () => '3', 'LOCK_INVALID', `${D}.threshold`],
    [`${D}.fork_version`, () => '0x000000', 'INVALID_LENGTH', `${D}.fork_version`],
    [`${D}.fork_version`, () => '00000000', 'INVALID_HEX', `${D}.fork_version`],
    [`${D}.operators[0].address`, () => '0x1234', 'LOCK_INVALID', `${D}.operators[0].address`],
    [`${D}.operators[0].config_signature`, (v) => (v as string).slice(0, -2), 'LOCK_INVALID', `${D}.operators[0].config_signature`],
    [`${D}.deposit_amounts`, () => [32000000000], 'LOCK_INVALID', `${D}.deposit_amounts[0]`],
    [`${D}.deposit_amounts`, () => ['032000000000'], 'LOCK_INVALID', `${D}.deposit_amounts[0]`],
    [`${D}.compounding`, () => 'true', 'LOCK_INVALID', `${D}.compounding`],
    [`${D}.extra`, () => 1, 'LOCK_INVALID', `${D}.extra`],
    [`${DV}.public_shares`, (v) => (v as unknown[]).slice(1), 'LOCK_INVALID', `${DV}.public_shares`],
    [`${DV}.public_shares[3]`, (v) => (v as string).toUpperCase().replace('0X', '0x'), 'INVALID_HEX', `${DV}.public_shares[3]`],
    [`${DV}.deposit_data`, () => ({}), 'LOCK_INVALID', `${DV}.deposit_data`],
    [`${PDD}.amount`, () => 32000000000, 'LOCK_INVALID', `${PDD}.amount`],
    [`${REG}.message.gas_limit`, () => 2 ** 53, 'LOCK_INVALID', `${REG}.message.gas_limit`],
    ['node_signatures', (v) => (v as unknown[]).slice(1), 'LOCK_INVALID', 'node_signatures'],
    ['node_signatures[0]', (v) => (v as string).slice(0, -2), 'INVALID_LENGTH', 'node_signatures[0]'],
    ['signature_aggregate', () => '', 'INVALID_HEX', 'signature_aggregate'],
  ];
  it.each(cases.map(([path, change, code, field], i) => [i, path, code, change, field] as const))('#%i %s → %s', (_i, path, code, change, field) => {
    expectThrows(() => parseClusterLock(tampered(GROUP, path, change)), code, field);
  });

  it('refuses node_signatures in a v1.6 lock and a missing deposit_data', () => {
    expectThrows(() => parseClusterLock({ ...lockJson(V16), node_signatures: [] }), 'LOCK_INVALID', 'lock.node_signatures');
    const json = lockJson(V16);
    delete ((json.distributed_validators as Json[])[0]!).deposit_data;
    expectThrows(() => parseClusterLock(json), 'LOCK_INVALID', `${DV}.deposit_data`);
  });

  it('caps list sizes', () => {
    const json = lockJson(GROUP);
    setPath(json, `${D}.deposit_amounts`, Array.from({ length: 257 }, () => '1000000000'));
    expectThrows(() => parseClusterLock(json), 'LIMIT_EXCEEDED', `${D}.deposit_amounts`);
    setPath(json, `${D}.num_validators`, 20000);
    expectThrows(() => parseClusterLock(json), 'LIMIT_EXCEEDED', `${D}.num_validators`);
  });
});
