/**
 * The split screen (issue 17): validator keys in (dropped EIP-2335 keystores with their passwords typed in the
 * page or dropped beside them as keystore-<v>.txt, or a typed BIP-39 mnemonic), operators, threshold and KDF
 * chosen; out: one zip per operator folder holding the files `dvkeys split --out DIR` writes (the same library
 * call, `runSplit`, makes them: the zips hold its file list unchanged) and the root ceremony.json, with the
 * ceremony fingerprint.
 *
 * The order of things is the CLI's (src/cli/commands/split.ts): the safety gate before any key is read, share
 * inputs refused (SHARE_INPUT), input keystores decrypted inside runSplit. KDF jobs run in the page's Web
 * Workers (web/kdf-pool.ts); Cancel aborts the call and terminates the workers, and nothing is offered.
 *
 * Secrets: the typed passwords and mnemonic are read from their fields when Split is pressed and the fields are
 * cleared; derived keys and the password files are wiped once zipped; the zips' bytes are wiped once the browser
 * holds them as blobs (which script cannot wipe: "Clear" revokes them).
 *
 * @module
 */
import { DvkeysError } from '../src/index.js';
import {
  ceremonyFingerprint,
  groupShares,
  runSplit,
  shareHolders,
  shareInputReason,
  SHARE_FOLDER_MARKERS,
  type NeighbourFile,
  type ValidatorKeyInput,
} from '../src/ceremony/index.js';
import { deriveValidatorKeys, loadBip39Wordlists, parseKeystore, type KdfChoice } from '../src/keys/index.js';
import { assertSplitSafety, defaultThreshold } from '../src/safety/index.js';
import { byId, fingerprintGroups } from './dom.js';
import { Downloads, readInputs, wipeEntries, zipFiles, type Entries, type OutFile } from './files.js';
import { Job } from './job.js';

const natural = new Intl.Collator('en', { numeric: true });
const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DvkeysError('INVALID_FORMAT', `${path} is not UTF-8 text`, { field: path });
  }
}

/** The input keystores of the dropped files, in natural order, with their passwords; share inputs refused. */
function keystoreInputs(entries: Entries, typedPassword: string): { keystore: ReturnType<typeof parseKeystore>; password: string; source: string }[] {
  const names = [...entries.keys()].filter((p) => /(^|\/)keystore[^/]*\.json$/.test(p)).sort(natural.compare);
  if (names.length === 0) throw new DvkeysError('INVALID_ARGUMENT', 'no input: drop keystore*.json files (or type a mnemonic)', { field: 'keystores' });
  const markers: NeighbourFile[] = [...entries.keys()]
    .filter((p) => (SHARE_FOLDER_MARKERS as readonly string[]).includes(p.split('/').pop()!))
    .map((p) => ({ path: p, text: text(entries.get(p)!, p) }));
  return names.map((source) => {
    const keystore = parseKeystore(text(entries.get(source)!, source), source);
    const share = shareInputReason(keystore, markers);
    if (share !== undefined) {
      throw new DvkeysError('SHARE_INPUT', `${source} is a share, not a validator key: ${share}; splitting it again makes shares of a share (the CLI's --allow-share-input does that; this page does not)`, { field: source });
    }
    const txt = source.replace(/\.json$/, '.txt');
    const beside = entries.get(txt);
    const password = typedPassword !== '' ? typedPassword : beside === undefined ? undefined : text(beside, txt);
    if (password === undefined) throw new DvkeysError('INVALID_ARGUMENT', `no password for ${source}: type it in the password field or drop ${txt} with it`, { field: source });
    return { keystore, password, source };
  });
}

