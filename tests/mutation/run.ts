// `npm run mutate [-- stryker options]`: StrykerJS over the verification core (stryker.config.js),
// then one JSON line per mutated file and per target group, then the durability mutants that
// StrykerJS cannot make (they live in adapters, and are checked against the node's own tests).
// The HTML report is reports/mutation/index.html; a rerun is incremental (only what changed).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkDurabilityMutants } from './durabilityMutants';
import { summarise, survivors, type MutationReport } from './summary';

const REPORT = 'reports/mutation/mutation.json';
const started = Date.now();
const stryker = spawnSync(
  process.execPath,
  [
    'node_modules/@stryker-mutator/core/bin/stryker.js',
    'run',
    'stryker.config.js',
    ...process.argv.slice(2),
  ],
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
  const met = g.score >= g.target;
  if (!met) below++;
  console.log(JSON.stringify({ ...g, met }));
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
