import type { EnhancedImageScanFinding, ImageScanFinding } from '@ecrkit/core-types';

/** The vulnerability names of a set of findings (basic `name`, enhanced `vulnerabilityId` or `title`), sorted and unique. */
export function findingNames(input: { findings?: readonly ImageScanFinding[]; enhancedFindings?: readonly EnhancedImageScanFinding[] }): string[] {
  const names = new Set<string>();
  for (const f of input.findings ?? []) if (f.name) names.add(f.name);
  for (const f of input.enhancedFindings ?? []) {
    const name = f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title;
    if (name) names.add(name);
  }
  return [...names].sort();
}
