/**
 * The EIP-712 typed-data digests Charon's operators and creator sign (Charon `cluster/eip712sigs.go`,
 * `eth2util/eip712/eip712.go` @ e6284707; research/interop-formats.md 1.7):
 *
 * digest = keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)), with the domain
 * `EIP712Domain(string name,string version,uint256 chainId)` = {"Obol", "1", chain id of the fork version} and the
 * messages `OperatorConfigHash(string operator_config_hash)`, `CreatorConfigHash(string creator_config_hash)`
 * (value: "0x" + lowercase hex of config_hash) and `ENR(string enr)` (value: the ENR text). String members hash as
 * keccak256 of their UTF-8 bytes (EIP-712 "encodeData").
 *
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bigintToBytesBE, bytesToHex, concatBytes, utf8 } from '../bytes.js';

/** Chain ids by GENESIS_FORK_VERSION (Charon `eth2util/network.go`; holesky from older Charon, in the fixtures). */
const CHAIN_IDS: Readonly<Record<string, bigint>> = {
  '00000000': 1n, // mainnet
  '00001020': 5n, // goerli
  '00000064': 100n, // gnosis
  '0000006f': 10200n, // chiado
  '90000069': 11155111n, // sepolia
  '01017000': 17000n, // holesky
  '10000910': 560048n, // hoodi
};

/** The chain id Charon signs EIP-712 data under for a fork version, or undefined for an unknown network. */
export function chainIdOfForkVersion(forkVersion: Uint8Array): bigint | undefined {
  return CHAIN_IDS[bytesToHex(forkVersion)];
}

/** The three messages a cluster definition carries. */
export type Eip712Kind = 'operator-config' | 'creator-config' | 'enr';

const TYPES: Readonly<Record<Eip712Kind, string>> = {
  'operator-config': 'OperatorConfigHash(string operator_config_hash)',
  'creator-config': 'CreatorConfigHash(string creator_config_hash)',
  enr: 'ENR(string enr)',
};

const DOMAIN_TYPE = 'EIP712Domain(string name,string version,uint256 chainId)';
const keccakText = (s: string): Uint8Array => keccak_256(utf8(s));

/**
 * The EIP-712 digest an operator or the creator signs. For the config kinds `value` is the config hash (32
 * bytes); for `enr` it is the ENR text.
 */
export function eip712Digest(kind: Eip712Kind, value: Uint8Array | string, chainId: bigint): Uint8Array {
  const domain = keccak_256(
    concatBytes(keccakText(DOMAIN_TYPE), keccakText('Obol'), keccakText('1'), bigintToBytesBE(chainId, 32)),
  );
  const text = typeof value === 'string' ? value : bytesToHex(value, true);
  const struct = keccak_256(concatBytes(keccakText(TYPES[kind]), keccakText(text)));
  return keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domain, struct));
}
