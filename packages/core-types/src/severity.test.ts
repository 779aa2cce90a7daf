import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isSeverityAtLeast, scanFindingsSummary, severities, severityCountsFromSummary, severityCountsOf, severityOf, severityRank } from './severity.js';
import { FindingSeverity } from './wire/ecr.generated.js';

describe('severities', () => {
  it('lists every wire severity once, most severe first, and ranks them in that order', () => {
    expect([...severities].sort()).toEqual(Object.values(FindingSeverity).sort());
    const sorted = (['LOW', 'UNDEFINED', 'CRITICAL', 'MEDIUM', 'INFORMATIONAL', 'HIGH'] as const).slice().sort((a, b) => severityRank(a) - severityRank(b));
    expect(sorted).toEqual([...severities]);
    expect(isSeverityAtLeast('HIGH', 'MEDIUM')).toBe(true);
    expect(isSeverityAtLeast('LOW', 'MEDIUM')).toBe(false);
  });

  it('reads a severity in any case, and anything else as UNDEFINED', () => {
    expect(severityOf('high')).toBe('HIGH');
    expect(severityOf('Critical')).toBe('CRITICAL');
    expect([severityOf('SEVERE'), severityOf(undefined), severityOf(3), severityOf(null)]).toEqual(['UNDEFINED', 'UNDEFINED', 'UNDEFINED', 'UNDEFINED']);
  });

  it('counts wire counts per severity; unknown names count as UNDEFINED, odd values as nothing', () => {
    expect(severityCountsOf({ CRITICAL: 1, HIGH: 2, LOW: 4, BOGUS: 9, MEDIUM: -3, INFORMATIONAL: 'x', UNDEFINED: 1.7 })).toEqual({
      CRITICAL: 1,
      HIGH: 2,
      MEDIUM: 0,
      LOW: 4,
      INFORMATIONAL: 0,
      UNDEFINED: 10,
    });
    expect(severityCountsOf(null)).toEqual(severityCountsOf({}));
  });

  it('summarises wire counts in lower case with a total', () => {
    expect(scanFindingsSummary({ CRITICAL: 1, HIGH: 2, LOW: 4 })).toEqual({
      critical: 1,
      high: 2,
      medium: 0,
      low: 4,
      informational: 0,
      undefined: 0,
      total: 7,
    });
    expect(scanFindingsSummary(undefined).total).toBe(0);
  });

  it('turns lower-case counts into wire-keyed ones', () => {
    expect(severityCountsFromSummary({ high: 2, low: 5 })).toEqual({ CRITICAL: 0, HIGH: 2, MEDIUM: 0, LOW: 5, INFORMATIONAL: 0, UNDEFINED: 0 });
  });

  test.prop([fc.anything()])('never throws on any input, and totals are the sum of the counts', (value) => {
    const summary = scanFindingsSummary(value);
    expect(summary.total).toBe(summary.critical + summary.high + summary.medium + summary.low + summary.informational + summary.undefined);
    severityOf(value);
  });
});
