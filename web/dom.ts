/**
 * DOM helpers of the web app: element construction with text content only (never innerHTML: file contents and
 * error messages are untrusted text), and the one-line error wording of the CLI (src/cli/main.ts `reportError`):
 * `dvkeys <command>: error: <message> [<CODE>]`.
 *
 * @module
 */
import { DvkeysError } from '../src/index.js';

type Child = Node | string;

/** Creates `<tag>` with the given attributes and children (strings become text nodes). */
export function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The element with id `id`. */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`missing #${id}`);
  return node as T;
}

/**
 * The CLI's one-line error for `e` under `command`, control characters shown as `\xNN` as the CLI does. Errors
 * that are not dvkeys' own show their class and first line, as the CLI's "internal error" line does.
 */
export function errorLine(command: string, e: unknown): string {
  const line =
    e instanceof DvkeysError
      ? `dvkeys ${command}: error: ${e.message} [${e.code}]`
      : `dvkeys ${command}: internal error: ${e instanceof Error ? e.message.split('\n')[0] : 'unknown'}`;
  // eslint-disable-next-line no-control-regex
  const safe = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > 600 ? `${safe.slice(0, 600)}…` : safe;
}

/** A fingerprint in 8 groups of 8 hex digits, to read aloud (as the CLI prints it: src/cli/commands/shared.ts). */
export function fingerprintGroups(hex: string): string {
  return (hex.replace(/^0x/i, '').match(/.{1,8}/g) ?? []).join(' ');
}

/** A fingerprint as typed: the grouped form's spaces removed (the check still needs all 64 digits), as the CLI. */
export function typedFingerprint(text: string): string {
  return text.trim().replace(/\s+/g, '');
}
