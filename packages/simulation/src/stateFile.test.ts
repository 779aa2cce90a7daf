import * as nodeFs from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@ecrkit/core-types';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { demoSeed } from './demoSeed.js';
import { SeededRandom } from './internal/rng.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';
import { loadSnapshot } from './snapshot.js';
import { StateFile, type StateFileSystem } from './stateFile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-state-file-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const region = 'us-east-1';

/** The state as comparable data: the format-1 snapshot without its save time, tag times in tag order (only looked up, never listed). */
function stateOf(registry: SimulatedRegistry): unknown {
  const { savedAt: _savedAt, ...rest } = JSON.parse(JSON.stringify(registry.snapshot())) as ReturnType<SimulatedRegistry['snapshot']>;
  const repos = [
    ...rest.accounts.flatMap((account) => [...account.publicRegistry.repositories, ...account.regions.flatMap((r) => r.repositories)]),
    ...(rest.upstreams ?? []).flatMap((u) => u.repositories),
  ];
  for (const repo of repos) repo.tagTimes.sort(([a], [b]) => a.localeCompare(b));
  return rest;
}

/** A random mix of what clients do, through the registry's front door (so every change is noted as in a server). */
async function randomWork(registry: SimulatedRegistry, rng: SeededRandom, steps: number): Promise<void> {
  const t = createSimulatedTransport(registry);
  const send = (operation: string, input: Record<string, unknown>, api: 'ecr' | 'ecr-public' = 'ecr', r = region) =>
    t.send({ api, operation: operation as never, input: input as never, region: r }).catch(() => undefined);
  const repos = ['web-app', 'api-service', 'worker', 'lambda-processor', 'scratch'];
  for (let i = 0; i < steps; i++) {
    const repositoryName = repos[rng.int(0, repos.length - 1)]!;
    const tag = `t${rng.int(0, 20)}`;
    switch (rng.int(0, 15)) {
      case 0:
        try {
          registry.addImage(repositoryName, { tags: [tag] });
        } catch {
          // An immutable tag: refused, as a push would be (its blobs stay uploaded).
        }
        break;
      case 1: {
        const { imageIds } = ((await send('ListImages', { repositoryName })) ?? {}) as { imageIds?: { imageDigest: string }[] };
        const id = imageIds?.[rng.int(0, Math.max(0, (imageIds?.length ?? 1) - 1))];
        if (!id) break;
        const got = (await send('BatchGetImage', { repositoryName, imageIds: [{ imageDigest: id.imageDigest }] })) as unknown as {
          images?: { imageManifest: string }[];
        };
        const manifest = got?.images?.[0]?.imageManifest;
        if (manifest) await send('PutImage', { repositoryName, imageManifest: manifest, imageTag: tag });
        break;
      }
      case 2:
        await send('BatchDeleteImage', { repositoryName, imageIds: [{ imageTag: tag }] });
        break;
      case 3:
        await send('StartImageScan', { repositoryName, imageId: { imageTag: tag } });
        break;
      case 4:
        await send('DescribeImageScanFindings', { repositoryName, imageId: { imageTag: tag } });
        break;
      case 5:
        await send('PutImageTagMutability', { repositoryName, imageTagMutability: rng.int(0, 1) ? 'MUTABLE' : 'IMMUTABLE' });
        break;
      case 6:
        await send('CreateRepository', { repositoryName: 'scratch' });
        break;
      case 7:
        await send('DeleteRepository', { repositoryName: 'scratch', force: true });
        break;
      case 8:
        await send('DescribeImageReplicationStatus', { repositoryName, imageId: { imageTag: tag } });
        break;
      case 9:
        await send('TagResource', { resourceArn: `arn:aws:ecr:${region}:123456789012:repository/${repositoryName}`, tags: [{ Key: 'k', Value: tag }] });
        break;
      case 10:
        await send('GetAuthorizationToken', {});
        break;
      case 12:
        await send('PutAccountSetting', { name: 'REGISTRY_POLICY_SCOPE', value: rng.int(0, 1) ? 'V1' : 'V2' });
        break;
      case 13:
        await send('UpdateImageStorageClass', { repositoryName, imageId: { imageTag: tag }, targetStorageClass: rng.int(0, 1) ? 'ARCHIVE' : 'STANDARD' });
        break;
      case 14:
        await send('CreateRepositoryCreationTemplate', { prefix: `p${rng.int(0, 5)}`, appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'IMMUTABLE' });
        break;
      case 15:
        registry.withUpstreamImage('public.ecr.aws', 'library/alpine', { tags: [tag] });
        break;
      default:
        await send('PutRegistryScanningConfiguration', {
          scanType: 'BASIC',
          rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: tag, filterType: 'WILDCARD' }] }],
        });
    }
  }
}

