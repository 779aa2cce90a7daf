// Finding severities: their order and their counts, the one place ecrkit defines them.
import { readOptions } from './readOptions.js';
import { FindingSeverity } from './wire/ecr.generated.js';

/** A finding's severity, most to least severe: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED. */
export const Severity = FindingSeverity;
/** A finding's severity (the wire `FindingSeverity`). */
export type Severity = FindingSeverity;

/** Every severity, most severe first. */
export const severities: readonly Severity[] = Object.freeze(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const);

/** A count per severity, every severity present, keyed as ECR's `findingSeverityCounts` is. */
export type SeverityCounts = Record<Severity, number>;

/** Finding counts by severity in lower case, plus their total (for display and summaries). */
export interface ScanFindingsSummary {
  critical: number;
  high: number;
  medium: number;
  low: number;
  informational: number;
  undefined: number;
  total: number;
}

/** Counts by lower-case severity, any of them left out: how seeds and fixtures write findings (`{ high: 2, low: 5 }`). */
export type ScanFindingsCounts = Partial<Omit<ScanFindingsSummary, 'total'>>;

/** Rank of a severity, 0 for CRITICAL up to 5 for UNDEFINED; sort ascending for most severe first. Unknown values rank last. */
export function severityRank(severity: Severity): number {
  const i = severities.indexOf(severity);
  return i < 0 ? severities.length : i;
}

/** Whether `severity` is at least as severe as `threshold` (`isSeverityAtLeast('HIGH', 'MEDIUM')` is true). */
export function isSeverityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/**
 * The severity a wire value names, in any letter case; anything else (absent, unknown, not a
 * string) is `UNDEFINED`, so a finding is never lost for its label.
 */
export function severityOf(value: unknown): Severity {
  if (typeof value !== 'string') return 'UNDEFINED';
  const upper = value.toUpperCase();
  return (severities as readonly string[]).includes(upper) ? (upper as Severity) : 'UNDEFINED';
}

/** Zero for every severity. */
export function emptySeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 };
}

/**
 * Every severity's count from a wire `findingSeverityCounts` (absent severities count 0; counts
 * under a name ECR does not define are added to UNDEFINED; negative, fractional or non-number
 * values count as their whole positive part or 0).
 */
export function severityCountsOf(counts: unknown): SeverityCounts {
  const out = emptySeverityCounts();
  if (typeof counts !== 'object' || counts === null) return out;
  for (const [name, value] of Object.entries(counts)) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[severityOf(name)] += Math.floor(value);
  }
  return out;
}

/** Summarise a wire `findingSeverityCounts` in lower case with a total (see {@link severityCountsOf} for odd input). */
export function scanFindingsSummary(counts: unknown): ScanFindingsSummary {
  const c = severityCountsOf(counts);
  return {
    critical: c.CRITICAL,
    high: c.HIGH,
    medium: c.MEDIUM,
    low: c.LOW,
    informational: c.INFORMATIONAL,
    undefined: c.UNDEFINED,
    total: c.CRITICAL + c.HIGH + c.MEDIUM + c.LOW + c.INFORMATIONAL + c.UNDEFINED,
  };
}

const lowerCaseNames = ['critical', 'high', 'medium', 'low', 'informational', 'undefined'] as const;

/** Wire-keyed counts from lower-case ones (`{ high: 2 }` gives `{ HIGH: 2, ... }`, the rest 0). */
export function severityCountsFromSummary(counts: ScanFindingsCounts | undefined): SeverityCounts {
  const out = emptySeverityCounts();
  const read = readOptions(counts, lowerCaseNames, 'counts');
  for (const severity of severities) {
    const value = read[severity.toLowerCase() as (typeof lowerCaseNames)[number]];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[severity] = Math.floor(value);
  }
  return out;
}
