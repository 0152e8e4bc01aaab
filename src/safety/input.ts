/**
 * Input of the slashing-safety math (design section 5): operator allocations, their validation and the
 * `name:count,name:count` / plain `9` operator syntax shared by `dvkeys analyze`, `dvkeys plan` and `dvkeys split`.
 *
 * @module
 */
import { anumber } from '../bytes.js';
import { ValidationError } from '../errors.js';

/**
 * Caps on the size of an allocation, so that the analysis stays polynomial and small (design section 2.2). The
 * subset-sum behind the operator-partition check costs O(operators × shares). See
 * docs/decisions/0102-safety-input-limits.md.
 */
export const SAFETY_LIMITS = Object.freeze({
  /** Operators in one allocation (Charon's SSZ cap). */
  maxOperators: 256,
  /** Total shares n in one allocation. */
  maxShares: 4096,
  /** Length of an operator or failure-domain name. */
  maxNameLength: 64,
});

/** One operator of an allocation: it runs `shares` nodes, one share per node. */
export interface OperatorInput {
  /** Unique name (compared case-insensitively for duplicates). */
  readonly name: string;
  /** Shares the operator holds, one per node: 1..{@link SAFETY_LIMITS}.maxShares. */
  readonly shares: number;
  /** Operators with the same failure domain (a data centre, a house) fail together. */
  readonly failureDomain?: string | undefined;
}

/** An allocation and its signing threshold t. */
export interface AnalyzeInput {
  /** Signing threshold t: 1..n. */
  readonly threshold: number;
  /** The operators, in the order their share ids are assigned. */
  readonly operators: readonly OperatorInput[];
}

/** A validated allocation: parallel arrays in input order. */
export interface Allocation {
  readonly names: readonly string[];
  readonly weights: readonly number[];
  /** Failure domain of each operator; undefined means the operator is its own domain. */
  readonly domains: readonly (string | undefined)[];
  /** n = sum of weights. */
  readonly total: number;
}

/**
 * Checks an operator list and returns it as an {@link Allocation}.
 *
 * @throws ValidationError `INVALID_ARGUMENT` naming the field (`operators[2].shares`, `operators[1].name`) for a
 *   missing or malformed entry, zero or negative shares, or a duplicate name; `LIMIT_EXCEEDED` above
 *   {@link SAFETY_LIMITS}.
 */
export function validateOperators(operators: unknown, field = 'operators'): Allocation {
  if (!Array.isArray(operators) || operators.length === 0) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected a non-empty array of operators`, { field });
  }
  if (operators.length > SAFETY_LIMITS.maxOperators) {
    throw new ValidationError(
      'LIMIT_EXCEEDED',
      `'${field}' has ${operators.length} operators, at most ${SAFETY_LIMITS.maxOperators} allowed`,
      { field },
    );
  }
  const names: string[] = [];
  const weights: number[] = [];
  const domains: (string | undefined)[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  (operators as unknown[]).forEach((op, i) => {
    const at = `${field}[${i}]`;
    if (typeof op !== 'object' || op === null) {
      throw new ValidationError('INVALID_ARGUMENT', `'${at}' expected an object {name, shares}`, { field: at });
    }
    const { name, shares, failureDomain } = op as Record<string, unknown>;
    const n = checkName(name, `${at}.name`);
    const prev = seen.get(n.toLowerCase());
    if (prev !== undefined) {
      throw new ValidationError('INVALID_ARGUMENT', `'${at}.name' duplicates ${field}[${prev}]: '${n}'`, {
        field: `${at}.name`,
      });
    }
    seen.set(n.toLowerCase(), i);
    const w = anumber(shares, `${at}.shares`, 1, SAFETY_LIMITS.maxShares);
    const d = failureDomain === undefined ? undefined : checkName(failureDomain, `${at}.failureDomain`);
    names.push(n);
    weights.push(w);
    domains.push(d);
    total += w;
  });
  if (total > SAFETY_LIMITS.maxShares) {
    throw new ValidationError('LIMIT_EXCEEDED', `'${field}' hold ${total} shares, at most ${SAFETY_LIMITS.maxShares}`, {
      field,
    });
  }
  return { names, weights, domains, total };
}

/**
 * Checks a threshold against n.
 *
 * @throws ValidationError `INVALID_THRESHOLD` (field `threshold`) unless t is an integer in 1..n.
 */
export function validateThreshold(threshold: unknown, n: number, field = 'threshold'): number {
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold < 1 || threshold > n) {
    const got = typeof threshold === 'number' ? String(threshold) : typeof threshold;
    throw new ValidationError('INVALID_THRESHOLD', `'${field}' expected an integer in 1..${n} (n = ${n}), got ${got}`, {
      field,
    });
  }
  return threshold;
}

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > SAFETY_LIMITS.maxNameLength) {
    throw new ValidationError(
      'INVALID_ARGUMENT',
      `'${field}' expected a name of 1..${SAFETY_LIMITS.maxNameLength} characters`,
      { field },
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' contains a control character`, { field });
  }
  return value;
}

/** Options of {@link parseOperators}. */
export interface ParseOperatorsOptions {
  /** Count for an entry written without `:count`, and for each operator of the plain `N` form. Default 1. */
  readonly defaultCount?: number;
  /** Whether `@domain` suffixes are accepted. Default true. */
  readonly allowDomains?: boolean;
  /** Field name used in error messages. Default `operators`. */
  readonly field?: string;
}

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';
const ENTRY = new RegExp(`^(${NAME})(?::(-?[0-9]+))?(?:@(${NAME}))?$`);

/**
 * Parses the operator syntax of the command line (docs/threshold-math.md, "Operator syntax"):
 * - `9`: nine operators named `op1`..`op9` (operator k holds share id k, design section 3), each with
 *   `defaultCount` shares;
 * - `eridian:3,spacesider:3,cloud:3`: named operators with counts; `:count` may be left out (`defaultCount`);
 *   `name:count@domain` puts the operator in a failure domain.
 *
 * The result passes {@link validateOperators}.
 *
 * @throws ValidationError `INVALID_ARGUMENT` naming the entry (`operators[2]`, `operators[2].shares`) for unknown
 *   syntax, a zero or negative count or a duplicate name; `LIMIT_EXCEEDED` above {@link SAFETY_LIMITS}.
 */
export function parseOperators(spec: string, options: ParseOperatorsOptions = {}): OperatorInput[] {
  const field = options.field ?? 'operators';
  const defaultCount = options.defaultCount ?? 1;
  const text = spec.trim();
  let out: OperatorInput[];
  if (/^[0-9]+$/.test(text)) {
    const count = anumber(Number(text), field, 1, SAFETY_LIMITS.maxOperators);
    out = Array.from({ length: count }, (_, i) => ({ name: `op${i + 1}`, shares: defaultCount }));
  } else {
    out = text.split(',').map((raw, i) => {
      const at = `${field}[${i}]`;
      const m = ENTRY.exec(raw.trim());
      if (m === null) {
        throw new ValidationError(
          'INVALID_ARGUMENT',
          `'${at}' expected name, name:count or name:count@domain, got '${raw.trim().slice(0, 40)}'`,
          { field: at },
        );
      }
      const [, name, count, domain] = m;
      if (domain !== undefined && options.allowDomains === false) {
        throw new ValidationError('INVALID_ARGUMENT', `'${at}' failure domains (@${domain}) are not accepted here`, {
          field: at,
        });
      }
      const shares = count === undefined ? defaultCount : Number(count);
      return domain === undefined ? { name: name!, shares } : { name: name!, shares, failureDomain: domain };
    });
  }
  validateOperators(out, field);
  return out;
}
