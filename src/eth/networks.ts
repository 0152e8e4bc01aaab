/**
 * The networks dvkeys signs for: fork versions and genesis validators roots.
 *
 * - `genesisForkVersion` (GENESIS_FORK_VERSION) builds the deposit domain (consensus-specs phase0 beacon-chain.md
 *   `process_deposit`: `compute_domain(DOMAIN_DEPOSIT)`, fork version = GENESIS_FORK_VERSION, zero genesis
 *   validators root) and is the `fork_version` of a deposit-data file.
 * - `capellaForkVersion` and `genesisValidatorsRoot` build the voluntary-exit domain: EIP-7044 fixes it to the
 *   Capella fork version for every fork from Deneb on, so a pre-signed exit stays valid forever.
 *
 * Sources (each value checked against the second source named):
 * - GENESIS_FORK_VERSION and GENESIS_VALIDATORS_ROOT: ethstaker/ethstaker-deposit-cli `ethstaker_deposit/settings.py`
 *   @ 902eb09 and ethereum/staking-deposit-cli `staking_deposit/settings.py` (holesky) @ 948d3fc, copied in
 *   test/vectors/eth/networks.json; the same settings.py (@ 11b7cf8) lists the same roots and EXIT_FORK_VERSIONs.
 * - CAPELLA_FORK_VERSION: mainnet ethereum/consensus-specs `configs/mainnet.yaml` @ 002df57 (0x03000000);
 *   sepolia eth-clients/sepolia `metadata/config.yaml` @ 00d17b4 (0x90000072); holesky eth-clients/holesky
 *   `metadata/config.yaml` @ 2ceaac3 (0x04017000); hoodi eth-clients/hoodi `metadata/config.yaml` @ 2447901
 *   (0x40000910); gnosis gnosischain/configs `mainnet/config.yaml` @ 127e042 (0x03000064).
 *
 * Values are kept as hex here and handed out as fresh byte arrays, so no caller can change a shared constant.
 *
 * @module
 */
import { bytesToHex, hexToBytes } from '../bytes.js';
import { ValidationError } from '../errors.js';

/** The networks dvkeys knows by name (the staking deposit CLIs' `network_name` strings). */
export const NETWORK_NAMES = ['mainnet', 'hoodi', 'sepolia', 'holesky', 'gnosis'] as const;

/** A known network name. */
export type NetworkName = (typeof NETWORK_NAMES)[number];

/** A network's signing parameters. Byte fields are fresh copies owned by the caller. */
export interface Network {
  /** `network_name` of deposit data: a known name, or the custom name given. */
  readonly name: string;
  /** True for a network built by {@link customNetwork}. */
  readonly custom: boolean;
  /** GENESIS_FORK_VERSION, 4 bytes: the deposit domain's fork version. */
  readonly genesisForkVersion: Uint8Array;
  /** GENESIS_VALIDATORS_ROOT, 32 bytes; needed for exits (absent for a custom network that did not give it). */
  readonly genesisValidatorsRoot: Uint8Array | undefined;
  /** CAPELLA_FORK_VERSION, 4 bytes: the exit domain's fork version under EIP-7044 (absent if not given). */
  readonly capellaForkVersion: Uint8Array | undefined;
}

interface NetworkHex {
  readonly genesisForkVersion: string;
  readonly genesisValidatorsRoot: string;
  readonly capellaForkVersion: string;
}

const KNOWN: Readonly<Record<NetworkName, NetworkHex>> = {
  mainnet: {
    genesisForkVersion: '00000000',
    genesisValidatorsRoot: '4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95',
    capellaForkVersion: '03000000',
  },
  hoodi: {
    genesisForkVersion: '10000910',
    genesisValidatorsRoot: '212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f',
    capellaForkVersion: '40000910',
  },
  sepolia: {
    genesisForkVersion: '90000069',
    genesisValidatorsRoot: 'd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078',
    capellaForkVersion: '90000072',
  },
  holesky: {
    genesisForkVersion: '01017000',
    genesisValidatorsRoot: '9143aa7c615a7f7115e2b6aac319c03529df8242ae705fba9df39b79c59fa8b1',
    capellaForkVersion: '04017000',
  },
  gnosis: {
    genesisForkVersion: '00000064',
    genesisValidatorsRoot: 'f5dcb5564e829aab27264b9becd5dfaa017085611224cb3036f573368dbb9d47',
    capellaForkVersion: '03000064',
  },
};

function isNetworkName(value: unknown): value is NetworkName {
  return typeof value === 'string' && (NETWORK_NAMES as readonly string[]).includes(value);
}

