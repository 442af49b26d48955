// `npm run mutate [-- stryker options]`: StrykerJS over the verification core (stryker.config.js),
// then one JSON line per mutated file and per target group, then the durability mutants that
// StrykerJS cannot make (they live in adapters, and are checked against the node's own tests).
// The HTML report is reports/mutation/index.html; a rerun is incremental (only what changed).
// Each run's report is also kept as reports/mutation/runs/<time>.json, so runs over parts of the
// core (`-- --mutate a.ts,b.ts`, one per quiet hour) add up: `npm run mutate -- --combine
// reports/mutation/runs/A.json reports/mutation/runs/B.json` scores them as one run, the later
// run of a file counting.
// StrykerJS lives in tools/mutation, installed from its lockfile on the first run: it needs Node
// 22.18+ (which the scripts run on), and in the wallet's own install npm would print an
// EBADENGINE warning for each of its ~50 packages and add 62 MB nobody else uses.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { checkDurabilityMutants } from './durabilityMutants';
import { combineReports, summarise, survivors, type MutationReport } from './summary';

const REPORT = 'reports/mutation/mutation.json';
const TOOLS = 'tools/mutation';
const STRYKER = `${TOOLS}/node_modules/@stryker-mutator/core/bin/stryker.js`;
// npm writes its record of node_modules last, so an install cut off halfway is done again.
const INSTALLED = `${TOOLS}/node_modules/.package-lock.json`;

/** Prints one line per file and per target group; returns how many groups miss their target. */
function report(result: MutationReport, minutes: number | null): number {
  const { files, groups } = summarise(result);
  const lines = survivors(result);
  writeFileSync('reports/mutation/survivors.txt', lines.join('\n') + '\n');
  for (const f of files) console.log(JSON.stringify(f));
  let below = 0;
  for (const g of groups) {
    // A group this run did not mutate (`--mutate` named other files) is neither met nor missed.
    if (g.met === false) below++;
    console.log(JSON.stringify(g));
  }
  console.log(
    JSON.stringify({
      mutation: minutes === null ? 'combined' : 'run',
      minutes,
      survivors: lines.length,
      list: 'reports/mutation/survivors.txt',
    }),
  );
  return below;
}

const readReport = (file: string): MutationReport =>
  JSON.parse(readFileSync(file, 'utf8')) as MutationReport;

const args = process.argv.slice(2);
if (args[0] === '--combine') {
  // Scores earlier runs' reports as one; runs nothing (the durability mutants included).
  mkdirSync('reports/mutation', { recursive: true });
  process.exit(report(combineReports(args.slice(1).map(readReport)), null) === 0 ? 0 : 1);
}

if (!existsSync(INSTALLED)) {
  console.log(`Installing StrykerJS into ${TOOLS} (once, from its package-lock.json)…`);
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: TOOLS,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const started = Date.now();
const stryker = spawnSync(process.execPath, [STRYKER, 'run', 'stryker.config.js', ...args], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (stryker.status !== 0) process.exit(stryker.status ?? 1);
const minutes = Math.round((Date.now() - started) / 6000) / 10;

mkdirSync('reports/mutation/runs', { recursive: true });
copyFileSync(
  REPORT,
  `reports/mutation/runs/${new Date(started).toISOString().replace(/:/g, '-')}.json`,
);
const below = report(readReport(REPORT), minutes);

let undetected = 0;
for (const result of checkDurabilityMutants()) {
  console.log(JSON.stringify(result));
  if (!result.killed) undetected++;
}
// Non-zero when a target group scores below its target or a durability mutant goes unnoticed.
process.exit(undetected === 0 && below === 0 ? 0 : 1);
