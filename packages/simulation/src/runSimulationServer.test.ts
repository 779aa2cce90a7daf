import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SimulatedRegistry, runSimulationServer, saveSnapshot, SimulationStartError } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-run-sim-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function call(url: string, operation: string, input: unknown = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const repoNames = (body: Record<string, unknown>) => (body.repositories as { repositoryName: string }[]).map((r) => r.repositoryName).sort();

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not reached');
}

describe('runSimulationServer', () => {
  test('serves a seed given as an object; stop() closes it, resolves `stopped` and can be called again', async () => {
    const running = await runSimulationServer({ port: 0, seed: { repositories: [{ name: 'web-app' }] }, stopOnSignals: [] });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(repoNames((await call(running.url, 'DescribeRepositories')).body)).toEqual(['web-app']);
    expect(running.registry).toBeInstanceOf(SimulatedRegistry);
    await running.stop();
    await running.stop();
    await running.stopped;
    await expect(fetch(running.url)).rejects.toThrow();
  });

  test('a new state file is written at start (folders created), saved after changes and on stop, and wins over the seed next time', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const options = { port: 0, statePath, seed: { repositories: [{ name: 'seeded' }] }, saveDelayMs: 0, stopOnSignals: [] };
    const first = await runSimulationServer({ ...options, registryOptions: { accountId: '111111111111' } });
    await until(async () => existsSync(statePath) && (await readFile(statePath, 'utf8')).includes('seeded'));
    await call(first.url, 'CreateRepository', { repositoryName: 'at-runtime' });
    await until(async () => (await readFile(statePath, 'utf8')).includes('at-runtime'));
    await first.stop();

    // The state keeps its own account; registryOptions' accountId is for registries built from a seed.
    const second = await runSimulationServer({ ...options, seed: { repositories: [{ name: 'ignored' }] }, registryOptions: { accountId: '222222222222' } });
    expect(second.registry.defaultAccountId).toBe('111111111111');
    expect(repoNames((await call(second.url, 'DescribeRepositories')).body)).toEqual(['at-runtime', 'seeded']);
    second.registry.withRepository('direct'); // no request, so no save until the stop
    await second.stop();
    expect(await readFile(statePath, 'utf8')).toContain('direct');
  });

  test('a seed path may name a seed file or a snapshot file', async () => {
    const seedFile = join(dir, 'seed.json');
    await writeFile(seedFile, JSON.stringify({ repositories: [{ name: 'from-seed-file' }] }));
    const snapshotFile = join(dir, 'snapshot.json');
    await saveSnapshot(new SimulatedRegistry().withRepository('from-snapshot'), snapshotFile);
    for (const [seed, name] of [
      [seedFile, 'from-seed-file'],
      [snapshotFile, 'from-snapshot'],
    ] as const) {
      const running = await runSimulationServer({ port: 0, seed, stopOnSignals: [] });
      expect(repoNames((await call(running.url, 'DescribeRepositories')).body)).toEqual([name]);
      await running.stop();
    }
  });

  test('the abort signal and the given process signals stop it, and its listeners are removed', async () => {
    const before = process.listenerCount('SIGUSR2');
    const controller = new AbortController();
    const aborted = await runSimulationServer({ port: 0, signal: controller.signal, stopOnSignals: ['SIGUSR2'] });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    controller.abort();
    await aborted.stopped;
    expect(process.listenerCount('SIGUSR2')).toBe(before);

    const signalled = await runSimulationServer({ port: 0, stopOnSignals: ['SIGUSR2'] });
    process.emit('SIGUSR2', 'SIGUSR2');
    await signalled.stopped;
    await expect(fetch(signalled.url)).rejects.toThrow();
    expect(process.listenerCount('SIGUSR2')).toBe(before);

    const already = new AbortController();
    already.abort();
    await (await runSimulationServer({ port: 0, signal: already.signal, stopOnSignals: [] })).stopped;
  });

  test('start-up failures are SimulationStartErrors naming the stage (and file), with no listeners left behind', async () => {
    const before = process.listenerCount('SIGTERM');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ repositories: [{ name: 'UPPER case' }] }));
    const load = await runSimulationServer({ port: 0, seed: bad }).catch((e: unknown) => e);
    expect(load).toBeInstanceOf(SimulationStartError);
    expect(load).toMatchObject({ stage: 'load', path: bad, message: expect.stringContaining(`cannot load ${bad}: `) });

    const corruptState = join(dir, 'state.json');
    await writeFile(corruptState, 'not json');
    expect(await runSimulationServer({ port: 0, statePath: corruptState }).catch((e: unknown) => e)).toMatchObject({ stage: 'load', path: corruptState });

    const taken = await runSimulationServer({ port: 0, stopOnSignals: [] });
    const listen = await runSimulationServer({ port: taken.port }).catch((e: unknown) => e);
    expect(listen).toMatchObject({ stage: 'listen', path: undefined, message: expect.stringMatching(/^cannot listen on 127\.0\.0\.1:\d+: /) });
    await taken.stop();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  test('a state path below a file is a load failure (reason unusable) naming the file', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, '');
    const error = await runSimulationServer({ port: 0, statePath: join(blocker, 'state.json'), stopOnSignals: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: 'load', reason: 'unusable', message: expect.stringContaining(`${blocker} is a file, not a folder`) });
  });

  test('a failed save is reported and the server keeps serving', async () => {
    const statePath = join(dir, 'state.json');
    const failures: string[] = [];
    const running = await runSimulationServer({ port: 0, statePath, stopOnSignals: [], onSaveError: (e, path) => failures.push(`${path}: ${e.message}`) });
    // Someone removes the lock: this process no longer owns the file, so it must not write to it.
    await rm(`${statePath}.lock`, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await call(running.url, 'CreateRepository', { repositoryName: 'not-saved' });
    await until(async () => failures.length > 0);
    expect(failures[0]).toContain(statePath);
    expect(failures[0]).toMatch(/took over the lock/);
    expect((await call(running.url, 'DescribeRepositories')).status).toBe(200);
    await running.stop();
  });
});
