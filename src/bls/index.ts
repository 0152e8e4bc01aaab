/**
 * `dvkeys/bls`: BLS12-381 in Ethereum's proof-of-possession ciphersuite (field, strict codecs, signatures).
 * @module
 */
export { R, SCALAR_BYTES, decodeScalar, encodeScalar, randomScalar } from './field.js';
export type { DecodeScalarOptions } from './field.js';
export { G1_BYTES, G2_BYTES, decodeG1, decodeG2, encodeG1, encodeG2 } from './group.js';
export type { DecodePointOptions, G1Point, G2Point } from './group.js';
export {
  ETH_DST,
  aggregate,
  aggregatePublicKeys,
  aggregateVerify,
  batchVerify,
  fastAggregateVerify,
  hashToG2,
  secretKeyToPublicKey,
  sign,
  verify,
} from './signature.js';
export type { SignatureItem } from './signature.js';
