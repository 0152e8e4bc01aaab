/**
 * The plan of a lifecycle step over files (`dvkeys reshare|refresh|repair`; docs/formats/lifecycle-messages.md;
 * docs/decisions/1005-lifecycle-cli-rounds.md): the old cluster's `ceremony.json`, its threshold stated explicitly,
 * who sends (old share ids with host keys) and who receives (share ids, names, host keys), and for a reshare the
 * new threshold. Every party parses the plan on its own machine and recomputes the library definition from it
 * (src/lifecycle: defineReshare, defineRefresh, defineRepair), so a plan that does not match the old cluster's
 * public data is refused before any secret is touched. The plan id (SHA-256 over the canonical plan, with its fresh
 * nonce) is what enrollments derive their encryption keys from and what the journal records; operators compare its
 * fingerprint out of band.
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8 } from '../bytes.js';
import { ValidationError } from '../errors.js';
import { canonicalJson } from '../json.js';
import { hex, readArray, readHeader, readHex, readInt, readObject } from '../dkg/codec.js';
import { HOST_PUBLIC_KEY_BYTES } from '../dkg/host-key.js';
import { defineRefresh, type RefreshDefinition } from '../lifecycle/refresh.js';
import { defineRepair, type RepairDefinition } from '../lifecycle/repair.js';
import { defineReshare, type ReshareDefinition } from '../lifecycle/reshare-definition.js';
import type { ValidatorPublicData } from '../lifecycle/public-data.js';
import type { RandomBytes, ShareIndex } from '../types.js';
import { systemRandomBytes } from '../random.js';
import { toShareIndex } from '../types.js';
import { parseJsonText } from '../json.js';
import { assertSafeName, MAX_MANIFEST_TEXT_LENGTH, parseManifest, serializeManifest, type Manifest } from './manifest.js';

/** The format tag of a plan file. */
export const PLAN_FORMAT = 'dvkeys/lifecycle-plan';

/**
 * The copy of the plan a reshare or refresh writes into each new holder's folder (decision 1013): the plan that
 * holder enrolled in, so `start` and `verify` tie the folder to it.
 */
export const PLAN_FILE = 'lifecycle-plan.json';

/** The lifecycle step a plan describes. */
export type LifecycleKind = 'reshare' | 'refresh' | 'repair';

/** A party of the plan: share id, host key, and for a recipient its folder name and staker group. */
export interface PlanParty {
  readonly id: ShareIndex;
  readonly hostKey: Uint8Array;
  readonly name: string;
  readonly group: string;
}

/** A parsed, checked plan. */
export interface LifecyclePlan {
  readonly kind: LifecycleKind;
  /** SHA-256 of the canonical plan JSON. */
  readonly id: Uint8Array;
  /** The id in 4-hex-digit groups (first 10 bytes), to compare out of band. */
  readonly fingerprint: string;
  /** The canonical plan JSON text the id hashes (what a new folder's {@link PLAN_FILE} holds). */
  readonly text: string;
  readonly old: Manifest;
  /** The old manifest's canonical text (what a sender's folder must hold). */
  readonly oldText: string;
  readonly senders: readonly PlanParty[];
  readonly recipients: readonly PlanParty[];
  readonly definition: ReshareDefinition | RefreshDefinition | RepairDefinition;
  /** The new threshold (the old one for refresh and repair). */
  readonly newThreshold: number;
  /** A reshare plan whose writer waived the slashing-safety gate (`--allow-unsafe-threshold` at init). */
  readonly allowUnsafeThreshold: boolean;
  /**
   * A repair of a reshare or refresh cluster: the plan that cluster was finalized under (its folders'
   * {@link PLAN_FILE}), which the repaired folder records too (decision 1013).
   */
  readonly oldPlan?: LifecyclePlan;
}

