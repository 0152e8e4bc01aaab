/** Asserts that `fn` throws a DvkeysError with `code` (and `field`, and `culprits`, when given). */
import { expect } from 'vitest';
import { DvkeysError } from '../../src/errors.js';

export function expectError(
  fn: () => unknown,
  code: string,
  field?: string,
  culprits?: readonly string[],
): DvkeysError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(DvkeysError);
  const err = caught as DvkeysError;
  expect({ code: err.code, field: err.field }).toEqual({ code, field: field ?? err.field });
  if (culprits !== undefined) expect(err.culprits).toEqual(culprits);
  return err;
}
