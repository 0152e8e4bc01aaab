/**
 * Which option of `split` each layout has a place for (issue 15, design section 8: "an option either works in
 * every layout that has a place for it or is refused in one line: never accepted and ignored"). Every cell of
 * {@link SPLIT_OPTIONS} is either `true` (the option works in that layout; test/cli/layout-parity.test.ts checks
 * its effect on disk) or the one-line reason it is refused with `LAYOUT_UNSUPPORTED`. {@link VERIFY_OPTIONS} and
 * {@link COMBINE_OPTIONS} do the same for `verify` and `combine` (by the layout read).
 *
 * @module
 */
import { ValidationError } from '../errors.js';

/** The output layouts. */
export const LAYOUTS = ['dvkeys', 'charon', 'ssv'] as const;
/** One output layout. */
export type Layout = (typeof LAYOUTS)[number];

type Cell = true | string;

const KEYS_ONLY = 'an SSV keyshares.json carries shares encrypted to the operators\' RSA keys, no keystores';
const SSV_IDS = 'SSV operators are given by id and RSA key with --ssv-operators or --ssv-operators-file';
const NO_DEPOSIT = 'keyshares.json has no deposit data; make deposits with dvkeys deposit or the SSV tooling';
const ONLY_SSV = 'only the ssv layout takes the SSV operators and the owner address and nonce';

/** Every layout-dependent option of `split` (options that only load the input keys work in every layout). */
export const SPLIT_OPTIONS: Readonly<Record<string, Readonly<Record<Layout, Cell>>>> = {
  operators: { dvkeys: true, charon: true, ssv: SSV_IDS },
  threshold: { dvkeys: true, charon: true, ssv: "SSV's rule fixes the threshold (t = 2f+1)" },
  'allow-unsafe-threshold': { dvkeys: true, charon: true, ssv: "SSV's rule fixes the threshold (t = 2f+1), which is always safe" },
  'share-password-file': { dvkeys: true, charon: 'Charon loads each keystore\'s password from the keystore-<v>.txt beside it', ssv: KEYS_ONLY },
  kdf: { dvkeys: true, charon: 'Charon share keystores use pbkdf2 (as charon create cluster writes them)', ssv: KEYS_ONLY },
  'insecure-keys': { dvkeys: true, charon: true, ssv: KEYS_ONLY },
  network: { dvkeys: true, charon: true, ssv: 'keyshares.json names no network' },
  'withdrawal-address': { dvkeys: true, charon: true, ssv: NO_DEPOSIT },
  compounding: { dvkeys: true, charon: true, ssv: NO_DEPOSIT },
  amount: { dvkeys: true, charon: true, ssv: NO_DEPOSIT },
  'slashing-protection': { dvkeys: true, charon: true, ssv: 'SSV nodes keep their own slashing protection; keyshares.json has no place for a history' },
  'allow-missing-slashing-history': { dvkeys: true, charon: true, ssv: 'SSV nodes keep their own slashing protection; keyshares.json has no place for a history' },
  'fee-recipient': {
    dvkeys: 'ceremony.json has no fee recipient; set it in each validator client (or use --layout charon, whose lock carries it)',
    charon: true,
    ssv: 'SSV sets the fee recipient per owner on chain, not in keyshares.json',
  },
  name: { dvkeys: 'ceremony.json has no cluster name', charon: true, ssv: 'keyshares.json has no cluster name' },
  'ssv-operators': { dvkeys: ONLY_SSV, charon: ONLY_SSV, ssv: true },
  'ssv-operators-file': { dvkeys: ONLY_SSV, charon: ONLY_SSV, ssv: true },
  'owner-address': { dvkeys: ONLY_SSV, charon: ONLY_SSV, ssv: true },
  'owner-nonce': { dvkeys: ONLY_SSV, charon: ONLY_SSV, ssv: true },
};

/**
 * Refuses the first option given that the layout has no place for.
 * @param given option names (without `--`) that the user set.
 * @throws ValidationError `LAYOUT_UNSUPPORTED` with `field` `--<option>` and the reason in one line.
 */
export function assertSplitOptions(layout: Layout, given: readonly string[]): void {
  for (const name of given) {
    const cell = SPLIT_OPTIONS[name]?.[layout];
    if (cell === undefined || cell === true) continue;
    throw new ValidationError('LAYOUT_UNSUPPORTED', `--${name} has no place in the ${layout} layout: ${cell}`, { field: `--${name}` });
  }
}

const NO_KEYSTORES = 'an SSV keyshares.json holds no keystores: its shares are encrypted to the operators\' RSA keys (--ssv-operator-key)';
const ONLY_SSV_KEYS = 'only an SSV keyshares.json holds shares encrypted to operators\' RSA keys';

/** Every layout-dependent option of `verify`, as {@link SPLIT_OPTIONS} (--fingerprint, --no-decrypt and --json work in every layout). */
export const VERIFY_OPTIONS: Readonly<Record<string, Readonly<Record<Layout, Cell>>>> = {
  'password-file': { dvkeys: true, charon: true, ssv: NO_KEYSTORES },
  'strict-operator-signatures': { dvkeys: 'ceremony.json carries no operator signatures (only a Charon lock does)', charon: true, ssv: 'keyshares.json carries no operator signatures (only a Charon lock does)' },
  'ssv-operator-key': { dvkeys: ONLY_SSV_KEYS, charon: ONLY_SSV_KEYS, ssv: true },
  'max-kdf-work': { dvkeys: true, charon: true, ssv: NO_KEYSTORES },
};

