// `npm run mutate [-- stryker options]`: StrykerJS over the verification core (stryker.config.js),
// then one JSON line per mutated file and per target group, then the durability mutants that
// StrykerJS cannot make (they live in adapters, and are checked against the node's own tests).
// The HTML report is reports/mutation/index.html; a rerun is incremental (only what changed).
// StrykerJS lives in tools/mutation, installed from its lockfile on the first run: it needs Node
// 22.18+ (which the scripts run on), and in the wallet's own install npm would print an
// EBADENGINE warning for each of its ~50 packages and add 62 MB nobody else uses.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkDurabilityMutants } from './durabilityMutants';
import { summarise, survivors, type MutationReport } from './summary';

const REPORT = 'reports/mutation/mutation.json';
const TOOLS = 'tools/mutation';
const STRYKER = `${TOOLS}/node_modules/@stryker-mutator/core/bin/stryker.js`;
// npm writes its record of node_modules last, so an install cut off halfway is done again.
const INSTALLED = `${TOOLS}/node_modules/.package-lock.json`;

if (!existsSync(INSTALLED)) {
  console.log(`Installing StrykerJS into ${TOOLS} (once, from its package-lock.json)…`);
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: TOOLS,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const started = Date.now();
const stryker = spawnSync(
  process.execPath,
  [STRYKER, 'run', 'stryker.config.js', ...process.argv.slice(2)],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (stryker.status !== 0) process.exit(stryker.status ?? 1);
const minutes = Math.round((Date.now() - started) / 6000) / 10;

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport;
const { files, groups } = summarise(report);
const lines = survivors(report);
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
    mutation: 'run',
    minutes,
    survivors: lines.length,
    list: 'reports/mutation/survivors.txt',
  }),
);

let undetected = 0;
for (const result of checkDurabilityMutants()) {
  console.log(JSON.stringify(result));
  if (!result.killed) undetected++;
}
// Non-zero when a target group scores below its target or a durability mutant goes unnoticed.
process.exit(undetected === 0 && below === 0 ? 0 : 1);
