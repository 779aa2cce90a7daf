import { readOptions } from '@ecrkit/core-types';
import type { EnhancedImageScanFinding, ImageScanFinding } from '@ecrkit/core-types';

/** The vulnerability names of a set of findings (basic `name`, enhanced `vulnerabilityId` or `title`), sorted and unique. */
export function findingNames(input: { findings?: readonly ImageScanFinding[]; enhancedFindings?: readonly EnhancedImageScanFinding[] }): string[] {
  // Findings as the service sent them: an entry that is not an object, or a name that is not a string, is skipped.
  const { findings, enhancedFindings } = readOptions(input ?? null, ['findings', 'enhancedFindings'], 'input');
  const names = new Set<string>();
  const entries = (list: unknown) => (Array.isArray(list) ? list.filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null) : []);
  for (const f of entries(findings)) if (typeof f.name === 'string' && f.name) names.add(f.name);
  for (const f of entries(enhancedFindings) as EnhancedImageScanFinding[]) {
    const name = f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title;
    if (typeof name === 'string' && name) names.add(name);
  }
  return [...names].sort();
}