/** Input of {@link createPlan}. */
export interface PlanInput {
  readonly kind: LifecycleKind;
  /** The old cluster's ceremony.json text. */
  readonly oldManifestText: string;
  readonly oldThreshold: number;
  readonly senders: readonly { readonly id: number; readonly hostKey: Uint8Array }[];
  /** For a reshare: the new operators in id order (ids 1..n'); for a repair: the one recipient; refresh: none. */
  readonly recipients?: readonly { readonly id: number; readonly hostKey: Uint8Array; readonly name?: string; readonly group?: string }[];
  readonly newThreshold?: number;
  readonly allowUnsafeThreshold?: boolean;
  /** A repair of a reshare or refresh cluster: the text of its folders' {@link PLAN_FILE}. */
  readonly oldPlanText?: string;
  readonly rng?: RandomBytes;
}

const MAX_PARTIES = 1024;

/**
 * Builds a plan file's JSON (with a fresh nonce), checked by parsing it back.
 * @throws everything {@link parsePlan} throws.
 */
export function createPlan(input: PlanInput): Record<string, unknown> {
  const rng = input.rng ?? systemRandomBytes;
  const old = parseManifest(input.oldManifestText, 'old ceremony.json');
  const json: Record<string, unknown> = {
    format: PLAN_FORMAT,
    version: 1,
    kind: input.kind,
    nonce: hex(rng(32)),
    old: JSON.parse(serializeManifest(old)) as unknown,
    oldThreshold: input.oldThreshold,
    senders: input.senders.map((s) => ({ id: s.id, hostPublicKey: hex(s.hostKey) })),
    recipients: (input.kind === 'refresh' ? input.senders : (input.recipients ?? [])).map((r) => {
      const named = 'name' in r && r.name !== undefined ? r.name : old.operators.find((o) => o.index === r.id)?.name ?? `operator-${r.id}`;
      const group = 'group' in r && r.group !== undefined ? r.group : input.kind === 'reshare' ? named : old.operators.find((o) => o.index === r.id)?.group ?? named;
      return { id: r.id, name: named, group, hostPublicKey: hex(r.hostKey) };
    }),
    ...(input.kind === 'reshare' ? { newThreshold: input.newThreshold ?? 0, allowUnsafeThreshold: input.allowUnsafeThreshold === true } : {}),
    ...(input.kind === 'repair' && input.oldPlanText !== undefined ? { oldPlan: parseJsonText(input.oldPlanText, MAX_MANIFEST_TEXT_LENGTH, PLAN_FILE) } : {}),
  };
  parsePlan(json, rng);
  return json;
}

function party(value: unknown, field: string, recipient: boolean): PlanParty {
  const o = readObject(value, field, recipient ? ['id', 'name', 'group', 'hostPublicKey'] : ['id', 'hostPublicKey']);
  const id = toShareIndex(readInt(o['id'], `${field}.id`, 1, 2 ** 32));
  const name = recipient ? assertSafeName(String(o['name']), `${field}.name`) : '';
  const group = recipient ? assertSafeName(String(o['group']), `${field}.group`) : '';
  return { id, hostKey: readHex(o['hostPublicKey'], `${field}.hostPublicKey`, HOST_PUBLIC_KEY_BYTES), name, group };
}

/** The old manifest's public data in the library's shape. */
export function manifestPublicData(m: Manifest): ValidatorPublicData[] {
  return m.validators.map((v) => ({
    groupPublicKey: v.pubkey,
    commitments: v.commitments,
    publicShares: m.operators.map((o, i) => ({ id: toShareIndex(o.index), publicKey: v.publicShares[i]! })),
  }));
}

/** The new operators' allocation for the safety gate: consecutive recipients of one group are one operator. */
function allocation(recipients: readonly PlanParty[]): { name: string; shares: number }[] {
  const out: { name: string; shares: number }[] = [];
  for (const r of recipients) {
    const last = out[out.length - 1];
    if (last !== undefined && last.name === r.group) last.shares++;
    else if (out.some((o) => o.name === r.group)) throw new ValidationError('INVALID_ARGUMENT', `the new operators of group '${r.group}' are not listed together`, { field: 'plan.recipients' });
    else out.push({ name: r.group, shares: 1 });
  }
  return out;
}

