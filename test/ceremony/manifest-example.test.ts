/**
 * docs/formats/ceremony.md's worked example is produced by this test: a 2-of-3 split of a fixed key with a
 * deterministic test RNG and tiny KDF costs. If the format changes, the test fails until the doc is updated
 * (run with UPDATE_DOCS=1 to rewrite the block).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from '../../src/ceremony/manifest.js';
import { runSplit } from '../../src/ceremony/split.js';
import { insecureTestRng } from '../helpers/rng.js';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats', 'ceremony.md');
const BEGIN = '<!-- example:ceremony.json begin -->';
const END = '<!-- example:ceremony.json end -->';

export async function exampleSplit() {
  return runSplit({
    validators: [{ secret: Buffer.from('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3', 'hex'), source: 'example' }],
    operators: [
      { index: 1, name: 'alice-1', group: 'alice' },
      { index: 2, name: 'bob-1', group: 'bob' },
      { index: 3, name: 'carol-1', group: 'carol' },
    ],
    threshold: 2,
    kdf: 'pbkdf2',
    kdfParams: { c: 16 },
    rng: insecureTestRng('docs/formats/ceremony.md'),
  });
}

describe('ceremony.json', () => {
  it('the documented example is what a split writes, and it round-trips', async () => {
    const { manifest, files } = await exampleSplit();
    const text = serializeManifest(manifest);
    expect(new TextDecoder().decode(files.find((f) => f.path === 'ceremony.json')!.bytes)).toBe(text);
    expect(serializeManifest(parseManifest(text))).toBe(text);
    const doc = readFileSync(DOC, 'utf8');
    const block = `${BEGIN}\n\`\`\`json\n${text}\`\`\`\n${END}`;
    if (process.env['UPDATE_DOCS'] === '1') {
      writeFileSync(DOC, doc.replace(new RegExp(`${BEGIN}[\\s\\S]*${END}`), block));
      return;
    }
    expect(doc).toContain(block);
  });

  it.each([
    ['an unknown field', (m: Record<string, unknown>) => ({ ...m, extra: 1 }), 'INVALID_FORMAT', 'ceremony.extra'],
    ['a wrong version', (m: Record<string, unknown>) => ({ ...m, version: 2 }), 'INVALID_FORMAT', 'ceremony.version'],
    ['uppercase hex', (m: any) => ({ ...m, validators: [{ ...m.validators[0], pubkey: m.validators[0].pubkey.toUpperCase().replace('0X', '0x') }] }), 'INVALID_HEX', 'ceremony.validators[0].pubkey'],
    ['a short public share', (m: any) => ({ ...m, validators: [{ ...m.validators[0], public_shares: [m.validators[0].public_shares[0].slice(0, -2), ...m.validators[0].public_shares.slice(1)] }] }), 'INVALID_LENGTH', 'ceremony.validators[0].public_shares[0]'],
    ['a missing commitment', (m: any) => ({ ...m, validators: [{ ...m.validators[0], commitments: m.validators[0].commitments.slice(1) }] }), 'INVALID_FORMAT', 'ceremony.validators[0].commitments'],
    ['threshold above n', (m: any) => ({ ...m, threshold: 4 }), 'INVALID_FORMAT', 'ceremony.threshold'],
    ['a zero index', (m: any) => ({ ...m, operators: [{ ...m.operators[0], index: 0 }, ...m.operators.slice(1)] }), 'INVALID_FORMAT', 'ceremony.operators[0].index'],
    ['a repeated operator', (m: any) => ({ ...m, operators: [m.operators[0], m.operators[0], m.operators[2]] }), 'DUPLICATE_SHARE_ID', 'ceremony.operators[1]'],
    ['a path escaping the tree', (m: any) => ({ ...m, files: { '../x/keystore-0.json': '00'.repeat(32) } }), 'INVALID_FORMAT', 'ceremony.files["../x/keystore-0.json"]'],
  ])('rejects %s naming the field', async (_name, mutate, code, field) => {
    const { manifest } = await exampleSplit();
    const json = JSON.parse(serializeManifest(manifest));
    let err: any;
    try {
      parseManifest(JSON.stringify(mutate(json)));
    } catch (e) {
      err = e;
    }
    expect([err?.code, err?.field]).toEqual([code, field]);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseManifest('{"format":')).toThrow(expect.objectContaining({ code: 'INVALID_JSON' }));
  });
});
