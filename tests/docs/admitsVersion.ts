// Whether a package's `engines.node` range admits a Node version, as npm's EBADENGINE check
// decides it: enough of node-semver's range grammar for the ranges in package-lock.json, and a
// thrown error for anything else, so a new form fails the docs test instead of passing it.

type Version = [number, number, number];

const COMPARATOR = /^(>=|<=|>|<|=|\^|~)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The version's numbers up to the first wildcard or missing part. */
function numbers(parts: (string | undefined)[]): number[] {
  const out: number[] = [];
  for (const p of parts) {
    if (p === undefined || /^[xX*]$/.test(p)) break;
    out.push(Number(p));
  }
  return out;
}

const fill = (n: number[]): Version => [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0];

/** The first version above every one the partial version `n` names (1.2 → 1.3.0). */
function bump(n: number[]): Version {
  const v = fill(n.slice(0, -1));
  v[n.length - 1] = n[n.length - 1]! + 1;
  return v;
}

function satisfiesComparator(version: Version, comparator: string): boolean {
  if (comparator === '*' || comparator === '') return true;
  const m = COMPARATOR.exec(comparator);
  if (!m) throw new Error(`Unsupported engines comparator "${comparator}".`);
  const op = m[1] ?? '=';
  const n = numbers([m[2], m[3], m[4]]);
  if (n.length === 0) return true;
  const low = fill(n);
  const exact = n.length === 3;
  switch (op) {
    case '=':
      return exact ? compare(version, low) === 0 : n.every((x, i) => version[i] === x);
    case '>=':
      return compare(version, low) >= 0;
    case '>':
      return exact ? compare(version, low) > 0 : compare(version, bump(n)) >= 0;
    case '<':
      return compare(version, low) < 0;
    case '<=':
      return exact ? compare(version, low) <= 0 : compare(version, bump(n)) < 0;
    case '^': {
      const first = n.findIndex((x) => x !== 0);
      const upTo = first === -1 ? n.length : first + 1;
      return compare(version, low) >= 0 && compare(version, bump(n.slice(0, upTo))) < 0;
    }
    default: // '~'
      return compare(version, low) >= 0 && compare(version, bump(n.slice(0, 2))) < 0;
  }
}

/** True when `version` (x.y.z) is inside `range` (`||` of space-separated comparators). */
export function admitsVersion(range: string, version: string): boolean {
  const v = fill(version.split('.').map(Number));
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => satisfiesComparator(v, c)),
  );
}
