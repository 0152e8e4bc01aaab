/**
 * The combine screen (issue 17): at least t operator folders (picked as folders, or their zips) in, the recovered
 * validator keystores out as one zip holding what `dvkeys combine --out DIR` writes: `runCombine`'s
 * keystore-<v>.json files and, with no password given, the generated password beside each as keystore-<v>.txt
 * (src/cli/commands/combine.ts). dvkeys' layout only; Charon folders and slashing histories are the CLI's.
 *
 * @module
 */
import { DvkeysError } from '../src/index.js';
import { runCombine } from '../src/ceremony/index.js';
import { generatePassword, type KdfChoice } from '../src/keys/index.js';
import { byId } from './dom.js';
import { Downloads, manifestFolders, readInputs, wipeEntries, zipFiles, type Entries, type OutFile } from './files.js';
import { Job } from './job.js';

/** Wires the combine screen. */
export function setupCombine(): void {
  const files = byId<HTMLInputElement>('combine-files');
  const folder = byId<HTMLInputElement>('combine-folder');
  const sharePassword = byId<HTMLInputElement>('combine-share-password');
  const password = byId<HTMLInputElement>('combine-password');
  const password2 = byId<HTMLInputElement>('combine-password2');
  const kdfChoice = byId<HTMLSelectElement>('combine-kdf');
  const downloads = new Downloads(byId('combine-downloads'));
  const job = new Job('combine', {
    run: byId<HTMLButtonElement>('combine-run'),
    cancel: byId<HTMLButtonElement>('combine-cancel'),
    progress: byId<HTMLProgressElement>('combine-progress'),
    status: byId('combine-status'),
    error: byId('combine-error'),
  });
  byId<HTMLButtonElement>('combine-clear').addEventListener('click', () => {
    downloads.clear();
    job.say('');
  });
  job.onRun(async (signal, onProgress) => {
    downloads.clear();
    const typed = { share: sharePassword.value, password: password.value, password2: password2.value };
    for (const f of [sharePassword, password, password2]) f.value = '';
    let all: Entries | undefined;
    const out: OutFile[] = [];
    try {
      if (typed.password !== typed.password2) throw new DvkeysError('INVALID_ARGUMENT', 'the two passwords differ', { field: 'password' });
      if (typed.password !== '' && [...typed.password].length < 8) throw new DvkeysError('INVALID_ARGUMENT', 'the password must have at least 8 characters', { field: 'password' });
      all = await readInputs([...Array.from(files.files ?? []), ...Array.from(folder.files ?? [])]);
      const folders = manifestFolders(all);
      if (folders.length === 0) throw new DvkeysError('INVALID_ARGUMENT', 'give the operator folders (or their zips), at least the threshold', { field: 'folders' });
      const kdf: KdfChoice = kdfChoice.value === 'pbkdf2' ? 'pbkdf2' : 'scrypt';
      const pw = typed.password === '' ? generatePassword() : typed.password;
      job.say('decrypting shares, encrypting keys…');
      const r = await runCombine({ folders, password: pw, kdf, ...(typed.share === '' ? {} : { sharePassword: typed.share }), signal, onProgress });
      if (signal.aborted) throw new DvkeysError('ABORTED', 'cancelled');
      for (const f of r.files) out.push({ path: f.path, bytes: f.bytes, secret: true });
      if (typed.password === '') r.files.forEach((_f, i) => out.push({ path: `keystore-${i}.txt`, bytes: new TextEncoder().encode(pw), secret: true }));
      downloads.add('recovered-keys.zip', zipFiles(out), 'application/zip', `(${out.map((f) => f.path).join(', ')})`);
      const skipped = r.skipped.map((sk) => `warning: set aside ${sk.folder}: ${sk.reason} [${sk.code}]`);
      job.say([
        `Recovered ${r.manifest.validators.length} validator key(s) from ${r.operators.join(', ')}; each matches its validator pubkey.`,
        ...skipped,
        'Before importing these keys into a validator client, stop every node of the cluster and keep it stopped: a key signing both solo and in the cluster will be slashed. Import its slashing-protection history too.',
      ].join(' '));
    } finally {
      for (const f of out) f.bytes.fill(0);
      if (all !== undefined) wipeEntries(all);
    }
  });
}
