/**
 * The double-cluster check of `dvkeys verify A B …` (issue 13 part 4, docs/decisions/0801-double-cluster-check.md).
 *
 * One validator key split into two clusters (two splits of the same keystore, a split and a DKG import, a dvkeys
 * tree and a Charon cluster) gives two independent sets of operators that can each reach their threshold: when
 * both run, the validator signs twice and is slashed. Each cluster's public record already pairs its validator
 * pubkeys with its fingerprint (`ceremony.json` and its SHA-256; a Charon lock and its lock hash), so the check
 * needs no new file: two records that name the same validator pubkey under different fingerprints are a
 * slashing risk. The same fingerprint twice is one cluster seen twice (an operator folder and its tree, two
 * operators' DKG folders), never a risk.
 *
 * Pure: the CLI passes what `verify` read from each tree.
 *
 * @module
 */
import type { ErrorCode } from '../errors.js';

/** What one verified tree says about itself. */
export interface ClusterRecord {
  /** The tree as the user named it. */
  readonly label: string;
  /** Its fingerprint (64 hex digits; a Charon lock hash with or without 0x). */
  readonly fingerprint: string;
  /** Its validator pubkeys (0x-prefixed lowercase hex, as printed). */
  readonly validators: readonly string[];
}

/** A validator found in two clusters. */
export interface DoubleCluster {
  readonly pubkey: string;
  /** The labels of the trees holding it, each with a different fingerprint, in the order given. */
  readonly clusters: readonly { readonly label: string; readonly fingerprint: string }[];
}

/** One line of the cross-check, in the shape of the verify report lines. */
export interface CrossCheckLine {
  readonly check: 'clusters';
  readonly subject: string;
  readonly status: 'pass' | 'fail';
  readonly detail: string;
  readonly code?: ErrorCode;
  readonly culprits?: readonly string[];
}

const norm = (fp: string): string => fp.trim().replace(/^0x/i, '').toLowerCase();

/** Every validator pubkey held by two or more records with different fingerprints. */
export function findDoubleClusters(records: readonly ClusterRecord[]): DoubleCluster[] {
  const byKey = new Map<string, { label: string; fingerprint: string }[]>();
  for (const r of records) {
    for (const pk of new Set(r.validators.map((v) => v.toLowerCase()))) {
      const list = byKey.get(pk) ?? [];
      if (!list.some((c) => norm(c.fingerprint) === norm(r.fingerprint))) list.push({ label: r.label, fingerprint: r.fingerprint });
      byKey.set(pk, list);
    }
  }
  return [...byKey].filter(([, list]) => list.length >= 2).map(([pubkey, clusters]) => ({ pubkey, clusters }));
}

/**
 * The report lines: one `DOUBLE_CLUSTER` failure per validator in two clusters, else one pass saying what was
 * compared (and which trees are one cluster seen twice).
 */
export function crossCheckLines(records: readonly ClusterRecord[]): CrossCheckLine[] {
  const doubles = findDoubleClusters(records);
  if (doubles.length > 0) {
    return doubles.map((d) => ({
      check: 'clusters',
      subject: d.pubkey,
      status: 'fail',
      code: 'DOUBLE_CLUSTER',
      culprits: d.clusters.map((c) => c.label),
      detail:
        `slashing risk: this validator is in ${d.clusters.length} different clusters (` +
        d.clusters.map((c) => `${c.label} fingerprint ${norm(c.fingerprint).slice(0, 16)}…`).join(', ') +
        '); if both run, it signs twice and is slashed: run only one, and delete the other\'s keys',
    }));
  }
  const groups = new Map<string, string[]>();
  for (const r of records) groups.set(norm(r.fingerprint), [...(groups.get(norm(r.fingerprint)) ?? []), r.label]);
  const same = [...groups.values()].filter((g) => g.length > 1).map((g) => `${g.join(' and ')} are one cluster`);
  return [{
    check: 'clusters',
    subject: records.map((r) => r.label).join(', '),
    status: 'pass',
    detail: `no validator is in two different clusters${same.length > 0 ? ` (${same.join('; ')}: same fingerprint)` : ''}`,
  }];
}
