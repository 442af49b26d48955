/**
 * Three mutants StrykerJS does not make, because they live in adapters outside the pure core:
 * each is a one-line edit that weakens durability, applied to a copy of the project, and each
 * must make its guard test fail. The unedited copy must pass the same tests first, so a broken
 * copy is never mistaken for a caught mutant.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface DurabilityMutant {
  name: string;
  file: string;
  find: string;
  replace: string;
  guard: string;
}

const WAL_WRITE = `    await store.putConsensusState(
      chainId,
      encodeWal({ snapshot: engine.snapshot(), own: own.messages }),
    );
`;
const PUBLISH = `    for (const m of outgoing) publish('consensus', encodeConsensusMessage(m));
`;

export const DURABILITY_MUTANTS: readonly DurabilityMutant[] = [
  {
    name: 'SQLite pragmas weakened: synchronous = OFF, journal in memory',
    file: 'src/store/createSqliteChainStore.ts',
    find: 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;',
    replace: 'PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;',
    guard: 'tests/store/sqliteDurability.test.ts',
  },
  {
    name: "validator's vote record written after the vote is sent",
    file: 'src/node/createChainNode.ts',
    find: WAL_WRITE + PUBLISH,
    replace: PUBLISH + WAL_WRITE,
    guard: 'tests/node/crashAfterVote.test.ts',
  },
  {
    name: "validator's vote record never written",
    file: 'src/node/createChainNode.ts',
    find: WAL_WRITE + PUBLISH,
    replace: PUBLISH,
    guard: 'tests/node/crashAfterVote.test.ts',
  },
];

const SANDBOX = resolve('reports/durability-sandbox');
const CONFIG = `import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { testTimeout: 60_000 } });
`;

function freshCopy(): void {
  rmSync(SANDBOX, { recursive: true, force: true });
  mkdirSync(SANDBOX, { recursive: true });
  for (const entry of ['src', 'tests', 'package.json', 'tsconfig.json']) {
    cpSync(entry, join(SANDBOX, entry), { recursive: true });
  }
  symlinkSync(resolve('node_modules'), join(SANDBOX, 'node_modules'), 'dir');
  writeFileSync(join(SANDBOX, 'vitest.config.ts'), CONFIG);
}

function testsPass(files: readonly string[]): boolean {
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
    cwd: SANDBOX,
    stdio: 'ignore',
  });
  return run.status === 0;
}

export function* checkDurabilityMutants(): Generator<Record<string, unknown>> {
  const guards = [...new Set(DURABILITY_MUTANTS.map((m) => m.guard))];
  try {
    freshCopy();
    if (!testsPass(guards)) {
      yield { mutation: 'durability', killed: false, error: 'the unedited copy fails its guards' };
      return;
    }
    for (const m of DURABILITY_MUTANTS) {
      freshCopy();
      const path = join(SANDBOX, m.file);
      const source = readFileSync(path, 'utf8');
      if (!source.includes(m.find)) {
        yield {
          mutation: `durability: ${m.name}`,
          killed: false,
          error: `${m.file} changed: edit not found`,
        };
        continue;
      }
      writeFileSync(path, source.replace(m.find, m.replace));
      yield { mutation: `durability: ${m.name}`, killed: !testsPass([m.guard]), guard: m.guard };
    }
  } finally {
    rmSync(SANDBOX, { recursive: true, force: true });
  }
}