describe('StateFile', () => {
  for (const compactAtBytes of [8 * 1024 * 1024, 4096]) {
    test(`what was saved reads back as the registry's state, journal and compactions alike (compacting after ${compactAtBytes} bytes)`, async () => {
      const path = join(dir, 'state.json');
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const file = await StateFile.open(path, {
        initial: () => new SimulatedRegistry({ clock }).loadSeed(demoSeed),
        compactAtBytes,
        registryOptions: { clock },
      });
      expect(file.created).toBe(true);
      const rng = new SeededRandom(compactAtBytes);
      for (let round = 0; round < 12; round++) {
        await randomWork(file.registry, rng, 15);
        clock.advance(1000);
        await file.save();
        expect(file.pending).toBe(false);
        expect(stateOf(await loadSnapshot(path, { clock }))).toEqual(stateOf(file.registry));
      }
      await file.close();
      const reopened = await StateFile.open(path, { registryOptions: { clock } });
      expect(stateOf(reopened.registry)).toEqual(stateOf(file.registry));
      await reopened.close();
    });
  }

  test('lines longer than a read (a 3 MiB layer) read back whole', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path, {
      initial: () => new SimulatedRegistry().withImage('big', { tags: ['v1'], layers: 1, layerSize: 3 * 1024 * 1024 }),
    });
    await file.close();
    expect(stateOf(await loadSnapshot(path))).toEqual(stateOf(file.registry));
  });

  test('a save cut short is ignored when read, and cut off by the next writer', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path, { initial: () => new SimulatedRegistry().withImage('app', { tags: ['v1'] }) });
    file.registry.withRepository('saved');
    await file.save();
    await file.close();
    const whole = await readFile(path, 'utf8');
    // Half a batch: a record without its commit line, the last line without its newline.
    await appendFile(path, '{"t":"repository","accountId":"123456789012","region":"us-east-1","name":"torn","seq":99,"createdAt":0,"tagM');
    const read = await loadSnapshot(path);
    expect(stateOf(read)).toEqual(stateOf(file.registry));
    const next = await StateFile.open(path);
    expect(await readFile(path, 'utf8')).toBe(whole);
    next.registry.withRepository('after');
    await next.close();
    const names = (await createSimulatedTransport(await loadSnapshot(path)).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region }))
      .repositories!.map((r) => r.repositoryName)
      .sort();
    expect(names).toEqual(['after', 'app', 'saved']);
  });

  test('a second writer waits for the lock, then fails with reason locked', async () => {
    const path = join(dir, 'state.json');
    const first = await StateFile.open(path);
    await expect(StateFile.open(path, { lockWaitMs: 300 })).rejects.toMatchObject({ name: 'StateFileError', reason: 'locked', path });
    // It waits: a writer with time to spare gets the lock once the first one lets go.
    const waiting = StateFile.open(path, { lockWaitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.close();
    await (await waiting).close();
  });

  test('a failed save (a full disk) leaves the file as it was and the changes pending; the next save writes them', async () => {
    const path = join(dir, 'state.json');
    let full = false;
    const fs: StateFileSystem = {
      ...nodeFs,
      writeSync: (fd, buffer, offset, length, position) => {
        if (!full) return nodeFs.writeSync(fd, buffer, offset, length, position);
        // Part of the batch reaches the disk before the disk is full.
        nodeFs.writeSync(fd, buffer, offset, Math.min(length, 10), position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const file = await StateFile.open(path, { fs });
    const before = await readFile(path);
    file.registry.withRepository('wanted');
    full = true;
    await expect(file.save()).rejects.toMatchObject({ reason: 'io', message: expect.stringMatching(/no space left/) });
    expect((await readFile(path)).equals(before)).toBe(true);
    expect(file.pending).toBe(true);
    full = false;
    await file.save();
    await file.close();
    const saved = await createSimulatedTransport(await loadSnapshot(path)).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
    expect(saved.repositories!.map((r) => r.repositoryName)).toEqual(['wanted']);
  });

  test('a format-1 snapshot is read, then rewritten as format 2 by the writer', async () => {
    const path = join(dir, 'state.json');
    const registry = new SimulatedRegistry({ clock: new ManualClock(Date.UTC(2026, 0, 1)) }).loadSeed(demoSeed);
    await writeFile(path, JSON.stringify(registry.snapshot()));
    const file = await StateFile.open(path);
    expect(stateOf(file.registry)).toEqual(stateOf(registry));
    await file.close();
    expect((await readFile(path, 'utf8')).split('\n', 1)[0]).toContain('"format":"ecrkit-simulation-state","version":2');
  });

  test('every change is saved: a read that records a pull, a scan poll, a settings change', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path, {
      initial: () => new SimulatedRegistry().withRepository('app', { scanOnPush: true }).withImage('app', { tags: ['v1'] }),
    });
    const t = createSimulatedTransport(file.registry);
    await t.send({ api: 'ecr', operation: 'BatchGetImage', input: { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }, region });
    await t.send({ api: 'ecr', operation: 'DescribeImageScanFindings', input: { repositoryName: 'app', imageId: { imageTag: 'v1' } }, region });
    file.registry.setPublicRegistry({ alias: 'saved-alias' });
    expect(file.pending).toBe(true);
    await file.save();
    expect(stateOf(await loadSnapshot(path))).toEqual(stateOf(file.registry));
    // Reads that change nothing write nothing.
    const size = (await stat(path)).size;
    await t.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region });
    await file.save();
    expect((await stat(path)).size).toBe(size);
    await file.close();
  });

  test('a writer that lost its lock refuses to save', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path);
    await rm(`${path}.lock`, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    file.registry.withRepository('late');
    await expect(file.save()).rejects.toMatchObject({ reason: 'locked' });
    await file.close().catch(() => undefined);
  });

  test('a writer whose file was changed by another process (after taking its lock over) refuses to append', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path);
    await appendFile(path, '{"t":"registry"}\n');
    file.registry.withRepository('not-interleaved');
    await expect(file.save()).rejects.toMatchObject({ reason: 'locked', message: expect.stringMatching(/Another process took over/) });
    await file.close().catch(() => undefined);
  });

  test('calls wait while a snapshot is written, so the snapshot is one moment of the state', async () => {
    const path = join(dir, 'state.json');
    const file = await StateFile.open(path, { initial: () => new SimulatedRegistry().withImage('app', { tags: ['v1'] }) });
    const t = createSimulatedTransport(file.registry);
    const compaction = file.compact();
    const call = t.send({ api: 'ecr', operation: 'CreateRepository', input: { repositoryName: 'during' }, region });
    await compaction;
    await call;
    await file.close();
    const names = (
      await createSimulatedTransport(await loadSnapshot(path)).send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region })
    ).repositories!.map((r) => r.repositoryName);
    expect(names).toEqual(['app', 'during']);
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});
