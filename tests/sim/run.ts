// `npm run sim -- --seeds N [--start S] [--seed S] [--variant no-lock] [--jobs J]`: runs seeds
// through the simulator, prints each failing seed with the command that replays it, and ends
// with one JSON line. Exits non-zero on any violation. Seeds are split over J processes (by
// default one per core); each seed's run is the same whichever process runs it.
// SIM_DEBUG=1 prints each node's final engine state; SIM_TRACE=1 every honest vote, decision
// and sync as it happens (use them with --seed).
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { optionsForSeed, simulate } from './simulate';
import { brokenVariants } from './variants';

interface Totals {
  seeds: number;
  violations: number;
  committed_blocks: number;
  virtual_s: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const single = arg('seed');
const start = Number(single ?? arg('start') ?? 1);
const seeds = single ? 1 : Number(arg('seeds') ?? 100);
const variant = arg('variant');
const jobs = Math.max(1, Math.min(seeds, Number(arg('jobs') ?? availableParallelism())));
const prevoteRule = variant ? brokenVariants[variant] : undefined;
if (variant && !prevoteRule) {
  process.stderr.write(
    `Unknown variant "${variant}". Known: ${Object.keys(brokenVariants).join(', ')}\n`,
  );
  process.exit(2);
}

/** Runs seeds [from, from + count) here, printing failures; returns the totals. */
async function runHere(from: number, count: number): Promise<Totals> {
  const totals: Totals = { seeds: count, violations: 0, committed_blocks: 0, virtual_s: 0 };
  let virtualMs = 0;
  for (let seed = from; seed < from + count; seed++) {
    const result = await simulate(optionsForSeed(seed, prevoteRule ? { prevoteRule } : {}));
    totals.committed_blocks += result.committedBlocks;
    virtualMs += result.virtualMs;
    if (result.violations.length > 0) {
      totals.violations += result.violations.length;
      for (const v of result.violations) process.stdout.write(`seed ${seed}: ${v}\n`);
      process.stdout.write(
        `  replay: npm run sim -- --seed ${seed}${variant ? ` --variant ${variant}` : ''}\n`,
      );
    }
  }
  totals.virtual_s = virtualMs / 1000;
  return totals;
}

/** Runs seeds [from, from + count) in a child process; passes its output through. */
function runInChild(from: number, count: number): Promise<Totals> {
  const args = ['--start', String(from), '--seeds', String(count), '--jobs', '1'];
  if (variant) args.push('--variant', variant);
  const child = fork(process.argv[1]!, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let totals: Totals | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) totals = JSON.parse(line) as Totals;
    else process.stdout.write(line + '\n');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (totals) resolve(totals);
      else reject(new Error(`seeds ${from}–${from + count - 1}: the run stopped (exit ${code})`));
    });
  });
}

const began = performance.now();
let parts: Totals[];
if (jobs === 1) {
  parts = [await runHere(start, seeds)];
} else {
  const size = Math.ceil(seeds / jobs);
  const chunks = Array.from({ length: jobs }, (_, j) => ({
    from: start + j * size,
    count: Math.max(0, Math.min(size, seeds - j * size)),
  })).filter((c) => c.count > 0);
  parts = await Promise.all(chunks.map((c) => runInChild(c.from, c.count)));
}
const sum = (key: keyof Totals): number => parts.reduce((s, p) => s + p[key], 0);
const violations = sum('violations');
process.stdout.write(
  JSON.stringify({
    seeds: sum('seeds'),
    violations,
    committed_blocks: sum('committed_blocks'),
    virtual_s: Math.round(sum('virtual_s') * 10) / 10,
    wall_s: Math.round((performance.now() - began) / 100) / 10,
  }) + '\n',
);
process.exitCode = violations > 0 ? 1 : 0;