/**
 * Parses and checks a plan: its shape, the old ceremony.json, and the library definition it implies.
 * @throws ValidationError `DKG_INVALID_MESSAGE` (shape), `INVALID_FORMAT` (old ceremony.json),
 *   `INVALID_ARGUMENT` (recipients that do not fit the kind), and everything defineReshare / defineRefresh /
 *   defineRepair throw (a wrong old threshold: `DEGREE_CHECK_FAILED` / `INVALID_LENGTH`; `NOT_ENOUGH_DEALERS`;
 *   `UNSAFE_THRESHOLD`; ...).
 */
export function parsePlan(value: unknown, rng: RandomBytes = systemRandomBytes): LifecyclePlan {
  const kindOf = (value as { kind?: unknown } | null)?.kind;
  const reshare = kindOf === 'reshare';
  const o = readObject(value, 'plan', ['format', 'version', 'kind', 'nonce', 'old', 'oldThreshold', 'senders', 'recipients', ...(reshare ? ['newThreshold', 'allowUnsafeThreshold'] : [])], kindOf === 'repair' ? ['oldPlan'] : []);
  readHeader(o, 'plan', PLAN_FORMAT, 1);
  const kind = o['kind'];
  if (kind !== 'reshare' && kind !== 'refresh' && kind !== 'repair') throw new ValidationError('DKG_INVALID_MESSAGE', "'plan.kind' expected reshare, refresh or repair", { field: 'plan.kind' });
  readHex(o['nonce'], 'plan.nonce', 32);
  const oldText = serializeManifest(parseManifest(JSON.stringify(o['old']), 'plan.old'));
  const old = parseManifest(oldText, 'plan.old');
  const oldThreshold = readInt(o['oldThreshold'], 'plan.oldThreshold', 1, MAX_PARTIES);
  const senders = readArray(o['senders'], 'plan.senders', MAX_PARTIES).map((s, i) => party(s, `plan.senders[${i}]`, false));
  const recipients = readArray(o['recipients'], 'plan.recipients', MAX_PARTIES).map((s, i) => party(s, `plan.recipients[${i}]`, true));
  const validators = manifestPublicData(old);
  const ids = senders.map((s) => s.id);
  const oldOf = (id: bigint): string | undefined => old.operators.find((op) => BigInt(op.index) === id)?.name;
  let definition: LifecyclePlan['definition'];
  let newThreshold = oldThreshold;
  let oldPlan: LifecyclePlan | undefined;
  if (kind === 'reshare') {
    newThreshold = readInt(o['newThreshold'], 'plan.newThreshold', 1, MAX_PARTIES);
    recipients.forEach((r, i) => {
      if (r.id !== BigInt(i + 1)) throw new ValidationError('INVALID_ARGUMENT', `new operator ${i + 1} must have share id ${i + 1}`, { field: `plan.recipients[${i}].id` });
    });
    definition = defineReshare({ oldThreshold, validators, dealers: ids, newThreshold, newShares: recipients.length, newOperators: allocation(recipients), allowUnsafe: o['allowUnsafeThreshold'] === true, rng });
  } else if (kind === 'refresh') {
    const same = recipients.length === senders.length && recipients.every((r, i) => r.id === senders[i]!.id && bytesToHex(r.hostKey) === bytesToHex(senders[i]!.hostKey) && r.name === oldOf(r.id));
    if (!same) throw new ValidationError('INVALID_ARGUMENT', 'the recipients of a refresh are its participants, with their old names', { field: 'plan.recipients' });
    definition = defineRefresh({ threshold: oldThreshold, validators, participants: ids, rng });
  } else {
    const r = recipients[0];
    if (recipients.length !== 1 || r === undefined || r.name !== oldOf(r.id)) throw new ValidationError('INVALID_ARGUMENT', 'a repair has one recipient: an old share id with its old name', { field: 'plan.recipients' });
    // decision 1007: the repaired folder keeps the old ceremony.json byte for byte, which cannot pin new keystore bytes
    const pinned = Object.keys(old.files).filter((f) => f.startsWith(`${r.name}/`));
    if (pinned.length > 0) {
      throw new ValidationError('INVALID_ARGUMENT', `this cluster's ceremony.json pins the keystore bytes of ${r.name} (${pinned[0]}): a repaired keystore cannot match them; refresh or reshare the cluster instead`, { field: 'plan.old.files' });
    }
    definition = defineRepair({ threshold: oldThreshold, validators, helpers: ids, recipient: r.id, rng });
    oldPlan = repairedPlan(o['oldPlan'], old, rng);
  }
  const text = canonicalJson(o);
  const id = sha256(utf8(text));
  const fingerprint = Array.from(id.subarray(0, 10), (b) => b.toString(16).padStart(2, '0')).join('').replace(/(.{4})(?=.)/g, '$1-');
  return { kind, id, fingerprint, text, old, oldText, senders, recipients, definition, newThreshold, allowUnsafeThreshold: reshare && o['allowUnsafeThreshold'] === true, ...(oldPlan === undefined ? {} : { oldPlan }) };
}

