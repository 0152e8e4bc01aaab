/**
 * What a validator client must refuse after importing EIP-3076 data ("Conditions" 1-5), as a small in-memory
 * checker, and a scan for slashable data inside an interchange.
 *
 * The checker runs the official eth-clients/slashing-protection-interchange-tests with either strategy of EIP-3076
 * "Supporting Different Strategies":
 * - `minimal` keeps per validator only the maximum block slot and the maximum source and target epochs, and refuses
 *   any block with slot <= max and any attestation with source < max source or target <= max target ("Advice for
 *   Minimal Databases": take maximums on import, merged with existing values);
 * - `complete` keeps every record and refuses a double proposal or double vote (unless a repeat signing with the
 *   same known signing root), a surround vote (phase0 `is_slashable_attestation_data`), and anything at or below the
 *   minimum slot / target epoch or below the minimum source epoch (conditions 2, 4, 5). An imported record without
 *   a signing root never counts as a repeat.
 * Accepted signings are recorded. The complete strategy scans its records linearly: a test oracle, not a client DB.
 *
 * @module
 */
import { abytes, bytesToHex } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { MAX_UINT64 } from '../json.js';
import type { Interchange } from './slashing-protection.js';

/** A slashing-protection strategy (EIP-3076 "Supporting Different Strategies"). */
export type SlashingStrategy = 'minimal' | 'complete';

/** The outcome of a signing request. */
export type SigningDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

interface Att {
  readonly source: bigint;
  readonly target: bigint;
  readonly root: string | undefined;
}

interface History {
  readonly blocks: { slot: bigint; root: string | undefined }[];
  readonly atts: Att[];
  maxSlot: bigint | undefined;
  maxSource: bigint | undefined;
  maxTarget: bigint | undefined;
}

const OK: SigningDecision = { ok: true };
const refuse = (reason: string): SigningDecision => ({ ok: false, reason });
const maxOf = (a: bigint | undefined, b: bigint): bigint => (a === undefined || b > a ? b : a);
const minOf = (xs: readonly bigint[]): bigint | undefined =>
  xs.length === 0 ? undefined : xs.reduce((m, x) => (x < m ? x : m));

function u64(value: bigint, field: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT64) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' must be a uint64 bigint`, { field });
  }
  return value;
}

/** An in-memory slashing-protection database for one chain. */
export class SlashingProtectionChecker {
  readonly strategy: SlashingStrategy;
  readonly #gvr: string;
  readonly #histories = new Map<string, History>();

  /**
   * @param genesisValidatorsRoot 32 bytes: the chain; imports for another chain are refused.
   * @throws ValidationError `INVALID_LENGTH` (`genesisValidatorsRoot`), `INVALID_ARGUMENT` (`strategy`).
   */
  constructor(genesisValidatorsRoot: Uint8Array, strategy: SlashingStrategy = 'complete') {
    if (strategy !== 'minimal' && strategy !== 'complete') {
      throw new ValidationError('INVALID_ARGUMENT', "'strategy' must be minimal or complete", { field: 'strategy' });
    }
    this.#gvr = bytesToHex(abytes(genesisValidatorsRoot, 32, 'genesisValidatorsRoot'));
    this.strategy = strategy;
  }

  #history(pubkey: Uint8Array): History {
    const key = bytesToHex(abytes(pubkey, 48, 'pubkey'));
    let h = this.#histories.get(key);
    if (h === undefined) {
      h = { blocks: [], atts: [], maxSlot: undefined, maxSource: undefined, maxTarget: undefined };
      this.#histories.set(key, h);
    }
    return h;
  }

  /**
   * Imports an interchange (all of it, or nothing).
   * @throws ValidationError `SLASHING_PROTECTION_INVALID` (field `metadata.genesis_validators_root`) for another
   *   chain.
   */
  importInterchange(ic: Interchange): void {
    if (bytesToHex(ic.genesisValidatorsRoot) !== this.#gvr) {
      throw new ValidationError('SLASHING_PROTECTION_INVALID', 'the interchange is for another chain', {
        field: 'metadata.genesis_validators_root',
      });
    }
    for (const v of ic.data) {
      const h = this.#history(v.pubkey);
      for (const b of v.signedBlocks) {
        h.maxSlot = maxOf(h.maxSlot, b.slot);
        if (this.strategy === 'complete') h.blocks.push({ slot: b.slot, root: rootKey(b.signingRoot) });
      }
      for (const a of v.signedAttestations) {
        h.maxSource = maxOf(h.maxSource, a.sourceEpoch);
        h.maxTarget = maxOf(h.maxTarget, a.targetEpoch);
        if (this.strategy === 'complete') {
          h.atts.push({ source: a.sourceEpoch, target: a.targetEpoch, root: rootKey(a.signingRoot) });
        }
      }
    }
  }

  /**
   * Asks to sign a block; records it when accepted.
   * @throws ValidationError for a malformed pubkey (48 bytes), slot or signing root (32 bytes).
   */
  signBlock(pubkey: Uint8Array, slot: bigint, signingRoot: Uint8Array): SigningDecision {
    const h = this.#history(pubkey);
    u64(slot, 'slot');
    const root = bytesToHex(abytes(signingRoot, 32, 'signingRoot'));
    if (this.strategy === 'minimal') {
      if (h.maxSlot !== undefined && slot <= h.maxSlot) return refuse(`slot ${slot} <= last signed slot ${h.maxSlot}`);
      h.maxSlot = slot;
      return OK;
    }
    const same = h.blocks.filter((b) => b.slot === slot);
    if (same.length > 0) {
      return same.every((b) => b.root === root) ? OK : refuse(`another block was signed at slot ${slot}`);
    }
    const min = minOf(h.blocks.map((b) => b.slot));
    if (min !== undefined && slot <= min) return refuse(`slot ${slot} <= lowest signed slot ${min}`);
    h.blocks.push({ slot, root });
    h.maxSlot = maxOf(h.maxSlot, slot);
    return OK;
  }

  /**
   * Asks to sign an attestation; records it when accepted.
   * @throws ValidationError for a malformed pubkey, epoch or signing root.
   */
  signAttestation(
    pubkey: Uint8Array,
    sourceEpoch: bigint,
    targetEpoch: bigint,
    signingRoot: Uint8Array,
  ): SigningDecision {
    const h = this.#history(pubkey);
    const [s, t] = [u64(sourceEpoch, 'sourceEpoch'), u64(targetEpoch, 'targetEpoch')];
    const root = bytesToHex(abytes(signingRoot, 32, 'signingRoot'));
    if (s > t) return refuse(`source ${s} is after target ${t}`);
    if (this.strategy === 'minimal') {
      if (h.maxSource !== undefined && s < h.maxSource) return refuse(`source ${s} < last source ${h.maxSource}`);
      if (h.maxTarget !== undefined && t <= h.maxTarget) return refuse(`target ${t} <= last target ${h.maxTarget}`);
      h.maxSource = s;
      h.maxTarget = t;
      return OK;
    }
    const same = h.atts.filter((a) => a.target === t);
    if (same.length > 0) {
      return same.every((a) => a.source === s && a.root === root) ? OK : refuse(`double vote for target ${t}`);
    }
    for (const a of h.atts) {
      if ((s < a.source && t > a.target) || (a.source < s && t < a.target)) {
        return refuse(`surround vote with (${a.source}, ${a.target})`);
      }
    }
    const minSource = minOf(h.atts.map((a) => a.source));
    if (minSource !== undefined && s < minSource) return refuse(`source ${s} < lowest source ${minSource}`);
    const minTarget = minOf(h.atts.map((a) => a.target));
    if (minTarget !== undefined && t <= minTarget) return refuse(`target ${t} <= lowest target ${minTarget}`);
    h.atts.push({ source: s, target: t, root });
    h.maxSource = maxOf(h.maxSource, s);
    h.maxTarget = maxOf(h.maxTarget, t);
    return OK;
  }
}

