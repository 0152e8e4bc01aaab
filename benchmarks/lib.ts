/**
 * Benchmark helpers: timing with warm-up and a median, a printed table, and JSON written to benchmarks/results/.
 * Benchmarks never run inside unit tests; `npm run bench` runs them all, `npm run bench -- <name>` one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly samples: number;
}

/** Runs `fn` until `minSamples` samples and at least `minTimeMs` elapsed; returns the median per call. */
export async function time(fn: () => unknown, minSamples = 5, minTimeMs = 300): Promise<Timing> {
  await fn(); // warm-up
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minSamples || performance.now() - start < minTimeMs) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= 200) break;
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[samples.length >> 1]!, minMs: samples[0]!, samples: samples.length };
}

export type Row = Record<string, string | number | boolean | null>;

/** Prints `rows` as a table under `title` and writes them with machine facts to results/<name>.json. */
export function report(name: string, title: string, rows: Row[], extra: Record<string, unknown> = {}): void {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (typeof v === 'number' ? fmt(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  console.log(`\n## ${title}`);
  console.log(cols.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => cell(r[c]).padStart(widths[i]!)).join('  '));
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
  const json = { name, title, date: new Date().toISOString(), machine, rows, ...extra };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
