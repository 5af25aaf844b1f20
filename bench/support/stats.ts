// Medians and repeat counts: the machine is shared, so every timed figure is the median of several runs.

/** How many times each timed run is repeated (LINK_SYNC_BENCH_RUNS overrides; at least 1). */
export function repeats(fallback: number): number {
  const wanted = Number(process.env['LINK_SYNC_BENCH_RUNS']);
  return Number.isInteger(wanted) && wanted >= 1 ? wanted : fallback;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "0.21 s (0.19–0.30 s over 5 runs)" style spread for notes. */
export function spread(values: readonly number[], format: (v: number) => string): string {
  return `${format(Math.min(...values))}–${format(Math.max(...values))} over ${values.length} runs`;
}
