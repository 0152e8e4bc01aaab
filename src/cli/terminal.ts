/**
 * The real process's standard input for prompts (cli/io.ts `Terminal`): a hidden line read in raw mode, so
 * nothing typed is echoed, and stdin read to its end for `-` values.
 *
 * In raw mode the terminal sends Ctrl-C as a byte instead of raising SIGINT, so it is turned into the same
 * interrupt the signal handler gives (`interrupt`). Raw mode is always left again, on Enter, Ctrl-C, Ctrl-D, an
 * abort and an error.
 *
 * @module
 */
import { AbortedError, DvkeysError } from '../errors.js';
import type { Terminal } from './io.js';

/** A {@link Terminal} over process.stdin; `interrupt()` is what SIGINT does; `signal` is the run's. */
export function processTerminal(signal: AbortSignal, interrupt: () => void): Terminal {
  const stdin = process.stdin;
  const isTTY = stdin.isTTY === true;
  return {
    isTTY,
    askHidden: (question, status) =>
      new Promise<string>((resolve, reject) => {
        if (!isTTY) return reject(new DvkeysError('INVALID_ARGUMENT', 'standard input is not a terminal', { field: 'stdin' }));
        if (signal.aborted) return reject(new AbortedError('interrupted at a prompt; nothing was written'));
        let typed = '';
        const draw = (): void => void process.stderr.write(`\r\x1b[K${question}${status?.(typed) ?? ''}`);
        const finish = (error?: Error): void => {
          stdin.removeListener('data', onData);
          signal.removeEventListener('abort', onAbort);
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          if (error === undefined) resolve(typed);
          else reject(error);
          typed = '';
        };
        const onAbort = (): void => finish(new AbortedError('interrupted at a prompt; nothing was written'));
        const onData = (chunk: Buffer): void => {
          const text = chunk.toString('utf8');
          if (text.startsWith('\x1b')) return; // arrow keys and other escape sequences: not part of a secret
          for (const ch of text) {
            if (ch === '\r' || ch === '\n') return finish();
            if (ch === '\x03') return interrupt(); // Ctrl-C: aborts the signal, which finishes this prompt
            if (ch === '\x04') {
              if (typed === '') return finish(new DvkeysError('INVALID_ARGUMENT', 'nothing typed at the prompt (Ctrl-D)', { field: 'stdin' }));
              continue;
            }
            if (ch === '\x7f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
            else if (ch === '\x15') typed = '';
            else if (ch >= ' ') typed += ch;
          }
          if (status !== undefined) draw();
        };
        stdin.setRawMode(true);
        stdin.resume();
        stdin.on('data', onData);
        signal.addEventListener('abort', onAbort, { once: true });
        draw();
      }),
    readAll: (max) =>
      new Promise<string>((resolve, reject) => {
        if (signal.aborted) return reject(new AbortedError('interrupted while reading standard input; nothing was written'));
        const chunks: Buffer[] = [];
        let total = 0;
        const finish = (error?: Error): void => {
          stdin.removeListener('data', onData);
          stdin.removeListener('end', onEnd);
          stdin.removeListener('error', onError);
          signal.removeEventListener('abort', onAbort);
          stdin.pause();
          const bytes = Buffer.concat(chunks);
          for (const c of chunks) c.fill(0);
          try {
            if (error !== undefined) return reject(error);
            try {
              resolve(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
            } catch {
              reject(new DvkeysError('INVALID_FORMAT', 'standard input is not UTF-8 text', { field: 'stdin' }));
            }
          } finally {
            bytes.fill(0);
          }
        };
        const onData = (chunk: Buffer): void => {
          total += chunk.length;
          chunks.push(chunk);
          if (total > max) finish(new DvkeysError('LIMIT_EXCEEDED', `standard input is larger than ${max} bytes`, { field: 'stdin' }));
        };
        const onEnd = (): void => finish();
        const onError = (): void => finish(new DvkeysError('IO_FAILED', 'cannot read standard input', { field: 'stdin' }));
        const onAbort = (): void => finish(new AbortedError('interrupted while reading standard input; nothing was written'));
        stdin.on('data', onData);
        stdin.on('end', onEnd);
        stdin.on('error', onError);
        signal.addEventListener('abort', onAbort, { once: true });
        stdin.resume();
      }),
  };
}
