import { InvalidArgumentError } from 'commander';

/** Commander parser for a count option (a non-negative integer). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return n;
}

/** Commander parser for a positive number of seconds. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number of seconds.');
  return n;
}

/** Commander parser for a comma-separated list (repeatable: values accumulate). */
export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Commander parser for `account=profile` (repeatable: the pairs accumulate into one record). */
export function parseAccountProfile(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^(\d{12})=([^=\s]+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('Expected <12-digit account>=<profile name>, e.g. 210987654321=prod-eu.');
  return { ...previous, [match[1]!]: match[2]! };
}
