import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanStatus } from '@ecrkit/core-types';
import { SimulatedRegistry, saveSnapshot } from '@ecrkit/simulation';
import { captureIo } from '../../test/captureIo.js';
import { ExitCode } from '../exitCodes.js';
import { main } from '../main.js';
import { simAccountId, simRegion } from '../session.js';

const dir = mkdtempSync(join(tmpdir(), 'ecrkit-scans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A state file with one image per tag, each with a started scan that stays at the given status. */
async function stateWithScans(name: string, scans: Record<string, ScanStatus>): Promise<string> {
  const registry = new SimulatedRegistry({ accountId: simAccountId, region: simRegion });
  for (const [tag, status] of Object.entries(scans)) {
    registry.withImage('web-app', { tags: [tag] });
    registry.configureScanProgression({ sequence: [status] });
    registry.applySync({ api: 'ecr', operation: 'StartImageScan', input: { repositoryName: 'web-app', imageId: { imageTag: tag } } });
  }
  const path = join(dir, `${name}.json`);
  await saveSnapshot(registry, path);
  return path;
}

async function run(state: string, args: string[]) {
  const s = captureIo({ cwd: dir });
  const code = await main(['--state', state, ...args], s.io);
  return { code, stdout: s.out(), stderr: s.err() };
}

describe('findings exit codes (one shot: the status decides now)', () => {
  it('a running scan exits 0; a failed one, or one with a status this version does not know, is a service error', async () => {
    // A status AWS might add later: waiters keep polling on it, but `findings` cannot wait.
    const future = 'SOME_FUTURE_STATUS' as ScanStatus;
    const scans: Record<string, ScanStatus> = { running: 'IN_PROGRESS', pending: 'PENDING', failed: 'FAILED', future };
    const state = await stateWithScans('findings', scans);
    const codes: Record<string, number> = {};
    for (const [tag, status] of Object.entries(scans)) {
      const r = await run(state, ['findings', 'web-app', tag, '-o', 'json']);
      codes[tag] = r.code;
      expect(JSON.parse(r.stdout)).toMatchObject({ imageScanStatus: { status }, imageScanFindings: { findings: [], enhancedFindings: [] } });
    }
    expect(codes).toEqual({ running: ExitCode.Ok, pending: ExitCode.Ok, failed: ExitCode.Service, future: ExitCode.Service });
  });
});
