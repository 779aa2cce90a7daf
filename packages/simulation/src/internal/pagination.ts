import { invalidParam } from './awsErrors.js';
import { fnv1a } from './digest.js';

// Opaque page tokens: base64url of a small JSON position plus a hash of the query it belongs
// to, so a token from another request (other repository, other filter) is refused instead of
// silently paging through the wrong list. Positions are sequence numbers, not offsets, so a
// page boundary survives items being added or removed before it.

export interface PagePosition {
  /** Sequence number of the last item examined. */
  k: number;
  /** For lists that expand one record into several items (ListImages' tags): items of record `k+1` already returned. */
  t?: number;
}

export function encodePageToken(position: PagePosition, queryKey: string): string {
  return Buffer.from(JSON.stringify({ ...position, q: fnv1a(queryKey) }), 'utf8').toString('base64url');
}

export function decodePageToken(token: string | undefined, queryKey: string): PagePosition | undefined {
  if (token === undefined) return undefined;
  const bad = () => invalidParam('nextToken', 'Invalid NextToken');
  if (token.length === 0 || token.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const p = parsed as Record<string, unknown>;
  if (p.q !== fnv1a(queryKey) || typeof p.k !== 'number' || !Number.isInteger(p.k) || p.k < -1) throw bad();
  if (p.t !== undefined && (typeof p.t !== 'number' || !Number.isInteger(p.t) || p.t < 0)) throw bad();
  return p.t === undefined ? { k: p.k } : { k: p.k, t: p.t };
}

/** Index of the first item whose `seq` is greater than `seq` (items sorted by `seq`). */
export function firstAfter(items: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of a `seq`-ordered list: items after the token's position that pass `keep`, at most
 * `max`. The next token points just before the next matching item, so the following page does
 * not rescan what this one skipped: paging through n items costs O(n) in total.
 */
export function pageBySeq<T extends { seq: number }>(
  items: readonly T[],
  position: PagePosition | undefined,
  max: number,
  keep: (item: T) => boolean,
): { page: T[]; next?: PagePosition } {
  let i = position ? firstAfter(items, position.k) : 0;
  const page: T[] = [];
  for (; i < items.length && page.length < max; i++) {
    if (keep(items[i]!)) page.push(items[i]!);
  }
  while (i < items.length && !keep(items[i]!)) i++;
  if (i >= items.length) return { page };
  return { page, next: { k: i === 0 ? -1 : items[i - 1]!.seq } };
}

/** Plain offset paging for small, immutable lists (scan findings, preview results). */
export function pageByOffset<T>(items: readonly T[], position: PagePosition | undefined, max: number): { page: T[]; next?: PagePosition } {
  const start = position ? position.k + 1 : 0;
  if (start > items.length) throw invalidParam('nextToken', 'Invalid NextToken');
  const page = items.slice(start, start + max);
  const end = start + page.length;
  return end < items.length ? { page, next: { k: end - 1 } } : { page };
}
