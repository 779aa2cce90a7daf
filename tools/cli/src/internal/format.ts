/** Sizes the way `docker images` shows them: decimal units, three significant digits. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${text} ${units[unit]}`;
}

/** A timestamp as `YYYY-MM-DD HH:MM UTC`: deterministic, sortable, no locale. */
export function formatDate(date: Date | undefined): string {
  if (date === undefined || Number.isNaN(date.getTime())) return '-';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `sha256:` plus the first 12 hex digits, as `docker images` shows image ids. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '-';
  const [algorithm, hex] = digest.split(':');
  return hex === undefined ? digest : `${algorithm}:${hex.slice(0, 12)}`;
}

/** Tags joined with `, `, `<untagged>` for none. */
export function formatTags(tags: readonly string[] | undefined): string {
  return tags && tags.length > 0 ? tags.join(', ') : '<untagged>';
}

/** Milliseconds as `1.2s` or `340ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** An age in the two largest units: `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const i = units.findIndex(([, size]) => s >= size);
  if (i < 0) return '0s';
  const [big, bigSize] = units[i]!;
  const next = units[i + 1];
  const first = `${Math.floor(s / bigSize)}${big}`;
  return next ? `${first} ${Math.floor((s % bigSize) / next[1])}${next[0]}` : first;
}
