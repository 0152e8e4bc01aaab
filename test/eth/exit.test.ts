/**
 * Voluntary exits: the signing root recomputed independently from the SSZ rules with plain SHA-256 (so a wrong
 * container or domain in src/ cannot agree with itself), the EIP-7044 domain (Capella fork version, every network),
 * the beacon-API JSON shape and the strict parsers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes } from '../../src/bytes.js';
import { secretKeyToPublicKey } from '../../src/bls/signature.js';
import {
  exitDomain,
  exitSigningRoot,
  formatSignedExitFile,
  parseSignedExit,
  parseSignedExitFile,
  signedExitToJson,
  signVoluntaryExit,
  verifySignedExit,
} from '../../src/eth/exit.js';
import { customNetwork, getNetwork, NETWORK_NAMES } from '../../src/eth/networks.js';
import { computeDomain } from '../../src/eth/signing.js';
import { hex } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

const SK = hex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');

function le64Chunk(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** compute_signing_root(VoluntaryExit, compute_domain(0x04000000, capella, gvr)) by hand. */
function referenceExitRoot(epoch: bigint, index: bigint, capella: Uint8Array, gvr: Uint8Array): Uint8Array {
  const objectRoot = sha256(concatBytes(le64Chunk(epoch), le64Chunk(index)));
  const versionChunk = new Uint8Array(32);
  versionChunk.set(capella);
  const forkDataRoot = sha256(concatBytes(versionChunk, gvr));
  const domain = concatBytes(Uint8Array.of(4, 0, 0, 0), forkDataRoot.subarray(0, 28));
  return sha256(concatBytes(objectRoot, domain));
}

describe('exit signing root (EIP-7044)', () => {
  it.each(NETWORK_NAMES.map((n) => [n]))('%s: Capella fork version and genesis validators root', (name) => {
    const net = getNetwork(name);
    for (const [epoch, index] of [
      [0n, 0n],
      [194048n, 12345n],
      [(1n << 64n) - 1n, (1n << 40n) + 7n],
    ] as const) {
      const want = referenceExitRoot(epoch, index, net.capellaForkVersion!, net.genesisValidatorsRoot!);
      expect(bytesToHex(exitSigningRoot({ epoch, validatorIndex: index }, name))).toBe(bytesToHex(want));
    }
    // Never the genesis fork version: an exit signed that way would not verify after Deneb.
    const genesisDomain = computeDomain(Uint8Array.of(4, 0, 0, 0), net.genesisForkVersion, net.genesisValidatorsRoot);
    expect(bytesToHex(exitDomain(name))).not.toBe(bytesToHex(genesisDomain));
  });

  it('mainnet exit domain is 0x04000000 ‖ fork_data_root(0x03000000, mainnet root)[:28]', () => {
    expect(bytesToHex(exitDomain('mainnet')).slice(0, 8)).toBe('04000000');
    expect(bytesToHex(getNetwork('mainnet').capellaForkVersion!)).toBe('03000000');
  });

  it('needs the Capella fork version and genesis validators root of a custom network', () => {
    const partial = customNetwork({ name: 'devnet', genesisForkVersion: hex('10000001') });
    const exit = { epoch: 1, validatorIndex: 1 };
    expectError(() => exitSigningRoot(exit, partial), 'INVALID_ARGUMENT', 'network.capellaForkVersion');
    const withCapella = customNetwork({
      name: 'devnet',
      genesisForkVersion: hex('10000001'),
      capellaForkVersion: hex('40000001'),
    });
    expectError(() => exitDomain(withCapella), 'INVALID_ARGUMENT', 'network.genesisValidatorsRoot');
    const full = customNetwork({
      name: 'devnet',
      genesisForkVersion: hex('10000001'),
      capellaForkVersion: hex('40000001'),
      genesisValidatorsRoot: new Uint8Array(32).fill(7),
    });
    expect(exitSigningRoot({ epoch: 1, validatorIndex: 1 }, full)).toHaveLength(32);
  });

  it('refuses bad integers and unknown networks', () => {
    const root = (epoch: number | bigint, validatorIndex: number | bigint, network = 'mainnet') => () =>
      exitSigningRoot({ epoch, validatorIndex }, network);
    expectError(root(-1, 1), 'INVALID_ARGUMENT', 'exit.epoch');
    expectError(root(1, 1.5), 'INVALID_ARGUMENT', 'exit.validatorIndex');
    expectError(root(1n << 64n, 1), 'INVALID_ARGUMENT', 'exit.epoch');
    expectError(root(1, 1, 'prater'), 'NETWORK_UNKNOWN', 'network');
  });
});

describe('signed exits (beacon-API JSON)', () => {
  const pubkey = secretKeyToPublicKey(SK);
  const signed = signVoluntaryExit(SK, { epoch: 256, validatorIndex: 42 }, 'hoodi');

  it('writes {message:{epoch,validator_index},signature} with decimal strings and 0x hex, and reads it back', () => {
    const json = signedExitToJson(signed);
    expect(Object.keys(json)).toEqual(['message', 'signature']);
    expect(json.message).toEqual({ epoch: '256', validator_index: '42' });
    expect(json.signature).toMatch(/^0x[0-9a-f]{192}$/);
    const back = parseSignedExitFile(formatSignedExitFile(signed));
    expect(back).toEqual(signed);
    verifySignedExit(back, pubkey, 'hoodi');
  });

  it('refuses a signature for another network or validator', () => {
    expectError(() => verifySignedExit(signed, pubkey, 'mainnet'), 'SIGNATURE_INVALID', 'signature');
    const other = { ...signed, message: { ...signed.message, validatorIndex: 43n } };
    expectError(() => verifySignedExit(other, pubkey, 'hoodi'), 'SIGNATURE_INVALID', 'signature');
  });

  const msg = { epoch: '1', validator_index: '1' };
  const sig = `0x${'00'.repeat(96)}`;
  it.each<[string, unknown, string, string]>([
    ['a number epoch', { message: { ...msg, epoch: 1 }, signature: sig }, 'INVALID_FORMAT', 'message.epoch'],
    ['a leading zero', { message: { ...msg, epoch: '01' }, signature: sig }, 'INVALID_FORMAT', 'message.epoch'],
    ['an extra field', { message: msg, signature: sig, x: 1 }, 'INVALID_FORMAT', 'x'],
    ['a missing index', { message: { epoch: '1' }, signature: sig }, 'INVALID_FORMAT', 'message.validator_index'],
    ['a short signature', { message: msg, signature: '0x00' }, 'INVALID_LENGTH', 'signature'],
    ['no 0x', { message: msg, signature: sig.slice(2) }, 'INVALID_HEX', 'signature'],
  ])('refuses %s', (_what, value, code, field) => {
    expectError(() => parseSignedExit(value), code, `signed_exit.${field}`);
  });
});
