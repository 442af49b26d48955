// One JSON object per line: {"bench", "value", "unit", ...context}.
export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
  [context: string]: unknown;
}

export function report(line: BenchLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The value below which a fraction `p` of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}
