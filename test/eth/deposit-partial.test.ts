/**
 * Deposit partials (src/eth/deposit-partial.ts): any t operators' partials combine to exactly the deposit data the
 * whole key signs; the file parser is strict (one tamper, one code, the field named); a bad operator's partials
 * are refused naming its share id. Also generates the worked example of docs/formats/deposit-partial.md (run with
 * DVKEYS_UPDATE_EXAMPLES=1 to rewrite it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import { createDepositData } from '../../src/eth/deposit.js';
import { formatDepositDataFile, parseDepositDataFile } from '../../src/eth/deposit-file.js';
import {
  MAX_DEPOSIT_PARTIAL_ENTRIES,
  MAX_DEPOSIT_PARTIAL_TEXT_LENGTH,
  combineDepositPartials,
  depositPartialToJson,
  formatDepositPartialFile,
  parseDepositPartial,
  parseDepositPartialFile,
  signDepositPartial,
  type CombineDepositInput,
  type DepositPartial,
} from '../../src/eth/deposit-partial.js';
import { executionWithdrawalCredentials, parseExecutionAddress } from '../../src/eth/withdrawal.js';
import { split } from '../../src/sharing/shamir.js';
import { aggregatePartials } from '../../src/sharing/threshold-signature.js';
import { insecureTestRng } from '../helpers/rng.js';
import { hex } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

// Example inputs only: private keys of the bls12-381-tests sign vectors, and test polynomials.
const SK = hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');
const OTHER_SK = hex('47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138');
const PUBKEY = secretKeyToPublicKey(SK);
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const WC = executionWithdrawalCredentials(parseExecutionAddress(ADDRESS), 'execution');
const WC2 = executionWithdrawalCredentials(parseExecutionAddress(ADDRESS), 'compounding');
const PSI = 'PARTIAL_SIGNATURE_INVALID';

const sharing = split(SK, { threshold: 3, shares: 4, rng: insecureTestRng('deposit-partial') });
const other = split(OTHER_SK, { threshold: 3, shares: 4, rng: insecureTestRng('deposit-partial other') });
const otherPubkey = secretKeyToPublicKey(OTHER_SK);
const validators = [
  { pubkey: PUBKEY, publicShares: sharing.publicShares },
  { pubkey: otherPubkey, publicShares: other.publicShares },
];
// A repeated amount, and one above 32 ETH (0x02 credentials).
const AMOUNTS = [40_000_000_000n, 40_000_000_000n];
const cache = new Map<string, DepositPartial[]>();

/** Operator `id`'s partials: both validators, every amount, 0x02 credentials (memoised: signing is slow). */
function set(id: number, network = 'hoodi', amounts = AMOUNTS): DepositPartial[] {
  const key = `${id}/${network}/${amounts.join(',')}`;
  const made =
    cache.get(key) ??
    [sharing, other].flatMap((s, v) =>
      amounts.map((amount) =>
        signDepositPartial(s.shares[id - 1]!, { validatorPubkey: validators[v]!.pubkey, withdrawalCredentials: WC2, amount, network }),
      ),
    );
  cache.set(key, made);
  return made;
}

const combine =
  (sets: DepositPartial[][], extra: Partial<CombineDepositInput> = {}) =>
  () =>
    combineDepositPartials({ sets, network: 'hoodi', threshold: 3, validators, aggregate: aggregatePartials, ...extra });

