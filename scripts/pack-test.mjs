// CI gate (issue 13, decision 0808): the package as npm publishes it builds itself and installs and runs in a
// clean project. It removes dist/, runs `npm pack` (so the tarball has a dist/ only if `prepack` built it), checks
// its contents (scripts/check-pack.mjs), installs the tarball into a temporary project outside the repository with
// `npm ci --offline` (a lockfile made from this repository's: the runtime dependencies at their locked versions,
// taken from the npm cache that `npm ci` filled, so no network), then imports every entry point of the exports map,
// runs a keystore round trip through `dvkeys/keys` (the `#kdf-native` import resolves to node:crypto), and runs the
// `dvkeys` bin: `--version` and `plan --json`. About 25 s, 20 of them the build.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const fail = (message) => {
  console.error(`pack test: ${message}`);
  process.exit(1);
};

const dir = mkdtempSync(join(tmpdir(), 'dvkeys-pack-'));
try {
  const started = Date.now();
  rmSync(join(repo, 'dist'), { recursive: true, force: true });
  // prepack's build logs share stdout with npm's JSON, which is the last thing printed and starts at a line '['.
  const out = run('npm', ['pack', '--json', '--pack-destination', dir], repo);
  const [packed] = JSON.parse(out.slice(out.lastIndexOf('\n[\n') + 1));
  const files = packed.files.map((f) => f.path);
  if (!files.includes(pkg.bin.dvkeys.replace(/^\.\//, ''))) fail(`the tarball has no ${pkg.bin.dvkeys}: prepack did not build`);
  const maps = files.filter((p) => p.endsWith('.map'));
  if (maps.length > 0 && process.env.DVKEYS_SOURCEMAPS !== '1') fail(`${maps.length} source maps packed (e.g. ${maps[0]}); decision 0808 ships none`);
  execFileSync(process.execPath, [join(repo, 'scripts/check-pack.mjs')], { cwd: repo, stdio: 'inherit' });

  // A project that depends on the tarball alone, locked to this repository's runtime dependency tree.
  const tgz = packed.filename;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(dir, tgz))).digest('base64')}`;
  const root = { name: 'dvkeys-pack-test', version: '1.0.0', private: true, type: 'module', dependencies: { dvkeys: `file:${tgz}` } };
  const packages = {
    '': { name: root.name, version: root.version, dependencies: root.dependencies },
    'node_modules/dvkeys': { version: pkg.version, resolved: `file:${tgz}`, integrity, license: pkg.license, dependencies: pkg.dependencies, engines: pkg.engines, bin: pkg.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.devOptional) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(root, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages }, null, 2));
  try {
    run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  } catch (e) {
    fail(`npm ci --offline in ${dir} failed (is the npm cache filled by this repository's npm ci?):\n${e.stderr}`);
  }

  // Every entry point imports from the installed package; a keystore round trip resolves #kdf-native.
  const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => `dvkeys${k.slice(1)}`);
  const probe = `
    const names = ${JSON.stringify(entries)};
    for (const name of names) {
      const m = await import(name);
      if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing');
    }
    const keys = await import('dvkeys/keys');
    const secret = new Uint8Array(32); secret[31] = 7;
    const ks = await keys.encryptKeystore(secret, 'pack-test', { kdf: 'scrypt', kdfParams: { n: 16 } });
    const back = await keys.decryptKeystore(ks, 'pack-test');
    if (back[31] !== 7) throw new Error('keystore round trip failed');
    console.log(names.length);`;
  const imported = run(process.execPath, ['--input-type=module', '-e', probe], dir).trim();
  if (imported !== String(entries.length)) fail(`imported ${imported} of ${entries.length} entry points`);

  // The bin, through node_modules/.bin as an installed user runs it.
  const bin = join(dir, 'node_modules', '.bin', 'dvkeys');
  const version = run(bin, ['--version'], dir).trim();
  if (version !== `dvkeys ${pkg.version}`) fail(`dvkeys --version printed '${version}'`);
  const plan = JSON.parse(run(bin, ['plan', '--operators', '4', '--top', '1', '--json'], dir));
  if (typeof plan !== 'object' || plan === null) fail('dvkeys plan --json printed no object');
  console.log(`pack test: ${tgz} (${packed.size} bytes, ${files.length} files, ${maps.length} source maps) built by prepack, installed offline, ${entries.length} entry points imported, '${version}', plan ok, ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