/**
 * Refuses the first `verify` option given that the layout read has no place for.
 * @throws ValidationError `LAYOUT_UNSUPPORTED` with `field` `--<option>` and the reason in one line.
 */
export function assertVerifyOptions(layout: Layout, given: readonly string[]): void {
  for (const name of given) {
    const cell = VERIFY_OPTIONS[name]?.[layout];
    if (cell === undefined || cell === true) continue;
    throw new ValidationError('LAYOUT_UNSUPPORTED', `--${name} has no place in the ${layout} layout: ${cell}`, { field: `--${name}` });
  }
}

const SSV_COMBINE = 'an SSV keyshares.json holds shares encrypted to the operators\' RSA keys, not keystores; combine takes t dvkeys or Charon folders';

/**
 * Every option of `combine`, by the layout of the input folders (the output is always EIP-2335 keystores). An SSV
 * keyshares.json cannot be combined at all: `in` is refused, so every other SSV cell is moot and says so.
 */
export const COMBINE_OPTIONS: Readonly<Record<string, Readonly<Record<Layout, Cell>>>> = {
  in: { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  layout: { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'password-file': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'share-password-file': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  kdf: { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'insecure-keys': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'slashing-protection': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'allow-missing-slashing-history': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
  'max-kdf-work': { dvkeys: true, charon: true, ssv: SSV_COMBINE },
};

/**
 * Refuses combining input of a layout that has no place for the given options (`in` is always checked).
 * @throws ValidationError `LAYOUT_UNSUPPORTED` with `field` `--<option>` and the reason in one line.
 */
export function assertCombineOptions(layout: Layout, given: readonly string[]): void {
  for (const name of ['in', ...given]) {
    const cell = COMBINE_OPTIONS[name]?.[layout];
    if (cell === undefined || cell === true) continue;
    throw new ValidationError('LAYOUT_UNSUPPORTED', `--${name} has no place in the ${layout} layout: ${cell}`, { field: `--${name}` });
  }
}

const DKG_CHARON = 'a Charon lock needs every node\'s ENR and node signature and the validators\' aggregate signature over the lock hash, which the DKG does not exchange';
const DKG_SSV = 'keyshares.json holds every operator\'s share encrypted to its RSA key and the owner-nonce signature of the validator key, and a DKG operator holds only its own share';

/**
 * Every layout-dependent option of `dkg finalize` and `dkg recover` (decision 0308), by the output layout (`--layout`,
 * default dvkeys). An operator writes only its own folder from public data and its own shares, so only the dvkeys
 * layout can be written; `layout` is always checked, so every other cell of charon and ssv is moot and says so.
 */
export const DKG_OUTPUT_OPTIONS: Readonly<Record<string, Readonly<Record<Layout, Cell>>>> = {
  layout: { dvkeys: true, charon: DKG_CHARON, ssv: DKG_SSV },
  'fee-recipient': { dvkeys: 'ceremony.json has no fee recipient; set it in each validator client', charon: DKG_CHARON, ssv: DKG_SSV },
  'share-password-file': { dvkeys: true, charon: DKG_CHARON, ssv: DKG_SSV },
  kdf: { dvkeys: true, charon: DKG_CHARON, ssv: DKG_SSV },
  'insecure-keys': { dvkeys: true, charon: DKG_CHARON, ssv: DKG_SSV },
};

/**
 * Refuses a DKG output layout, or an option the layout has no place for (`layout` is always checked first).
 * @throws ValidationError `LAYOUT_UNSUPPORTED` with `field` `--<option>` and the reason in one line.
 */
export function assertDkgOutputOptions(layout: Layout, given: readonly string[]): void {
  for (const name of ['layout', ...given]) {
    const cell = DKG_OUTPUT_OPTIONS[name]?.[layout];
    if (cell === undefined || cell === true) continue;
    throw new ValidationError('LAYOUT_UNSUPPORTED', `--${name} has no place in the ${layout} layout: ${cell}`, { field: `--${name}` });
  }
}

/** Parses a `--layout` value (undefined when absent). */
export function layoutOption(text: string | undefined): Layout | undefined {
  if (text === undefined) return undefined;
  if (!(LAYOUTS as readonly string[]).includes(text)) throw new ValidationError('INVALID_ARGUMENT', `--layout must be dvkeys, charon or ssv, got '${text}'`, { field: '--layout' });
  return text as Layout;
}

/** The tables, by command (test/ceremony/layout-parity.test.ts walks every cell; docs/formats/layout-parity.md). */
export const PARITY: Readonly<Record<'split' | 'verify' | 'combine' | 'dkg finalize', Readonly<Record<string, Readonly<Record<Layout, Cell>>>>>> = {
  split: SPLIT_OPTIONS,
  verify: VERIFY_OPTIONS,
  combine: COMBINE_OPTIONS,
  'dkg finalize': DKG_OUTPUT_OPTIONS,
};
