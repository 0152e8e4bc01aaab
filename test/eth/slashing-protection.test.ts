/**
 * EIP-3076 interchange handling beyond the official tests: the EIP's example instance, strict parsing (each bad
 * input one code and one field), the network check, filtering to split validators (optionally re-keyed to share
 * keys), merging and minifying.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes.js';
import { findSlashableData, SlashingProtectionChecker } from '../../src/eth/slashing-checker.js';
import {
  checkInterchangeNetwork,
  filterInterchange,
  formatInterchangeFile,
  interchangeToJson,
  mergeInterchanges,
  minifyInterchange,
  parseInterchange,
  parseInterchangeFile,
  type Interchange,
} from '../../src/eth/slashing-protection.js';
import { getNetwork } from '../../src/eth/networks.js';
import { hex, loadVector } from '../helpers/vectors.js';
import { expectError } from './expect-error.js';

const example = loadVector<{ interchange_format_version: string; example: unknown; conditions_summary: string[] }>(
  'eth/eip3076-example.json',
);
const MAINNET_GVR = bytesToHex(getNetwork('mainnet').genesisValidatorsRoot!, true);
const PK = (n: number): string => `0x${n.toString(16).padStart(2, '0').repeat(48)}`;

function ic(data: unknown[], gvr = MAINNET_GVR): unknown {
  return { metadata: { interchange_format_version: '5', genesis_validators_root: gvr }, data };
}

describe('EIP-3076 example instance', () => {
  it('parses and writes back unchanged', () => {
    expect(example.interchange_format_version).toBe('5');
    expect(example.conditions_summary).toHaveLength(5);
    const parsed = parseInterchange(example.example);
    expect(parsed.data[0]!.signedBlocks.map((b) => b.slot)).toEqual([81952n, 81951n]);
    expect(interchangeToJson(parsed)).toEqual(example.example);
    expect(parseInterchangeFile(formatInterchangeFile(parsed))).toEqual(parsed);
    expect(findSlashableData(parsed)).toEqual([]);
  });
});

describe('strict parsing', () => {
  const good = { pubkey: PK(1), signed_blocks: [{ slot: '10' }], signed_attestations: [] };
  const blocks = (...b: unknown[]): unknown => ic([{ ...good, signed_blocks: b }]);
  const atts = (...a: unknown[]): unknown => ic([{ ...good, signed_attestations: a }]);
  const meta = (version: unknown): unknown => ({
    metadata: { interchange_format_version: version, genesis_validators_root: MAINNET_GVR },
    data: [],
  });
  const SPI = 'SLASHING_PROTECTION_INVALID';
  const B0 = 'data[0].signed_blocks[0]';
  const A0 = 'data[0].signed_attestations[0]';
  it.each<[string, unknown, string, string]>([
    ['version 4', meta('4'), SPI, 'metadata.interchange_format_version'],
    ['a numeric version', meta(5), SPI, 'metadata.interchange_format_version'],
    ['a short root', ic([], '0x00'), 'INVALID_LENGTH', 'metadata.genesis_validators_root'],
    ['a root without 0x', ic([], MAINNET_GVR.slice(2)), 'INVALID_HEX', 'metadata.genesis_validators_root'],
    ['no data', { metadata: (ic([]) as { metadata: unknown }).metadata }, SPI, 'interchange.data'],
    ['an unknown top-level field', { ...(ic([]) as object), extra: true }, SPI, 'interchange.extra'],
    ['a missing signed_attestations', ic([{ pubkey: PK(1), signed_blocks: [] }]), SPI, 'data[0].signed_attestations'],
    ['a numeric slot', blocks({ slot: 10 }), SPI, `${B0}.slot`],
    ['a leading zero', blocks({ slot: '010' }), SPI, `${B0}.slot`],
    ['a negative epoch', atts({ source_epoch: '-1', target_epoch: '2' }), SPI, `${A0}.source_epoch`],
    ['a slot above 2^64-1', blocks({ slot: '18446744073709551616' }), SPI, `${B0}.slot`],
    ['a null signing root', blocks({ slot: '1', signing_root: null }), 'INVALID_HEX', `${B0}.signing_root`],
    ['an unknown block field', blocks({ slot: '1', proposer: '3' }), SPI, `${B0}.proposer`],
    ['a 47-byte pubkey', ic([{ ...good, pubkey: PK(1).slice(0, -2) }]), 'INVALID_LENGTH', 'data[0].pubkey'],
  ])('refuses %s', (_what, value, code, field) => {
    expectError(() => parseInterchange(value), code, field);
  });

  it('accepts uppercase hex from other clients and writes it lowercase', () => {
    const upper = ic([{ ...good, pubkey: `0x${PK(0xab).slice(2).toUpperCase()}` }]);
    expect(interchangeToJson(parseInterchange(upper)).data[0]!.pubkey).toBe(PK(0xab));
  });

  it('caps the record count and the text length', () => {
    const many = ic([{ ...good, signed_blocks: [{ slot: '1' }, { slot: '2' }, { slot: '3' }] }]);
    expectError(() => parseInterchange(many, { maxRecords: 3 }), 'LIMIT_EXCEEDED', 'data[0].signed_blocks');
    expect(parseInterchange(many, { maxRecords: 4 }).data).toHaveLength(1);
    expectError(() => parseInterchangeFile('{"metadata":'), 'INVALID_JSON', 'interchange');
  });
});

describe('network, filter, merge, minify', () => {
  const att = (source: number, target: number) => ({ source_epoch: `${source}`, target_epoch: `${target}` });
  const history = parseInterchange(
    ic([
      { pubkey: PK(1), signed_blocks: [{ slot: '100' }], signed_attestations: [att(3, 4)] },
      { pubkey: PK(2), signed_blocks: [{ slot: '7' }], signed_attestations: [] },
      { pubkey: PK(1), signed_blocks: [{ slot: '90' }, { slot: '100' }], signed_attestations: [att(4, 6)] },
    ]),
  );
  const SPI = 'SLASHING_PROTECTION_INVALID';

  it('checks the genesis validators root against the network', () => {
    checkInterchangeNetwork(history, 'mainnet');
    expectError(() => checkInterchangeNetwork(history, 'hoodi'), SPI, 'metadata.genesis_validators_root');
  });

  it('keeps only the split validators, merged, re-keyed when asked, and reports the missing ones', () => {
    const shareKey = hex(PK(0x51));
    const { interchange, missing } = filterInterchange(history, [
      { pubkey: hex(PK(3)) },
      { pubkey: hex(PK(1)), as: shareKey },
    ]);
    expect(missing.map((m) => bytesToHex(m, true))).toEqual([PK(3)]);
    const json = interchangeToJson(interchange);
    expect(json.data).toEqual([
      {
        pubkey: PK(0x51),
        signed_blocks: [{ slot: '90' }, { slot: '100' }],
        signed_attestations: [att(3, 4), att(4, 6)],
      },
    ]);
    const twice = [{ pubkey: hex(PK(1)) }, { pubkey: hex(PK(1)) }];
    expectError(() => filterInterchange(history, twice), 'INVALID_ARGUMENT', 'selection[1]');
  });

  it('merges interchanges of one chain and refuses another chain', () => {
    const other: Interchange = {
      ...history,
      data: [{ pubkey: hex(PK(2)), signedBlocks: [{ slot: 8n, signingRoot: undefined }], signedAttestations: [] }],
    };
    const merged = interchangeToJson(mergeInterchanges([history, other]));
    expect(merged.data.map((d) => [d.pubkey, d.signed_blocks.map((b) => b.slot)])).toEqual([
      [PK(1), ['90', '100']],
      [PK(2), ['7', '8']],
    ]);
    const hoodi = { ...other, genesisValidatorsRoot: getNetwork('hoodi').genesisValidatorsRoot! };
    expectError(() => mergeInterchanges([history, hoodi]), SPI, 'interchanges[1].metadata.genesis_validators_root');
  });

  it('minifies to the maximum slot and the maximum source and target, which still refuses everything older', () => {
    const mini = minifyInterchange(history);
    expect(interchangeToJson(mini).data).toEqual([
      { pubkey: PK(1), signed_blocks: [{ slot: '100' }], signed_attestations: [att(4, 6)] },
      { pubkey: PK(2), signed_blocks: [{ slot: '7' }], signed_attestations: [] },
    ]);
    const db = new SlashingProtectionChecker(history.genesisValidatorsRoot, 'complete');
    db.importInterchange(mini);
    const root = new Uint8Array(32);
    expect(db.signBlock(hex(PK(1)), 100n, root).ok).toBe(false);
    expect(db.signBlock(hex(PK(1)), 101n, root).ok).toBe(true);
    expect(db.signAttestation(hex(PK(1)), 5n, 6n, root).ok).toBe(false);
    expect(db.signAttestation(hex(PK(1)), 4n, 7n, root).ok).toBe(true);
    const otherChain = { ...mini, genesisValidatorsRoot: new Uint8Array(32) };
    expectError(() => db.importInterchange(otherChain), SPI, 'metadata.genesis_validators_root');
  });

  it('finds slashable data: double blocks, double votes, surrounds, source after target', () => {
    const bad = parseInterchange(
      ic([
        { pubkey: PK(1), signed_blocks: [{ slot: '5' }, { slot: '5' }], signed_attestations: [att(1, 10)] },
        { pubkey: PK(1), signed_blocks: [], signed_attestations: [att(2, 9), att(3, 10), att(8, 7)] },
      ]),
    );
    expect(findSlashableData(bad).map((i) => i.kind).sort()).toEqual([
      'double_block',
      'double_vote',
      'source_after_target',
      'surround_vote',
      'surround_vote',
    ]);
    expect(findSlashableData(bad, 2)).toHaveLength(2);
  });
});
