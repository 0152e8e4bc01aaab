/**
 * A real pseudo-terminal (issue 13 "Prompts", decision 0802): the CLI runs under a pty (python3's pty module), the
 * test waits for the password prompt, types the password (with a typo erased by Backspace) and Enter, and checks
 * that the terminal never showed it: cli/terminal.ts puts the pty in raw mode, so the line discipline does not
 * echo. A control run shows the same harness does see echoed text when a program leaves the terminal cooked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptKeystore, keystoreToJson } from '../../src/keys/keystore.js';
import { SECRETS } from '../helpers/inputs.js';

const repo = resolve(import.meta.dirname, '../..');
const PASSWORD = 'Zq7-tty-secret-41';
const hasPython = spawnSync('python3', ['-c', 'import pty, select, os'], { stdio: 'ignore' }).status === 0;

/**
 * Runs argv under a pty; once the output contains `waitFor`, types `keys`. Returns everything the terminal showed
 * (the program's output and any echo) and the exit code.
 */
function underPty(argv: string[], waitFor: string, keys: string, cwd: string): { screen: string; code: number } {
  const script = `
import os, pty, select, sys, json, time
argv = json.loads(sys.argv[1]); wait = sys.argv[2].encode(); keys = sys.argv[3].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen = b''; sent = False; deadline = time.time() + 150
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if fd in r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    if not sent and wait in seen:
        time.sleep(0.2)
        os.write(fd, keys); sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({"screen": seen.decode("utf-8", "replace"), "code": os.waitstatus_to_exitcode(status), "sent": sent}))
`;
  const r = spawnSync('python3', ['-c', script, JSON.stringify(argv), waitFor, keys], { cwd, encoding: 'utf8', timeout: 170_000 });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { screen: string; code: number; sent: boolean };
  expect(out.sent, out.screen).toBe(true);
  return out;
}

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dvkeys-pty-'));
  mkdirSync(join(root, 'in'));
  const ks = await encryptKeystore(Buffer.from(SECRETS[0]!, 'hex'), PASSWORD, { kdf: 'pbkdf2', kdfParams: { c: 16 } });
  writeFileSync(join(root, 'in', 'keystore-0.json'), keystoreToJson(ks)); // no .txt: split must ask
});

describe.skipIf(!hasPython)('password prompt on a real terminal', () => {
  it('split asks for the input password without echo; Backspace works; the split succeeds', () => {
    const cli = [process.execPath, '--import', 'tsx', join(repo, 'src/cli/main.ts')];
    const { screen, code } = underPty([...cli, 'split', join(root, 'in'), '--operators', '3', '--out', join(root, 'out'), '--insecure-keys'], '(not shown): ', `${PASSWORD}X\x7f\r`, repo);
    expect(screen).toContain('(not shown): ');
    expect(code, screen).toBe(0);
    expect(screen).toContain('Split 1 validator key(s) into 3 shares');
    expect(existsSync(join(root, 'out', 'ceremony.json'))).toBe(true);
    // Not the password, nor any part of it a terminal would echo as typed, nor the erased typo.
    expect(screen).not.toContain(PASSWORD);
    expect(screen).not.toContain('tty-secret');
    expect(screen).not.toContain(`${PASSWORD.slice(0, 4)}`);
  }, 180_000);

  it('control: the same harness sees typed text that a program in cooked mode lets the terminal echo', () => {
    const { screen, code } = underPty([process.execPath, '-e', "process.stdout.write('ready> '); process.stdin.once('data', () => process.exit(0))"], 'ready> ', `${PASSWORD}\r`, root);
    expect(code).toBe(0);
    expect(screen).toContain(PASSWORD);
  }, 60_000);
});
