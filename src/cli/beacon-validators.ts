/**
 * `exit sign --validators-file` (issue 13, "Exits against the right validator"; decision 0807): the validator list
 * a beacon node returns for `GET /eth/v1/beacon/states/{state_id}/validators` (Beacon API, `{"data": [{"index",
 * "validator": {"pubkey", …}, …}]}`), saved by the user, checks that every `--validator-index` is the validator
 * of ceremony.json it is about to exit. Without the file, on a terminal the index-to-pubkey table is shown and
 * the operator types `yes`; an exit signed for the wrong index exits someone else's validator for good.
 *
 * @module
 */
import { bytesToHex } from '../bytes.js';
import { DvkeysError } from '../errors.js';
import { parseJsonText } from '../json.js';
import type { CliIo } from './io.js';

/** Largest validator list read: the cluster's validators fetched by id, not the whole chain (which is ~500 MB). */
export const MAX_VALIDATORS_FILE_BYTES = 64 * 1024 * 1024;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Index → pubkey (lowercase 0x hex) from a beacon node's validator list: the API response object or its `data`
 * array. Other fields are ignored.
 * @throws DvkeysError `INVALID_FORMAT` naming the entry (no index or pubkey, one index twice with two pubkeys).
 */
export function parseBeaconValidators(text: string, file: string): Map<bigint, string> {
  const json = parseJsonText(text, MAX_VALIDATORS_FILE_BYTES, file);
  const list = Array.isArray(json) ? json : isObject(json) ? json['data'] : undefined;
  if (!Array.isArray(list)) {
    throw new DvkeysError('INVALID_FORMAT', `${file} is not a beacon node's validator list: expected {"data": [{"index": "…", "validator": {"pubkey": "0x…"}}]}, as GET /eth/v1/beacon/states/head/validators returns`, { field: file });
  }
  const byIndex = new Map<bigint, string>();
  list.forEach((entry: unknown, i) => {
    const at = `${file}: data[${i}]`;
    const index = isObject(entry) ? entry['index'] : undefined;
    const validator = isObject(entry) ? entry['validator'] : undefined;
    const pubkey = isObject(validator) ? validator['pubkey'] : undefined;
    if (typeof index !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(index) || BigInt(index) >= 1n << 64n) {
      throw new DvkeysError('INVALID_FORMAT', `${at}.index is not a validator index (a decimal string)`, { field: `${at}.index` });
    }
    if (typeof pubkey !== 'string' || !/^0x[0-9a-fA-F]{96}$/.test(pubkey)) {
      throw new DvkeysError('INVALID_FORMAT', `${at}.validator.pubkey is not a 48-byte 0x-hex public key`, { field: `${at}.validator.pubkey` });
    }
    const key = BigInt(index);
    const before = byIndex.get(key);
    if (before !== undefined && before !== pubkey.toLowerCase()) {
      throw new DvkeysError('INVALID_FORMAT', `${at}: index ${index} appears twice with different pubkeys`, { field: `${at}.index` });
    }
    byIndex.set(key, pubkey.toLowerCase());
  });
  return byIndex;
}

/** One exit about to be signed: ceremony.json's validator position, its pubkey and the index given for it. */
export interface PlannedExit {
  readonly validator: number;
  readonly pubkey: Uint8Array;
  readonly index: bigint;
}

/**
 * Checks every planned exit's index against the beacon node's list before anything is decrypted or signed.
 * @throws DvkeysError `KEY_MISMATCH` (field `--validator-index`): an index that is another validator, or that the
 *   list does not hold.
 */
export function checkExitIndices(exits: readonly PlannedExit[], list: ReadonlyMap<bigint, string>, file: string): void {
  for (const e of exits) {
    const want = bytesToHex(e.pubkey, true);
    const got = list.get(e.index);
    if (got === undefined) {
      throw new DvkeysError('KEY_MISMATCH', `validator index ${e.index} (given for validator ${e.validator} ${want.slice(0, 14)}…) is not in ${file}: fetch it with ?id=${e.index}, or check the index; nothing was signed`, { field: '--validator-index' });
    }
    if (got !== want) {
      const right = [...list].find(([, pk]) => pk === want)?.[0];
      const hint = right === undefined ? '' : ` (${file} gives validator ${e.validator} the index ${right})`;
      throw new DvkeysError('KEY_MISMATCH', `validator index ${e.index} is ${got.slice(0, 14)}… on chain, not validator ${e.validator} ${want.slice(0, 14)}… of ceremony.json${hint}; nothing was signed`, { field: '--validator-index' });
    }
  }
}

/**
 * Without --validators-file on a terminal: shows the table of exits about to be signed and asks for `yes`.
 * Without a terminal nothing is asked (the output lists the same table after signing).
 * @throws DvkeysError `ABORTED` when the answer is not yes: nothing is decrypted or signed.
 */
export async function confirmExitIndices(exits: readonly PlannedExit[], network: string, io: CliIo): Promise<void> {
  const t = io.stdin;
  if (t === undefined || !t.isTTY) return;
  io.err(`About to sign ${exits.length} voluntary exit(s) on ${network}; an exit cannot be undone. Check each index against your`);
  io.err('beacon node (GET /eth/v1/beacon/states/head/validators/INDEX shows its pubkey), or give --validators-file:');
  for (const e of exits) io.err(`  validator ${e.validator}  ${bytesToHex(e.pubkey, true)}  index ${e.index}`);
  const answer = await t.askHidden('Sign these exits? Type yes: ', (typed) => typed);
  if (answer.trim().toLowerCase() !== 'yes') throw new DvkeysError('ABORTED', 'not confirmed: nothing was signed');
}
