/**
 * The input folders of `dvkeys combine`: each `--in` is an operator folder, or a whole tree (a dvkeys split's output
 * folder, or a folder of Charon node folders) that stands for its operator folders; the layout of each is detected
 * and, with `--layout`, must be the one named (issue 15, decision 0308).
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertCombineOptions, type Layout } from '../ceremony/layout-options.js';
import { MANIFEST_FILE } from '../ceremony/manifest.js';
import { KEYSHARES_FILE } from '../ceremony/layouts/ssv.js';
import { ValidationError } from '../errors.js';
import { charonNodeFolders, isCharonNode } from './charon.js';
import { exists, subfolders } from './files.js';

/** One operator folder to combine from, with the layout it was read as. */
export interface CombineInput {
  /** Absolute path. */
  readonly dir: string;
  /** As the user gave it (with the subfolder when a tree was expanded). */
  readonly shown: string;
  readonly layout: Layout;
}

async function kind(p: string): Promise<'file' | 'dir' | undefined> {
  try {
    return (await stat(p)).isFile() ? 'file' : 'dir';
  } catch {
    return undefined;
  }
}

/** The operator folders `path` stands for, with their layout. */
async function expand(path: string, shown: string): Promise<CombineInput[]> {
  const k = await kind(path);
  if (k === 'file') return [{ dir: path, shown, layout: path.endsWith('.json') ? 'ssv' : 'dvkeys' }];
  if (k === undefined) return [{ dir: path, shown, layout: 'dvkeys' }]; // readFolder names the missing folder
  if (await isCharonNode(path)) return [{ dir: path, shown, layout: 'charon' }];
  const nodes = await charonNodeFolders(path);
  if (nodes.length > 0) return nodes.map((n) => ({ dir: join(path, n), shown: join(shown, n), layout: 'charon' as const }));
  const hasManifest = await exists(join(path, MANIFEST_FILE));
  if (!hasManifest && (await kind(join(path, KEYSHARES_FILE))) === 'file') return [{ dir: path, shown, layout: 'ssv' }];
  // A dvkeys tree: ceremony.json at the root and an operator folder (with its own copy) under it.
  const operators: string[] = [];
  if (hasManifest) for (const s of await subfolders(path)) if (await exists(join(path, s, MANIFEST_FILE))) operators.push(s);
  if (operators.length > 0) return operators.map((s) => ({ dir: join(path, s), shown: join(shown, s), layout: 'dvkeys' as const }));
  return [{ dir: path, shown, layout: 'dvkeys' }];
}

/**
 * Every `--in` expanded to operator folders and checked: an option the layout read has no place for (and SSV input
 * itself) is refused with `LAYOUT_UNSUPPORTED`; with `layout` given, a folder of another layout is refused naming it.
 * @param given the options the user set (names without `--`).
 * @throws ValidationError `LAYOUT_UNSUPPORTED`, or `INVALID_ARGUMENT` (a folder of another layout than `--layout`, or a
 *   mix of layouts), each in one line.
 */
export async function combineInputs(ins: readonly string[], cwd: string, layout: Layout | undefined, given: readonly string[]): Promise<{ layout: Layout; inputs: CombineInput[] }> {
  if (layout !== undefined) assertCombineOptions(layout, given);
  const inputs = (await Promise.all(ins.map((d) => expand(resolve(cwd, d), d)))).flat();
  for (const input of inputs) {
    if (layout !== undefined && input.layout !== layout) {
      throw new ValidationError('INVALID_ARGUMENT', `--in ${input.shown} is a ${input.layout} folder, not of the ${layout} layout that --layout names`, { field: '--in' });
    }
    assertCombineOptions(input.layout, given);
  }
  const first = inputs[0]!.layout;
  const other = inputs.find((i) => i.layout !== first);
  if (other !== undefined) throw new ValidationError('INVALID_ARGUMENT', `--in ${other.shown} is a ${other.layout} folder and ${inputs[0]!.shown} a ${first} one: give folders of one cluster`, { field: '--in' });
  return { layout: first, inputs };
}