describe('deposit partials', () => {
  const single = [SK, OTHER_SK].flatMap((secretKey) =>
    createDepositData({ secretKey, withdrawalCredentials: WC2, amounts: AMOUNTS, network: 'hoodi' }),
  );
  const sets = [1, 2, 3, 4].map((id) => set(id));

  it('any 3 of 4 operators (any order, through the file text) combine to the single-key deposit data', () => {
    for (const ids of [[1, 2, 3], [4, 2, 1], [3, 4, 2, 1]]) {
      const parsed = ids.map((id) => parseDepositPartialFile(formatDepositPartialFile(sets[id - 1]!), `p${id}`));
      const entries = combineDepositPartials({ sets: parsed, network: 'hoodi', threshold: 3, validators, aggregate: aggregatePartials });
      expect(formatDepositDataFile(entries)).toBe(formatDepositDataFile(single));
    }
  });

  it('refuses too few operators, a repeated share, a mixed set and a bad threshold', () => {
    expectError(combine(sets.slice(0, 2)), 'NOT_ENOUGH_SHARES', 'sets');
    expectError(combine([sets[0]!, sets[1]!, sets[0]!]), 'DUPLICATE_SHARE_ID', 'sets[2]', ['1']);
    expectError(combine([sets[0]!, [...sets[1]!, sets[2]![0]!], sets[3]!]), 'INVALID_FORMAT', 'sets[1]');
    expectError(combine([sets[0]!, [], sets[3]!]), 'INVALID_FORMAT', 'sets[1]');
    expectError(combine(sets, { threshold: 0 }), 'INVALID_THRESHOLD', 'threshold');
  });

  it('names every bad operator: wrong share, wrong network, wrong domain, other deposits', () => {
    const forged = set(3).map((p) => ({ ...p, shareId: sets[1]![0]!.shareId }));
    expectError(combine([sets[0]!, forged, sets[3]!]), PSI, 'sets[1]', ['2']);
    const mainnet = set(2, 'mainnet');
    expectError(combine([sets[0]!, mainnet, sets[2]!]), PSI, 'sets[1]', ['2']);
    const relabelled = mainnet.map((p) => ({ ...p, network: 'hoodi', forkVersion: hex('10000910') }));
    expectError(combine([sets[0]!, relabelled, sets[2]!]), PSI, 'sets[1]', ['2']);
    const fewer = set(4, 'hoodi', AMOUNTS.slice(0, 1));
    expectError(combine([sets[0]!, sets[1]!, sets[2]!, fewer]), PSI, 'sets[3]', ['4']);
    expectError(combine([sets[0]!, mainnet, sets[2]!, fewer]), PSI, 'sets[1]', ['2', '4']);
    const fewerShares = [validators[0]!, { ...validators[1]!, publicShares: other.publicShares.slice(0, 3) }];
    expectError(combine([sets[0]!, sets[1]!, sets[3]!], { validators: fewerShares }), PSI, 'sets[2]', ['4']);
  });

  it('refuses a tie, a validator outside the record, and public shares of another key', () => {
    const two = set(3, 'hoodi', AMOUNTS.slice(0, 1));
    const twoMore = set(4, 'hoodi', AMOUNTS.slice(0, 1));
    expectError(combine([sets[0]!, sets[1]!, two, twoMore]), 'INVALID_ARGUMENT', 'sets');
    expectError(combine(sets, { validators: [validators[0]!] }), 'CEREMONY_MISMATCH', 'deposits[2].validator_pubkey');
    // OTHER_SK's shares sign deposits of PUBKEY, and the record pairs PUBKEY with those shares: every partial
    // verifies under its public share, but the combination is not PUBKEY's signature.
    const record = [{ pubkey: PUBKEY, publicShares: other.publicShares }];
    const crossed = [1, 2, 3].map((id) => [
      signDepositPartial(other.shares[id - 1]!, { validatorPubkey: PUBKEY, withdrawalCredentials: WC, amount: 32_000_000_000n, network: 'hoodi' }),
    ]);
    expectError(combine(crossed, { validators: record }), 'SIGNATURE_INVALID', 'validators.publicShares');
  });
});

