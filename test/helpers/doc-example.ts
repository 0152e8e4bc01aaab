/**
 * Compares (or, with DVKEYS_UPDATE_EXAMPLES=1, rewrites) the fenced block after `<!-- example:NAME -->` in
 * docs/formats/<doc> with freshly generated text. The block's language tag is given (json, text, ...).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'formats');

export function checkDocExample(doc: string, name: string, lang: string, text: string): void {
  const path = join(docs, doc);
  const source = readFileSync(path, 'utf8');
  const re = new RegExp(`(<!-- example:${name.replace(/[.]/g, '\\.')} -->\\n\`\`\`${lang}\\n)([\\s\\S]*?)(\`\`\`)`);
  const m = re.exec(source);
  expect(m, `marker example:${name} in ${doc}`).not.toBeNull();
  if (process.env.DVKEYS_UPDATE_EXAMPLES === '1') {
    writeFileSync(path, source.replace(re, (_all, open: string, _body: string, close: string) => `${open}${text}${close}`));
    return;
  }
  expect(m![2]).toBe(text);
}