/** Validator indices `first .. first+count-1` of the mnemonic screen fields. */
function indices(firstText: string, countText: string): number[] {
  const first = Number(firstText === '' ? '0' : firstText);
  const count = Number(countText === '' ? '1' : countText);
  if (!Number.isSafeInteger(first) || first < 0) throw new DvkeysError('INVALID_ARGUMENT', `first validator index must be 0 or more, got '${firstText}'`, { field: 'indices' });
  if (!Number.isSafeInteger(count) || count < 1 || count > 10_000) throw new DvkeysError('INVALID_ARGUMENT', `number of validators must be 1..10000, got '${countText}'`, { field: 'indices' });
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Wires the split screen. */
export function setupSplit(): void {
  const files = byId<HTMLInputElement>('split-files');
  const password = byId<HTMLInputElement>('split-password');
  const mnemonic = byId<HTMLTextAreaElement>('split-mnemonic');
  const passphrase = byId<HTMLInputElement>('split-passphrase');
  const first = byId<HTMLInputElement>('split-first');
  const count = byId<HTMLInputElement>('split-count');
  const operators = byId<HTMLInputElement>('split-operators');
  const threshold = byId<HTMLInputElement>('split-threshold');
  const kdfChoice = byId<HTMLSelectElement>('split-kdf');
  const sharePassword = byId<HTMLInputElement>('split-share-password');
  const sharePassword2 = byId<HTMLInputElement>('split-share-password2');
  const fingerprint = byId<HTMLElement>('split-fingerprint');
  const groups = byId<HTMLElement>('split-fingerprint-groups');
  const downloads = new Downloads(byId('split-downloads'));
  const job = new Job('split', {
    run: byId<HTMLButtonElement>('split-run'),
    cancel: byId<HTMLButtonElement>('split-cancel'),
    progress: byId<HTMLProgressElement>('split-progress'),
    status: byId('split-status'),
    error: byId('split-error'),
  });
  byId<HTMLButtonElement>('split-clear').addEventListener('click', () => {
    downloads.clear();
    fingerprint.textContent = '';
    groups.textContent = '';
    job.say('');
  });

  job.onRun(async (signal, onProgress) => {
    downloads.clear();
    fingerprint.textContent = '';
    groups.textContent = '';
    // Secrets leave their fields at once; the fields are cleared whatever happens.
    const typed = { password: password.value, mnemonic: mnemonic.value.trim(), passphrase: passphrase.value, share: sharePassword.value, share2: sharePassword2.value };
    for (const f of [password, mnemonic, passphrase, sharePassword, sharePassword2]) f.value = '';
    let entries: Entries | undefined;
    let derived: ValidatorKeyInput[] = [];
    try {
      // The safety gate before any key is read or decrypted (as the CLI): a refused split asks nothing.
      const holders = shareHolders(operators.value);
      const t = threshold.value.trim() === '' ? defaultThreshold(holders.length) : Number(threshold.value);
      assertSplitSafety({ threshold: t, operators: groupShares(holders) });
      if (typed.share !== typed.share2) throw new DvkeysError('INVALID_ARGUMENT', 'the two share passwords differ', { field: 'sharePassword' });
      if (typed.share !== '' && [...typed.share].length < 8) throw new DvkeysError('INVALID_ARGUMENT', 'the share password must have at least 8 characters', { field: 'sharePassword' });
      const kdf: KdfChoice = kdfChoice.value === 'scrypt' || kdfChoice.value === 'pbkdf2' ? kdfChoice.value : typed.share === '' ? 'pbkdf2' : 'scrypt';
      const picked = Array.from(files.files ?? []);
      let validators;
      if (typed.mnemonic !== '') {
        if (picked.length > 0) throw new DvkeysError('INVALID_ARGUMENT', 'give keystores or a mnemonic, not both', { field: 'mnemonic' });
        await loadBip39Wordlists(); // every BIP-39 language, as the CLI
        const keys = await deriveValidatorKeys(typed.mnemonic, { indices: indices(first.value, count.value), passphrase: typed.passphrase });
        derived = keys.map((k) => ({ secret: k.secret, source: `mnemonic index ${k.index}` }));
        validators = derived;
      } else {
        entries = await readInputs(picked);
        validators = keystoreInputs(entries, typed.password);
      }
      job.say(`decrypting input keystores and encrypting ${holders.length * validators.length} share keystores…`);
      const result = await runSplit({
        validators,
        operators: holders,
        threshold: t,
        kdf,
        ...(typed.share === '' ? {} : { sharePassword: typed.share }),
        signal,
        onProgress,
      });
      if (signal.aborted) throw new DvkeysError('ABORTED', 'cancelled');
      offer(result.files, downloads);
      for (const f of result.files) if (f.kind === 'password') f.bytes.fill(0);
      const root = result.files.find((f) => f.path === 'ceremony.json')!;
      const fp = ceremonyFingerprint(new TextDecoder().decode(root.bytes));
      fingerprint.textContent = fp;
      groups.textContent = `in groups, to read aloud: ${fingerprintGroups(fp)}`;
      const m = result.manifest;
      const held = groupShares(holders).map((g) => `${g.name} ${g.shares}`).join(', ');
      job.say(`Split ${m.validators.length} validator key(s) into ${holders.length} shares, threshold ${m.threshold} of ${holders.length} (${held}). Every share, the polynomial and a threshold signature were checked. Hand each zip to the operator that runs that node, and tell every operator the fingerprint over another channel.`);
    } finally {
      for (const d of derived) d.secret.fill(0);
      if (entries !== undefined) wipeEntries(entries);
    }
  });
}

/** One zip per operator folder (its entries under `<folder>/`), and each root file (ceremony.json, deposit data). */
function offer(files: readonly OutFile[], downloads: Downloads): void {
  const folders = new Map<string, OutFile[]>();
  for (const f of files) {
    const i = f.path.indexOf('/');
    if (i < 0) {
      const copy = new Uint8Array(f.bytes);
      downloads.add(f.path, copy, 'application/json', '(public: the root copy, for a whole-tree check)');
      continue;
    }
    const folder = f.path.slice(0, i);
    folders.set(folder, [...(folders.get(folder) ?? []), f]);
  }
  for (const [folder, list] of folders) { // in the order runSplit lays them out: operator order
    downloads.add(`${folder}.zip`, zipFiles(list), 'application/zip', `(${list.map((f) => f.path.slice(folder.length + 1)).join(', ')})`);
  }
}

