import * as nodeFs from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@ecrkit/core-types';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { demoSeed } from './demoSeed.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';
import type { StateFileSystem } from './stateFile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-snapshot-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const region = 'us-east-1';

async function everything(registry: SimulatedRegistry) {
  const t = createSimulatedTransport(registry);
  const out: Record<string, unknown> = {};
  for (const [r, repos] of [
    ['us-east-1', ['web-app', 'api-service', 'worker', 'lambda-processor']],
    ['us-west-2', []],
  ] as const) {
    out[`${r}:repos`] = await t.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: r });
    for (const name of repos) {
      out[`${r}:${name}:images`] = await t.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: name }, region: r });
      out[`${r}:${name}:list`] = await t.send({ api: 'ecr', operation: 'ListImages', input: { repositoryName: name }, region: r });
    }
  }
  out.registry = await t.send({ api: 'ecr', operation: 'DescribeRegistry', input: {}, region });
  out.lifecycle = await t.send({ api: 'ecr', operation: 'GetLifecyclePolicy', input: { repositoryName: 'web-app' }, region });
  out.findings = await t.send({
    api: 'ecr',
    operation: 'DescribeImageScanFindings',
    input: { repositoryName: 'web-app', imageId: { imageTag: 'v1.0.0' } },
    region,
  });
  out.public = await t.send({ api: 'ecr-public', operation: 'DescribeImages', input: { repositoryName: 'hello-world' }, region });
  return out;
}

test('snapshot -> JSON -> restore gives back the same state, and both continue identically', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const original = new SimulatedRegistry({ clock, seed: 4 }).loadSeed(demoSeed);
  const snap = JSON.parse(JSON.stringify(original.snapshot()));
  expect(snap).toMatchObject({ format: 'ecrkit-simulation-snapshot', version: 1 });
  const copy = new SimulatedRegistry({ clock, seed: 99 }).restore(snap);
  expect(await everything(copy)).toEqual(await everything(original));
  expect(copy.addImage('worker', { tags: ['next'] })).toEqual(original.addImage('worker', { tags: ['next'] }));
  expect(JSON.parse(JSON.stringify(copy.snapshot()))).toEqual(JSON.parse(JSON.stringify(original.snapshot())));
});

test('saveSnapshot and loadSnapshot round-trip through a file', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock }).loadSeed(demoSeed);
  const path = join(dir, 'state.json');
  await saveSnapshot(registry, path);
  const loaded = await loadSnapshot(path, { clock });
  expect(await everything(loaded)).toEqual(await everything(registry));
  expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('a crash mid-save never corrupts the previous file, and the temporary file is removed', async () => {
  const clock = new ManualClock();
  const path = join(dir, 'state.json');
  const first = new SimulatedRegistry({ clock }).withImage('kept', { tags: ['v1'] });
  await saveSnapshot(first, path);
  const before = await readFile(path, 'utf8');
  const second = new SimulatedRegistry({ clock }).withImage('lost', { tags: ['v2'] });
  // A disk that fills up half-way through the write.
  let written = 0;
  const full: StateFileSystem = {
    ...nodeFs,
    writeSync: (fd, buffer, offset, length, position) => {
      if (written > 100) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = nodeFs.writeSync(fd, buffer, offset, Math.min(length, 101), position);
      written += n;
      return n;
    },
  };
  await expect(saveSnapshot(second, path, { fs: full })).rejects.toMatchObject({ kind: 'Unknown', message: expect.stringMatching(/no space left/) });
  expect(await readFile(path, 'utf8')).toBe(before);
  expect(await readdir(dir)).toEqual(['state.json']);
  const restored = await loadSnapshot(path, { clock });
  const repos = await createSimulatedTransport(restored).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
  expect(repos.repositories!.map((r) => r.repositoryName)).toEqual(['kept']);
});

test('loadSnapshot refuses files that are not snapshots of a supported version', async () => {
  const path = join(dir, 'bad.json');
  await writeFile(path, 'not json');
  await expect(loadSnapshot(path)).rejects.toMatchObject({ kind: 'InvalidParameter' });
  await writeFile(path, JSON.stringify({ format: 'ecrkit-simulation-snapshot', version: 99 }));
  await expect(loadSnapshot(path)).rejects.toThrow(/version: 99 is not supported/);
  await writeFile(path, JSON.stringify({ format: 'other' }));
  await expect(loadSnapshot(path)).rejects.toThrow(/format/);
  await expect(loadSnapshot(join(dir, 'missing.json'))).rejects.toMatchObject({ kind: 'Unknown' });
});

test('restore validates before touching state: a broken snapshot leaves the registry as it was', async () => {
  const registry = new SimulatedRegistry({ clock: new ManualClock() }).withImage('app', { tags: ['v1'] });
  const snap = registry.snapshot();
  const broken = structuredClone(snap);
  const images = broken.accounts[0]!.regions[0]!.repositories[0]!.images;
  images.push({ ...images[0]!, seq: images[0]!.seq + 100 });
  expect(() => new SimulatedRegistry().restore(broken)).toThrow(/images\[1\]\.digest: repeats the image/);
  const target = new SimulatedRegistry({ clock: new ManualClock() }).withRepository('still-here');
  expect(() => target.restore(broken)).toThrow();
  const repos = await createSimulatedTransport(target).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
  expect(repos.repositories!.map((r) => r.repositoryName)).toEqual(['still-here']);
});
