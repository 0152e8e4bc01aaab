/**
 * Domains and signing roots (consensus-specs phase0 beacon-chain.md, "Helper functions" → `compute_fork_data_root`,
 * `compute_domain`, `compute_signing_root`), and the domain types dvkeys signs under.
 *
 * @module
 */
import { abytes } from '../bytes.js';
import { ForkData, SigningData } from './ssz.js';

/** The domain types dvkeys signs under (phase0 "Domain types"), as 0x-hex for display and tests. */
export const DOMAIN_TYPES = {
  /** DOMAIN_DEPOSIT. */
  deposit: '0x03000000',
  /** DOMAIN_VOLUNTARY_EXIT. */
  voluntaryExit: '0x04000000',
} as const;

const DOMAIN_DEPOSIT = Uint8Array.of(0x03, 0, 0, 0);
const DOMAIN_VOLUNTARY_EXIT = Uint8Array.of(0x04, 0, 0, 0);

/**
 * compute_fork_data_root(current_version, genesis_validators_root) = hash_tree_root(ForkData).
 * @throws ValidationError `INVALID_LENGTH` for `forkVersion` (4 bytes) or `genesisValidatorsRoot` (32 bytes).
 */
export function computeForkDataRoot(forkVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  return ForkData.hashTreeRoot({
    currentVersion: abytes(forkVersion, 4, 'forkVersion'),
    genesisValidatorsRoot: abytes(genesisValidatorsRoot, 32, 'genesisValidatorsRoot'),
  });
}

/**
 * compute_domain(domain_type, fork_version, genesis_validators_root) = domain_type ‖ fork_data_root[:28].
 * `genesisValidatorsRoot` defaults to zero, as for deposits.
 * @throws ValidationError `INVALID_LENGTH` for `domainType` (4), `forkVersion` (4), `genesisValidatorsRoot` (32).
 */
export function computeDomain(
  domainType: Uint8Array,
  forkVersion: Uint8Array,
  genesisValidatorsRoot: Uint8Array = new Uint8Array(32),
): Uint8Array {
  abytes(domainType, 4, 'domainType');
  const domain = new Uint8Array(32);
  domain.set(domainType, 0);
  domain.set(computeForkDataRoot(forkVersion, genesisValidatorsRoot).subarray(0, 28), 4);
  return domain;
}

/**
 * compute_signing_root(object, domain) = hash_tree_root(SigningData(hash_tree_root(object), domain)), given the
 * object's root.
 * @throws ValidationError `INVALID_LENGTH` for `objectRoot` or `domain` (32 bytes each).
 */
export function computeSigningRoot(objectRoot: Uint8Array, domain: Uint8Array): Uint8Array {
  return SigningData.hashTreeRoot({
    objectRoot: abytes(objectRoot, 32, 'objectRoot'),
    domain: abytes(domain, 32, 'domain'),
  });
}

/**
 * The deposit domain: compute_domain(DOMAIN_DEPOSIT, GENESIS_FORK_VERSION, zero root), as phase0 `process_deposit`
 * computes it ("fork-agnostic domain since deposits are valid across forks").
 * @throws ValidationError `INVALID_LENGTH` for `forkVersion`.
 */
export function depositDomain(genesisForkVersion: Uint8Array): Uint8Array {
  return computeDomain(DOMAIN_DEPOSIT, genesisForkVersion);
}

/**
 * The voluntary-exit domain under EIP-7044 (deneb beacon-chain.md, modified `process_voluntary_exit`):
 * compute_domain(DOMAIN_VOLUNTARY_EXIT, CAPELLA_FORK_VERSION, genesis_validators_root) at every fork from Deneb on.
 * @throws ValidationError `INVALID_LENGTH` for `capellaForkVersion` or `genesisValidatorsRoot`.
 */
export function voluntaryExitDomain(capellaForkVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  return computeDomain(DOMAIN_VOLUNTARY_EXIT, capellaForkVersion, genesisValidatorsRoot);
}