/**
 * A repair plan's `oldPlan`: required exactly when the cluster is a reshare or refresh (its folders record the plan
 * they were finalized under, and so will the repaired one), and that cluster's plan.
 * @throws ValidationError `INVALID_ARGUMENT` (missing or unexpected), `CEREMONY_MISMATCH`, and what parsePlan throws.
 */
function repairedPlan(value: unknown, old: Manifest, rng: RandomBytes): LifecyclePlan | undefined {
  const made = old.kind === 'reshare' || old.kind === 'refresh';
  if (!made) {
    if (value !== undefined) throw new ValidationError('INVALID_ARGUMENT', `a repair of a ${old.kind} cluster carries no old plan`, { field: 'plan.oldPlan' });
    return undefined;
  }
  if (value === undefined) throw new ValidationError('INVALID_ARGUMENT', `a repair of a ${old.kind} cluster carries the plan it was finalized under: the ${PLAN_FILE} beside the helpers' ceremony.json`, { field: 'plan.oldPlan' });
  const plan = parsePlan(value, rng);
  assertPlanOfManifest(plan, old, 'plan.oldPlan');
  return plan;
}

/**
 * Checks that `plan` is a plan whose finalize writes `manifest` (decision 1013): the same kind, network, fork
 * version, new threshold, operators (share id, name, group) and validators (pubkey and withdrawal credentials). The
 * new commitments and public shares come from the dealings, which no plan holds.
 * @throws ValidationError `CEREMONY_MISMATCH` naming `source`.
 */
export function assertPlanOfManifest(plan: LifecyclePlan, manifest: Manifest, source: string): void {
  const hexOf = (b: Uint8Array | null | undefined): string => (b === null || b === undefined ? '-' : bytesToHex(b));
  const operators = (list: readonly { index: number; name: string; group: string }[]): string => list.map((o) => `${o.index}:${o.name}@${o.group}`).join(',');
  const same = plan.kind === manifest.kind
    && manifest.network === plan.old.network
    && hexOf(manifest.forkVersion) === hexOf(plan.old.forkVersion)
    && manifest.threshold === plan.newThreshold
    && operators(manifest.operators) === operators(plan.recipients.map((r) => ({ index: Number(r.id), name: r.name, group: r.group })))
    && manifest.validators.length === plan.old.validators.length
    && manifest.validators.every((v, i) => hexOf(v.pubkey) === hexOf(plan.old.validators[i]!.pubkey) && hexOf(v.withdrawalCredentials) === hexOf(plan.old.validators[i]!.withdrawalCredentials));
  if (!same) throw new ValidationError('CEREMONY_MISMATCH', `${source} is the plan of another cluster than this ceremony.json (${plan.kind} plan ${plan.fingerprint})`, { field: source });
}

/**
 * Checks that a stated plan id or fingerprint (compared out of band) is this plan's.
 * @throws ValidationError `CEREMONY_MISMATCH`.
 */
export function assertPlanId(plan: LifecyclePlan, stated: string): void {
  const s = stated.trim().toLowerCase();
  if (s !== plan.fingerprint && s !== hex(plan.id) && s !== bytesToHex(plan.id)) {
    throw new ValidationError('CEREMONY_MISMATCH', `this plan is ${plan.fingerprint}, not the ${stated} you compared: refuse it`, { field: 'plan' });
  }
}
