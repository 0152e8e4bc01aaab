/**
 * One long-running action of a screen (split, verify, combine): its Run and Cancel buttons, progress bar, status
 * line and error line. Cancel aborts the action's AbortSignal and terminates the KDF workers (web/kdf-pool.ts), so
 * a running scrypt stops at once; the action then ends with the library's AbortedError, shown as "cancelled".
 * Any other failure is shown as the CLI's one line (web/dom.ts `errorLine`).
 *
 * @module
 */
import { isDvkeysError } from '../src/index.js';
import { errorLine } from './dom.js';
import { cancelKdfJobs } from './kdf-pool.js';

/** The elements of a job. */
export interface JobElements {
  readonly run: HTMLButtonElement;
  readonly cancel: HTMLButtonElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLElement;
  readonly error: HTMLElement;
}

type Action = (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<void>;

export class Job {
  /** The job running now: one at a time, since Cancel terminates every KDF worker. */
  private static current: Job | undefined;
  private controller: AbortController | undefined;
  private action: Action | undefined;

  constructor(
    private readonly command: string,
    private readonly ui: JobElements,
  ) {
    ui.cancel.disabled = true;
    ui.progress.hidden = true;
    ui.run.addEventListener('click', (ev) => {
      ev.preventDefault();
      void this.start();
    });
    ui.cancel.addEventListener('click', (ev) => {
      ev.preventDefault();
      this.cancel();
    });
  }

  /** The action Run starts. */
  onRun(action: Action): void {
    this.action = action;
  }

  /** Sets the status line. */
  say(text: string): void {
    this.ui.status.textContent = text;
  }

  /** True while the action runs. */
  get running(): boolean {
    return this.controller !== undefined;
  }

  cancel(): void {
    if (this.controller === undefined) return;
    this.controller.abort();
    cancelKdfJobs();
  }

  private async start(): Promise<void> {
    if (this.action === undefined || this.controller !== undefined) return;
    if (Job.current !== undefined) {
      this.ui.error.textContent = `dvkeys ${this.command}: error: ${Job.current.command} is still running; wait for it or cancel it`;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    Job.current = this;
    const { run, cancel, progress, error } = this.ui;
    run.disabled = true;
    cancel.disabled = false;
    error.textContent = '';
    progress.hidden = false;
    progress.removeAttribute('value');
    this.say('working…');
    const onProgress = (done: number, total: number): void => {
      progress.max = Math.max(total, 1);
      progress.value = done;
      progress.textContent = `${done} of ${total}`;
    };
    try {
      await this.action(controller.signal, onProgress);
    } catch (e) {
      if (controller.signal.aborted && isDvkeysError(e, 'ABORTED')) {
        this.say('Cancelled: nothing was made.');
      } else {
        this.say('');
        error.textContent = errorLine(this.command, e);
      }
    } finally {
      this.controller = undefined;
      Job.current = undefined;
      run.disabled = false;
      cancel.disabled = true;
      progress.hidden = true;
      run.focus();
    }
  }
}
