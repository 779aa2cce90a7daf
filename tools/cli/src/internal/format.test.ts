import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatDate, formatDuration, formatTags, shortDigest } from './format.js';
import { shouldUseColor } from './colors.js';

describe('format helpers', () => {
  it('formats ages in their two largest units', () => {
    expect(formatAge(0)).toBe('0s');
    expect(formatAge(45_900)).toBe('45s');
    expect(formatAge(12 * 60_000 + 5_000)).toBe('12m 5s');
    expect(formatAge(3 * 3_600_000 + 20 * 60_000)).toBe('3h 20m');
    expect(formatAge(2 * 86_400_000 + 500)).toBe('2d 0h');
  });

  it('formats sizes like docker images', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(undefined)).toBe('-');
  });

  it('formats dates in UTC without locale', () => {
    expect(formatDate(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('2025-01-02 03:04 UTC');
    expect(formatDate(undefined)).toBe('-');
  });

  it('shortens digests and joins tags', () => {
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(formatTags([])).toBe('<untagged>');
    expect(formatTags(['v1', 'latest'])).toBe('v1, latest');
    expect(formatDuration(340)).toBe('340ms');
    expect(formatDuration(1250)).toBe('1.3s');
  });
});

describe('shouldUseColor', () => {
  it('colors only a terminal, and never when told not to', () => {
    expect(shouldUseColor({ flag: true, env: {}, isTTY: true })).toBe(true);
    expect(shouldUseColor({ flag: true, env: {}, isTTY: false })).toBe(false);
    expect(shouldUseColor({ flag: false, env: {}, isTTY: true })).toBe(false);
    expect(shouldUseColor({ flag: true, env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(shouldUseColor({ flag: true, env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(shouldUseColor({ flag: true, env: { TERM: 'dumb' }, isTTY: true })).toBe(false);
    expect(shouldUseColor({ flag: true, env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(shouldUseColor({ flag: false, env: { FORCE_COLOR: '1' }, isTTY: true })).toBe(false);
  });
});