function build(name: NetworkName): Network {
  const n = KNOWN[name];
  return {
    name,
    custom: false,
    genesisForkVersion: hexToBytes(n.genesisForkVersion, name, { length: 4 }),
    genesisValidatorsRoot: hexToBytes(n.genesisValidatorsRoot, name, { length: 32 }),
    capellaForkVersion: hexToBytes(n.capellaForkVersion, name, { length: 4 }),
  };
}

/**
 * The known network called `name`.
 * @throws ValidationError `NETWORK_UNKNOWN` naming `field` for any other value.
 */
export function getNetwork(name: unknown, field = 'network'): Network {
  if (!isNetworkName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 40)) : typeof name;
    throw new ValidationError('NETWORK_UNKNOWN', `'${field}' ${shown} is not one of ${NETWORK_NAMES.join(', ')}`, {
      field,
    });
  }
  return build(name);
}

/**
 * The known network whose GENESIS_FORK_VERSION is `forkVersion`, or undefined. Used to check a deposit file's
 * `fork_version`.
 */
export function networkByForkVersion(forkVersion: Uint8Array): Network | undefined {
  const hex = bytesToHex(forkVersion);
  const name = NETWORK_NAMES.find((n) => KNOWN[n].genesisForkVersion === hex);
  return name === undefined ? undefined : build(name);
}

/** Parameters of {@link customNetwork}. */
export interface CustomNetworkParams {
  /** Its `network_name`: 1-32 characters of `[a-z0-9-]` (consensus-specs CONFIG_NAME rule), not a known name. */
  readonly name: string;
  /** GENESIS_FORK_VERSION, 4 bytes. */
  readonly genesisForkVersion: Uint8Array;
  /** GENESIS_VALIDATORS_ROOT, 32 bytes (needed only to sign or check exits). */
  readonly genesisValidatorsRoot?: Uint8Array;
  /** CAPELLA_FORK_VERSION, 4 bytes (needed only to sign or check exits). */
  readonly capellaForkVersion?: Uint8Array;
}

const CUSTOM_NAME = /^[a-z0-9-]{1,32}$/;

/**
 * A devnet or other network that is not built in.
 * @throws ValidationError `INVALID_ARGUMENT` for a bad or reserved name (`network.name`), `INVALID_LENGTH` or
 *   `INVALID_ARGUMENT` for the byte fields (`network.genesisForkVersion` and so on).
 */
export function customNetwork(params: CustomNetworkParams): Network {
  const { name } = params;
  if (typeof name !== 'string' || !CUSTOM_NAME.test(name)) {
    throw new ValidationError('INVALID_ARGUMENT', "'network.name' must be 1-32 characters of [a-z0-9-]", {
      field: 'network.name',
    });
  }
  if (isNetworkName(name)) {
    throw new ValidationError('INVALID_ARGUMENT', `'network.name' ${name} is a built-in network; use getNetwork`, {
      field: 'network.name',
    });
  }
  return {
    name,
    custom: true,
    genesisForkVersion: copyOf(params.genesisForkVersion, 4, 'network.genesisForkVersion'),
    genesisValidatorsRoot:
      params.genesisValidatorsRoot === undefined
        ? undefined
        : copyOf(params.genesisValidatorsRoot, 32, 'network.genesisValidatorsRoot'),
    capellaForkVersion:
      params.capellaForkVersion === undefined
        ? undefined
        : copyOf(params.capellaForkVersion, 4, 'network.capellaForkVersion'),
  };
}

function copyOf(value: unknown, length: number, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ValidationError('INVALID_ARGUMENT', `'${field}' expected Uint8Array`, { field });
  }
  if (value.length !== length) {
    throw new ValidationError('INVALID_LENGTH', `'${field}' expected ${length} bytes, got ${value.length}`, { field });
  }
  return Uint8Array.from(value);
}

/**
 * The known network of that name (see {@link getNetwork}), or a {@link Network} object after checking its byte
 * lengths.
 * @throws ValidationError `NETWORK_UNKNOWN` for an unknown name; `INVALID_ARGUMENT` / `INVALID_LENGTH` naming
 *   `network.<field>` for a malformed object.
 */
export function resolveNetwork(network: Network | string, field = 'network'): Network {
  if (typeof network === 'string') return getNetwork(network, field);
  if (typeof network !== 'object' || network === null || typeof network.name !== 'string') {
    throw new ValidationError('NETWORK_UNKNOWN', `'${field}' expected a network name or a Network`, { field });
  }
  copyOf(network.genesisForkVersion, 4, `${field}.genesisForkVersion`);
  if (network.genesisValidatorsRoot !== undefined) {
    copyOf(network.genesisValidatorsRoot, 32, `${field}.genesisValidatorsRoot`);
  }
  if (network.capellaForkVersion !== undefined) copyOf(network.capellaForkVersion, 4, `${field}.capellaForkVersion`);
  return network;
}