describe('deposit-partial file parsing', () => {
  const good = depositPartialToJson(set(2)[0]!);
  const parse = (edit: (j: Record<string, unknown>) => void) => () => {
    const j: Record<string, unknown> = { ...good };
    edit(j);
    return parseDepositPartial(j, 'p');
  };
  const cases: [string, (j: Record<string, unknown>) => void, string, string][] = [
    ['unknown field', (j) => (j.extra = 1), 'INVALID_FORMAT', 'p.extra'],
    ['missing field', (j) => delete j.amount, 'INVALID_FORMAT', 'p.amount'],
    ['other format', (j) => (j.format = 'dvkeys/exit-partial'), 'INVALID_FORMAT', 'p.format'],
    ['other version', (j) => (j.version = 2), 'INVALID_FORMAT', 'p.version'],
    ['network case', (j) => (j.network = 'Hoodi'), 'INVALID_FORMAT', 'p.network'],
    ['fork version of another network', (j) => (j.fork_version = '0x00000000'), 'NETWORK_UNKNOWN', 'p.fork_version'],
    ['pubkey without 0x', (j) => (j.validator_pubkey = (j.validator_pubkey as string).slice(2)), 'INVALID_HEX', 'p.validator_pubkey'],
    ['pubkey uppercase', (j) => (j.validator_pubkey = (j.validator_pubkey as string).toUpperCase().replace('0X', '0x')), 'INVALID_HEX', 'p.validator_pubkey'],
    ['share id 0', (j) => (j.share_id = '0'), 'INVALID_SHARE_ID', 'p.share_id'],
    ['share id with a leading zero', (j) => (j.share_id = '02'), 'INVALID_SHARE_ID', 'p.share_id'],
    ['share id as a number', (j) => (j.share_id = 2), 'INVALID_SHARE_ID', 'p.share_id'],
    ['credentials prefix 0x03', (j) => (j.withdrawal_credentials = `0x03${(j.withdrawal_credentials as string).slice(4)}`), 'DEPOSIT_INVALID', 'p.withdrawal_credentials'],
    ['amount below 1 ETH', (j) => (j.amount = '999999999'), 'AMOUNT_INVALID', 'p.amount'],
    ['amount as a number', (j) => (j.amount = 16_000_000_000), 'AMOUNT_INVALID', 'p.amount'],
    ['short signature', (j) => (j.signature = (j.signature as string).slice(0, -2)), 'INVALID_LENGTH', 'p.signature'],
  ];
  it.each(cases)('%s', (_name, edit, code, field) => {
    expectError(parse(edit), code, field);
  });

  it('accepts the good entry and a custom network name, and checks the whole file', () => {
    expect(parseDepositPartial(good, 'p').amount).toBe(40_000_000_000n);
    expect(parseDepositPartial({ ...good, network: 'my-devnet', fork_version: '0x12345678' }, 'p').network).toBe('my-devnet');
    const file = (x: unknown): (() => unknown) => () => parseDepositPartialFile(JSON.stringify(x), 'f');
    expectError(file([]), 'INVALID_FORMAT', 'f');
    expectError(file(good), 'INVALID_FORMAT', 'f');
    expectError(file([good, depositPartialToJson(set(3)[0]!)]), 'INVALID_FORMAT', 'f[1].share_id');
    expectError(file([good, depositPartialToJson(set(2, 'mainnet')[0]!)]), 'INVALID_FORMAT', 'f[1].network');
    expectError(file(new Array(MAX_DEPOSIT_PARTIAL_ENTRIES + 1).fill(good)), 'LIMIT_EXCEEDED', 'f');
    expectError(() => parseDepositPartialFile('[{', 'f'), 'INVALID_JSON', 'f');
    expectError(() => parseDepositPartialFile(' '.repeat(MAX_DEPOSIT_PARTIAL_TEXT_LENGTH + 1), 'f'), 'LIMIT_EXCEEDED', 'f');
  });
});

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats');

/** Compares (or with DVKEYS_UPDATE_EXAMPLES=1 rewrites) the fenced block after `<!-- example:name -->`. */
function checkExample(doc: string, name: string, text: string): void {
  const path = join(docs, doc);
  const source = readFileSync(path, 'utf8');
  const re = new RegExp(`(<!-- example:${name} -->\\n\`\`\`json\\n)([\\s\\S]*?)(\`\`\`)`);
  const m = re.exec(source);
  expect(m, `marker example:${name} in ${doc}`).not.toBeNull();
  if (process.env.DVKEYS_UPDATE_EXAMPLES === '1') {
    writeFileSync(path, source.replace(re, (_all, open: string, _body: string, close: string) => `${open}${text}${close}`));
    return;
  }
  expect(m![2]).toBe(text);
}

it('docs/formats/deposit-partial.md worked example', () => {
  // The same key, address and 2-of-3 test polynomial as the deposit-data.md and exit.md examples.
  const docSharing = split(SK, { threshold: 2, shares: 3, rng: insecureTestRng('docs/formats example') });
  const files = [1, 3].map((id) =>
    formatDepositPartialFile([
      signDepositPartial(docSharing.shares[id - 1]!, { validatorPubkey: PUBKEY, withdrawalCredentials: WC, amount: 32_000_000_000n, network: 'mainnet' }),
    ]),
  );
  const entries = combineDepositPartials({
    sets: files.map((f, i) => parseDepositPartialFile(f, `files[${i}]`)),
    network: 'mainnet',
    threshold: 2,
    validators: [{ pubkey: PUBKEY, publicShares: docSharing.publicShares }],
    aggregate: aggregatePartials,
  });
  const combined = formatDepositDataFile(entries);
  expect(combined).toBe(formatDepositDataFile(createDepositData({ secretKey: SK, withdrawalCredentials: WC, network: 'mainnet' })));
  expect(parseDepositDataFile(combined)).toHaveLength(1);
  checkExample('deposit-partial.md', 'deposit-partial', files[0]!);
  checkExample('deposit-partial.md', 'deposit-data', combined);
});
