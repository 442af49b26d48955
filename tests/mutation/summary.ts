/**
 * Reads StrykerJS's JSON report (mutation-testing-report-schema) and scores it the way the
 * project counts: a mutant that timed out counts as killed; ignored ones (message wording,
 * see messageWording.ts) are left out; one that no test reaches counts against the score.
 */

export type MutantStatus =
  | 'Killed'
  | 'Survived'
  | 'NoCoverage'
  | 'Timeout'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  location: { start: { line: number; column: number } };
}

export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface Tally {
  mutation: string;
  /** Percent detected; null when the run mutated nothing here (a partial `--mutate` run). */
  score: number | null;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
}

export function tally(name: string, mutants: readonly ReportMutant[]): Tally {
  const count = (status: MutantStatus): number => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return {
    mutation: name,
    score: valid === 0 ? null : Math.round((1000 * detected) / valid) / 10,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    errors: count('CompileError') + count('RuntimeError'),
  };
}

/** The groups the project holds to a target, beside one line per file. */
export const GROUPS: readonly {
  name: string;
  covers: (file: string) => boolean;
  target: number;
}[] = [
  { name: 'src/light', covers: (f) => f.startsWith('src/light/'), target: 90 },
  {
    name: 'src/consensus/verifyCommit.ts',
    covers: (f) => f === 'src/consensus/verifyCommit.ts',
    target: 90,
  },
  { name: 'src/chain/block.ts', covers: (f) => f === 'src/chain/block.ts', target: 90 },
  {
    name: 'src/chain/applyTransaction.ts',
    covers: (f) => f === 'src/chain/applyTransaction.ts',
    target: 90,
  },
  { name: 'src/codec/cbor.ts', covers: (f) => f === 'src/codec/cbor.ts', target: 90 },
  { name: 'verification core', covers: () => true, target: 80 },
];

/**
 * A target group's tally and whether it meets its target, judged on the counts rather than the
 * rounded score (89.96% shows as 90 and does not meet 90); null when the run mutated none of it.
 */
export type GroupTally = Tally & { target: number; met: boolean | null };

export function summarise(report: MutationReport): { files: Tally[]; groups: GroupTally[] } {
  const entries = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
  const files = entries.map(([file, { mutants }]) => tally(file, mutants));
  const groups = GROUPS.map((g) => {
    const t = tally(
      g.name,
      entries.filter(([file]) => g.covers(file)).flatMap(([, { mutants }]) => mutants),
    );
    const detected = t.killed + t.timeout;
    const valid = detected + t.survived + t.noCoverage;
    return { ...t, target: g.target, met: valid === 0 ? null : detected * 100 >= g.target * valid };
  });
  return { files, groups };
}

/** Survivors, one line each, for reading beside the HTML report. */
export function survivors(report: MutationReport): string[] {
  return Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map(
        (m) =>
          `${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}` +
          (m.replacement === undefined
            ? ''
            : ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 80)}`),
      ),
  );
}

/**
 * One report from several runs over parts of the core (`npm run mutate -- --mutate …` each):
 * every file as its latest run left it. Scores add up as if one run had mutated them all.
 */
export function combineReports(reports: readonly MutationReport[]): MutationReport {
  const files: MutationReport['files'] = {};
  for (const report of reports) Object.assign(files, report.files);
  return { files };
}
