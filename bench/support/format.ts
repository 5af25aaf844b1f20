// Number formatting for the benchmark tables: seconds, bytes, rates and ratios, all decimal units.

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "4.0 MB", "125.7 MB", "16.0 GB". */
export function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export function rate(bytesPerSec: number): string {
  return bytesPerSec >= 1e6 ? `${(bytesPerSec / 1e6).toFixed(1)} MB/s` : `${Math.round(bytesPerSec / 1e3)} kB/s`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** "116" when every printer saw the same, "115–117" otherwise. */
export function range(values: number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? String(min) : `${min}–${max}`;
}
