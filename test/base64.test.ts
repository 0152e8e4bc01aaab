/**
 * src/base64.ts on @scure/base: round trips against Node's Buffer codec (an independent implementation), and the
 * strict rules the SSV and ENR parsers rely on: one accepted text per byte string (non-zero trailing bits, wrong
 * or missing padding, white space and the other alphabet are refused) with INVALID_FORMAT naming the field and
 * never echoing the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, base64UrlDecode, base64UrlEncode } from '../src/base64.js';

function refused(f: () => unknown): [string, string, boolean] {
  try {
    f();
  } catch (e) {
    const x = e as { code: string; field: string; message: string };
    return [x.code, x.field, x.message.includes('SECRETISH')];
  }
  return ['accepted', '', false];
}

describe('base64', () => {
  it('encodes as Buffer does and decodes back (standard padded, URL-safe unpadded)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const std = base64Encode(b);
        const url = base64UrlEncode(b);
        expect(std).toBe(Buffer.from(b).toString('base64'));
        expect(url).toBe(Buffer.from(b).toString('base64url'));
        expect(base64Decode(std, 'f')).toEqual(b);
        expect(base64UrlDecode(url, 'f')).toEqual(b);
      }),
    );
  });

  it('refuses every non-canonical or foreign form with INVALID_FORMAT at the field, without echoing it', () => {
    const std = ['QQ==', 'QUI=', 'QUJD'];
    expect(std.map((t) => base64Decode(t, 'f'))).toEqual([Uint8Array.of(65), Uint8Array.of(65, 66), Uint8Array.of(65, 66, 67)]);
    for (const bad of ['QR==', 'QUJ=', 'QQ', 'QQ=', 'QQ===', 'Q', 'QU I=', 'QUI=\n', '-_8=', 'SECRETISH?', '=QUI']) {
      expect(refused(() => base64Decode(bad, 'operatorKey')), bad).toEqual(['INVALID_FORMAT', 'operatorKey', false]);
    }
    expect(base64UrlDecode('-_8', 'f')).toEqual(Uint8Array.of(0xfb, 0xff));
    for (const bad of ['QR', 'QUJ', 'QQ==', '+/8', 'Q', 'QU I', 'SECRETISH?']) {
      expect(refused(() => base64UrlDecode(bad, 'enr')), bad).toEqual(['INVALID_FORMAT', 'enr', false]);
    }
    expect(refused(() => base64Decode(42, 'f'))).toEqual(['INVALID_FORMAT', 'f', false]);
  });
});
