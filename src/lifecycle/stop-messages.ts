/**
 * The JSON file of an old holder's stop record (docs/formats/lifecycle-messages.md "Stop record"; stop.ts;
 * decision 1009): format `dvkeys/lifecycle-stop`, the plan it is for, the holder's old share id, the epoch its
 * validator client stopped at (a decimal string: epochs are uint64), its EIP-3076 history (the interchange JSON,
 * embedded as is) and one partial signature per validator over the stop message.
 *
 * Parsing is strict like the other lifecycle messages (`DKG_INVALID_MESSAGE` naming the field); the embedded history
 * is parsed by the EIP-3076 parser and its errors name the field under `<field>.history`. Signatures are checked by
 * {@link checkStops}, not here.
 *
 * @module
 */
import { hex, readArray, readHeader, readHex, readInt, readObject, readUint64 } from '../dkg/codec.js';
import { isDvkeysError, ValidationError } from '../errors.js';
import { interchangeToJson, parseInterchange } from '../eth/slashing-protection.js';
import type { ShareIndex } from '../types.js';
import { MAX_LIFECYCLE_VALIDATORS } from './public-data.js';
import type { StopRecord } from './stop.js';

/** The format tag of a stop-record file. */
export const STOP_RECORD_FORMAT = 'dvkeys/lifecycle-stop';

const MAX_ID = 2 ** 32;

/** A stop-record file: the {@link StopRecord} with the plan it is for. */
export function stopRecordToJson(planId: Uint8Array, r: StopRecord): Record<string, unknown> {
  return {
    format: STOP_RECORD_FORMAT,
    version: 1,
    planId: hex(planId),
    holder: Number(r.holder),
    epoch: r.epoch.toString(),
    history: interchangeToJson(r.history),
    signatures: r.signatures.map(hex),
  };
}

/**
 * Parses a stop-record file.
 * @throws ValidationError `DKG_INVALID_MESSAGE` naming the field, `LIMIT_EXCEEDED`; the EIP-3076 parser's
 *   `SLASHING_PROTECTION_INVALID`, `INVALID_HEX`, `INVALID_LENGTH`, `LIMIT_EXCEEDED` naming `<field>.history.…`.
 */
export function parseStopRecord(value: unknown, field = 'stop'): { planId: Uint8Array; record: StopRecord } {
  const o = readObject(value, field, ['format', 'version', 'planId', 'holder', 'epoch', 'history', 'signatures']);
  readHeader(o, field, STOP_RECORD_FORMAT, 1);
  const planId = readHex(o['planId'], `${field}.planId`, 32);
  const holder = BigInt(readInt(o['holder'], `${field}.holder`, 1, MAX_ID)) as ShareIndex;
  const epoch = readUint64(o['epoch'], `${field}.epoch`);
  let history;
  try {
    history = parseInterchange(o['history']);
  } catch (e) {
    if (!isDvkeysError(e)) throw e;
    const inner = e.field ?? 'interchange';
    throw new ValidationError(e.code, `${field}.history: ${e.message}`, { field: `${field}.history.${inner}` });
  }
  const signatures = readArray(o['signatures'], `${field}.signatures`, MAX_LIFECYCLE_VALIDATORS).map((s, v) => readHex(s, `${field}.signatures[${v}]`, 96));
  return { planId, record: { holder, epoch, history, signatures } };
}