function rootKey(root: Uint8Array | undefined): string | undefined {
  return root === undefined ? undefined : bytesToHex(root);
}

/** A slashable pair (or impossible record) inside one interchange. */
export interface SlashableIssue {
  /** 0x-hex validator public key. */
  readonly pubkey: string;
  readonly kind: 'double_block' | 'double_vote' | 'surround_vote' | 'source_after_target';
  /** The slot or the (source, target) epochs involved. */
  readonly detail: string;
}

/**
 * Slashable data inside one interchange (EIP-3076 conditions 1 and 3 applied to its own records, per validator
 * across all its entries): two blocks at one slot unless both carry the same signing root, two attestations with
 * one target unless identical with a known signing root, a surround vote, or a source epoch after its target.
 * At most `limit` issues are returned. Runs in O(n log n) per validator.
 */
export function findSlashableData(ic: Interchange, limit = 100): SlashableIssue[] {
  const out: SlashableIssue[] = [];
  const byKey = new Map<string, { blocks: Interchange['data'][number]['signedBlocks'][number][]; atts: Att[] }>();
  for (const v of ic.data) {
    const e = byKey.get(bytesToHex(v.pubkey, true)) ?? { blocks: [], atts: [] };
    e.blocks.push(...v.signedBlocks);
    for (const a of v.signedAttestations) {
      e.atts.push({ source: a.sourceEpoch, target: a.targetEpoch, root: rootKey(a.signingRoot) });
    }
    byKey.set(bytesToHex(v.pubkey, true), e);
  }
  const add = (pubkey: string, kind: SlashableIssue['kind'], detail: string): void => {
    if (out.length < limit) out.push({ pubkey, kind, detail });
  };
  for (const [pubkey, { blocks, atts }] of byKey) {
    const slots = new Map<bigint, string | undefined>();
    for (const b of blocks) {
      const root = rootKey(b.signingRoot);
      if (!slots.has(b.slot)) slots.set(b.slot, root);
      else if (root === undefined || slots.get(b.slot) !== root) add(pubkey, 'double_block', `slot ${b.slot}`);
    }
    const targets = new Map<bigint, Att>();
    for (const a of atts) {
      if (a.source > a.target) add(pubkey, 'source_after_target', `(${a.source}, ${a.target})`);
      const prev = targets.get(a.target);
      if (prev === undefined) targets.set(a.target, a);
      else if (prev.source !== a.source || a.root === undefined || prev.root !== a.root) {
        add(pubkey, 'double_vote', `target ${a.target}`);
      }
    }
    // Surround: sweep by source; an attestation is surrounded when an earlier source has a larger target.
    const sorted = [...atts].sort((x, y) => (x.source < y.source ? -1 : x.source > y.source ? 1 : 0));
    let maxBefore: bigint | undefined;
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      let groupMax = sorted[i]!.target;
      for (; j < sorted.length && sorted[j]!.source === sorted[i]!.source; j++) {
        const a = sorted[j]!;
        if (maxBefore !== undefined && a.target < maxBefore) {
          add(pubkey, 'surround_vote', `(${a.source}, ${a.target}) is surrounded`);
        }
        if (a.target > groupMax) groupMax = a.target;
      }
      maxBefore = maxOf(maxBefore, groupMax);
      i = j;
    }
  }
  return out;
}
