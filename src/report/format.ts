// Small formatting helpers shared by the reporters: sizes, durations, speeds, plurals.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 999 B, 1.5 kB, 23.4 MB, 120 MB: three significant figures at most, rounded as a whole. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  if (Math.round(value) < 1000) return `${Math.round(value)} B`;
  // Round first, then move up a unit if rounding reached 1000 (never "1000 kB").
  for (;;) {
    value /= 1000;
    unit++;
    const text = value >= 99.95 ? value.toFixed(0) : value.toFixed(1);
    if (Number(text) < 1000 || unit === UNITS.length - 1) return `${text} ${UNITS[unit]}`;
  }
}

/** 120 ms, 9.2 s, 1 min 5 s, 2 h 3 min: each rounded as a whole, so never "1 min 60 s". */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, ms);
  if (Math.round(whole) < 1000) return `${Math.round(whole)} ms`;
  const tenths = Math.round(whole / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(whole / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(whole / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatSpeed(bytes: number, ms: number): string {
  if (ms <= 0) return '-';
  return `${formatBytes((bytes * 1000) / ms)}/s`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
