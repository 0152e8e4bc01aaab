/**
 * Evidence work shared by the items of one abort report or one verdict (brief B5; attack a02, decision 0423).
 *
 * An abort report is unsigned, and its items refer to the same collected round 1. Checked from scratch, each item
 * re-parses and relay-checks that round 1, and an Ack's partial-signature fault re-runs the whole public check of a
 * round 2. This module does each of those steps at most once per distinct collected round 1 (and decodes each
 * round-1 message at most once), so the work of verifying a report stays that of one round 2 plus what is
 * particular to each item. It is only a cache: every result is the one the step computes on its own.
 *
 * It also gives the canonical form of a JSON value ({@link canonicalJson}), by which identical items are found.
 *
 * @module
 */
import type { RandomBytes } from '../types.js';
import type { Definition } from './definition.js';
import { depositSigningRoots, hashDeposits, type DepositRootFn } from './deposit.js';
import type { G2Point } from '../bls/group.js';
import { parseCollected, type Round1 } from './messages.js';
import { hex } from './codec.js';
import { checkRelay, type RelayResult } from './transcript.js';
import { checkPublic, decodeRound1Content, publicOutputs, type DecodedValidator, type PublicCheck, type PublicOutputs } from './verify.js';

/**
 * The canonical JSON text of a value: object keys sorted, no spaces. Two JSON values that mean the same (the same
 * members in another order) have the same text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Readonly<Record<string, unknown>>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A parsed collected round 1 and the checks already made on it. */
export interface CollectedEntry {
  readonly ceremonyId: Uint8Array;
  readonly round1: readonly Round1[];
}

interface Entry extends CollectedEntry {
  readonly relays: Map<string, RelayResult>;
  pub?: PublicCheck;
  deposits?: { readonly out: PublicOutputs; readonly hashed: G2Point[] };
}

/** The work of checking evidence items against collected round 1, each step done once (see the module docs). */
export class EvidenceWork {
  private readonly keyOf = new WeakMap<object, string>();
  private readonly entries = new Map<string, Entry>();
  private readonly decoded = new WeakMap<Round1, DecodedValidator[] | Error>();

  constructor(
    private readonly def: Definition,
    readonly rng: RandomBytes,
    readonly rootFn: DepositRootFn | undefined,
  ) {}

  /**
   * The collected round 1 `value` parsed against the definition.
   * @throws ValidationError as parseCollected.
   */
  collected(value: unknown): CollectedEntry {
    const key = this.key(value);
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const parsed = parseCollected(value, this.def);
    const entry: Entry = { ceremonyId: parsed.ceremonyId, round1: parsed.round1, relays: new Map() };
    this.entries.set(key, entry);
    return entry;
  }

  /** checkRelay of a collected round 1 from {@link collected} under the given ceremony id. */
  relay(entry: CollectedEntry, ceremonyId: Uint8Array): RelayResult {
    const e = entry as Entry;
    const k = hex(ceremonyId);
    let r = e.relays.get(k);
    if (r === undefined) {
      r = checkRelay(this.def, ceremonyId, e.round1);
      e.relays.set(k, r);
    }
    return r;
  }

  /** checkPublic of a collected round 1 from {@link collected}. */
  publicCheck(entry: CollectedEntry): PublicCheck {
    const e = entry as Entry;
    e.pub ??= checkPublic(this.def, e.round1, this.rng);
    return e.pub;
  }

  /** The public outputs and hashed deposit messages of a collected round 1, undefined if it is not publicly valid. */
  deposits(entry: CollectedEntry): { readonly out: PublicOutputs; readonly hashed: G2Point[] } | undefined {
    const e = entry as Entry;
    if (e.deposits === undefined) {
      const pub = this.publicCheck(e);
      if (pub.sums === undefined) return undefined;
      const out = publicOutputs(this.def, pub.sums, pub.shares);
      e.deposits = { out, hashed: hashDeposits(depositSigningRoots(this.def, out.pubkeys, this.rootFn)) };
    }
    return e.deposits;
  }

  /**
   * decodeRound1Content of a message, once per message object.
   * @throws ValidationError as decodeRound1Content (the same error each time).
   */
  decode(m: Round1): DecodedValidator[] {
    let d = this.decoded.get(m);
    if (d === undefined) {
      try {
        d = decodeRound1Content(this.def, m);
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        d = e;
      }
      this.decoded.set(m, d);
    }
    if (d instanceof Error) throw d;
    return d;
  }

  private key(value: unknown): string {
    if (typeof value !== 'object' || value === null) return canonicalJson(value);
    let k = this.keyOf.get(value);
    if (k === undefined) {
      k = canonicalJson(value);
      this.keyOf.set(value, k);
    }
    return k;
  }
}
