// `npm run sim -- --seeds N [--start S] [--seed S] [--variant no-lock]`: runs seeds through the
// simulator, prints each failing seed with the command that replays it, and ends with one JSON
// line. Exits non-zero on any violation.
import { optionsForSeed, simulate } from './simulate';
import { brokenVariants } from './variants';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const single = arg('seed');
const start = Number(single ?? arg('start') ?? 1);
const seeds = single ? 1 : Number(arg('seeds') ?? 100);
const variant = arg('variant');
const prevoteRule = variant ? brokenVariants[variant] : undefined;
if (variant && !prevoteRule) {
  process.stderr.write(
    `Unknown variant "${variant}". Known: ${Object.keys(brokenVariants).join(', ')}\n`,
  );
  process.exit(2);
}

const began = performance.now();
let violations = 0;
let committedBlocks = 0;
let virtualMs = 0;
for (let seed = start; seed < start + seeds; seed++) {
  const result = await simulate(optionsForSeed(seed, prevoteRule ? { prevoteRule } : {}));
  committedBlocks += result.committedBlocks;
  virtualMs += result.virtualMs;
  if (result.violations.length > 0) {
    violations += result.violations.length;
    for (const v of result.violations) process.stdout.write(`seed ${seed}: ${v}\n`);
    process.stdout.write(
      `  replay: npm run sim -- --seed ${seed}${variant ? ` --variant ${variant}` : ''}\n`,
    );
  }
}
process.stdout.write(
  JSON.stringify({
    seeds,
    violations,
    committed_blocks: committedBlocks,
    virtual_s: Math.round(virtualMs / 100) / 10,
    wall_s: Math.round((performance.now() - began) / 100) / 10,
  }) + '\n',
);
process.exitCode = violations > 0 ? 1 : 0;
