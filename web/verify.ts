/**
 * The verify screen (issue 17): one operator folder (picked as a folder, or its zip, or its files) or a whole
 * tree (its root ceremony.json with the operator folders or their zips) and optionally the fingerprint; the same
 * library call as `dvkeys verify` (`verifyCeremony`) with the same tree-or-folder rule and the same lines
 * (src/cli/commands/verify.ts `verifyTree`). dvkeys' layout only: Charon and SSV outputs are the CLI's.
 *
 * @module
 */
import { DvkeysError } from '../src/index.js';
import { parseManifest, verifyCeremony, type VerifyLine } from '../src/ceremony/index.js';
import { byId, fingerprintGroups, typedFingerprint } from './dom.js';
import { byFolder, readInputs, stripCommonFolder, wipeEntries, type Entries } from './files.js';
import { Job } from './job.js';

const MARK: Record<VerifyLine['status'], string> = { pass: 'ok  ', fail: 'FAIL', skipped: 'skip', warn: 'warn' };
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Wires the verify screen. */
export function setupVerify(): void {
  const files = byId<HTMLInputElement>('verify-files');
  const folder = byId<HTMLInputElement>('verify-folder');
  const fingerprint = byId<HTMLInputElement>('verify-fingerprint');
  const password = byId<HTMLInputElement>('verify-password');
  const out = byId<HTMLElement>('verify-out');
  const job = new Job('verify', {
    run: byId<HTMLButtonElement>('verify-run'),
    cancel: byId<HTMLButtonElement>('verify-cancel'),
    progress: byId<HTMLProgressElement>('verify-progress'),
    status: byId('verify-status'),
    error: byId('verify-error'),
  });
  job.onRun(async (signal, onProgress) => {
    out.textContent = '';
    const typedPassword = password.value;
    password.value = '';
    let all: Entries | undefined;
    try {
      all = await readInputs([...Array.from(files.files ?? []), ...Array.from(folder.files ?? [])]);
      const { entries, folder: top } = stripCommonFolder(all);
      const shown = top ?? 'the files given';
      const groups = byFolder(entries);
      const self = groups.get('') ?? new Map<string, Uint8Array>();
      const manifestBytes = self.get('ceremony.json');
      if (manifestBytes === undefined) {
        throw new DvkeysError('INVALID_FORMAT', `${shown} has no ceremony.json: give one operator folder (or its zip), or a whole tree with its root ceremony.json (Charon and SSV outputs: dvkeys verify)`, { field: 'ceremony.json' });
      }
      let manifestText: string;
      try {
        manifestText = decoder.decode(manifestBytes);
      } catch {
        throw new DvkeysError('INVALID_FORMAT', `${shown}/ceremony.json is not UTF-8 text`, { field: 'ceremony.json' });
      }
      // As the CLI: a whole tree has operator folders named in its manifest; anything else is one operator's folder.
      const names = new Set(parseManifest(manifestText, 'ceremony.json').operators.map((o) => o.name));
      const subs = [...groups.keys()].filter((s) => s !== '' && names.has(s));
      const isFolder = subs.length === 0;
      const folders = isFolder ? [{ label: shown, files: self }] : subs.map((s) => ({ label: s, files: groups.get(s)! }));
      job.say('decrypting share keystores…');
      const fp = typedFingerprint(fingerprint.value);
      const report = await verifyCeremony({
        manifestText,
        manifestSource: `${shown}/ceremony.json`,
        folders,
        wholeTree: !isFolder,
        ...(isFolder ? {} : { rootFiles: { label: shown, files: self } }),
        ...(typedPassword === '' ? {} : { password: typedPassword }),
        ...(fp === '' ? {} : { expectedFingerprint: fp }),
        signal,
        onProgress,
      });
      const m = report.manifest;
      const lines = [`${isFolder ? 'Operator folder' : 'Ceremony tree'} ${shown}: ${m.kind}, threshold ${m.threshold} of ${m.operators.length}, ${m.validators.length} validator(s)`];
      for (const l of report.lines) {
        const who = l.culprits && l.culprits.length > 0 ? ` [culprit: ${l.culprits.join(', ')}]` : '';
        lines.push(`  ${MARK[l.status]} ${l.check.padEnd(9)} ${l.subject}: ${l.detail}${who}`);
      }
      lines.push(`Ceremony fingerprint: ${report.fingerprint}`);
      lines.push(`  in groups, to read aloud: ${fingerprintGroups(report.fingerprint)}`);
      if (isFolder && fp === '') lines.push('  (compare it with the other operators over a separate channel, or give the fingerprint)');
      const failed = report.lines.filter((l) => l.status === 'fail').length;
      lines.push(report.ok ? 'All checks passed.' : `${failed} check(s) FAILED.`);
      out.textContent = lines.join('\n');
      out.className = report.ok ? 'report ok' : 'report bad';
      job.say(report.ok ? 'All checks passed.' : `${failed} check(s) FAILED.`);
    } finally {
      if (all !== undefined) wipeEntries(all);
    }
  });
}
