import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedRegistry } from '../SimulatedRegistry.js';
import { runSimulationServer } from '../runSimulationServer.js';
import { loadSnapshot, saveSnapshot } from '../snapshot.js';
import { StateFile } from '../stateFile.js';
import type { BlobStore } from './BlobStore.js';
import { blobDirectoryFor, createDirectoryBlobStore } from './createDirectoryBlobStore.js';
import { createMemoryBlobStore } from './createMemoryBlobStore.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecrkit-blobs-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe.each([
  ['memory', () => createMemoryBlobStore()],
  ['directory', () => createDirectoryBlobStore(join(tempDir(), 'blobs'))],
] as const)('%s blob store', (_name, make: () => BlobStore) => {
  it('stores bytes by digest and reads them whole, by range and by size', async () => {
    const store = make();
    const digest = store.put(utf8('hello, blob'));
    expect(digest).toBe(sha('hello, blob'));
    expect(store.has(digest)).toBe(true);
    expect(store.size(digest)).toBe(11);
    expect(new TextDecoder().decode(store.read(digest))).toBe('hello, blob');
    expect(await text(store.open(digest)!)).toBe('hello, blob');
    expect(await text(store.open(digest, { start: 7, end: 10 })!)).toBe('blob');
    expect([...store.digests()]).toEqual([digest]);
    expect(store.read(sha('other'))).toBeUndefined();
    expect(store.open(sha('other'))).toBeUndefined();
  });

  it('streams an upload in chunks, hashing as it goes; nothing is visible before commit', async () => {
    const store = make();
    const upload = store.createUpload();
    await upload.write(utf8('part one, '));
    expect(upload.digest()).toBe(sha('part one, '));
    await upload.write(utf8('part two'));
    expect(upload.size).toBe(18);
    expect(store.has(sha('part one, part two'))).toBe(false);
    await upload.flush();
    expect(upload.commit()).toBe(sha('part one, part two'));
    expect(await text(store.open(sha('part one, part two'), { start: 5, end: 12 })!)).toBe('one, par');
    expect(() => upload.commit()).toThrow(/ended/);
  });

  it('drops an aborted upload, and an upload of a blob already present changes nothing', async () => {
    const store = make();
    const aborted = store.createUpload();
    await aborted.write(utf8('never mind'));
    aborted.abort();
    aborted.abort();
    expect(store.has(sha('never mind'))).toBe(false);
    await expect(aborted.write(utf8('more'))).rejects.toThrow();

    const first = store.put(utf8('same'));
    const again = store.createUpload();
    await again.write(utf8('same'));
    await again.flush();
    expect(again.commit()).toBe(first);
    expect([...store.digests()]).toEqual([first]);
  });

  it('stores chunks as one blob without joining them first', async () => {
    const store = make();
    const digest = store.put([utf8('one '), utf8('two '), utf8('three')]);
    expect(digest).toBe(sha('one two three'));
    expect(store.size(digest)).toBe(13);
    expect(await text(store.open(digest, { start: 2, end: 6 })!)).toBe('e two');
    expect(new TextDecoder().decode(store.read(digest))).toBe('one two three');
  });

  it('forgets everything on clear()', () => {
    const store = make();
    const digest = store.put(utf8('x'));
    store.clear();
    expect(store.has(digest)).toBe(false);
    expect(store.put(utf8('y'))).toBe(sha('y'));
  });
});

describe('directory blob store', () => {
  it('keeps blobs as content-addressed files that a new store over the folder finds; stray uploads are removed', async () => {
    const dir = join(tempDir(), 'blobs');
    const store = createDirectoryBlobStore(dir);
    const digest = store.put(utf8('persisted'));
    const pending = store.createUpload();
    await pending.write(utf8('half an upload'));
    await pending.flush();
    expect(readFileSync(join(dir, 'sha256', digest.slice(7)), 'utf8')).toBe('persisted');
    expect(statSync(join(dir, 'sha256', digest.slice(7))).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'uploads'))).toHaveLength(1);

    const reopened = createDirectoryBlobStore(dir);
    expect(reopened.size(digest)).toBe(9);
    expect(readdirSync(join(dir, 'uploads'))).toHaveLength(0);
  });

  it('ignores files in the folder that are not blobs', () => {
    const dir = join(tempDir(), 'blobs');
    mkdirSync(join(dir, 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'sha256', 'README'), 'not a blob');
    expect([...createDirectoryBlobStore(dir).digests()]).toEqual([]);
  });

  it('names the folder after the state file', () => {
    expect(blobDirectoryFor('/var/sim/sim-state.json')).toBe('/var/sim/sim-state.blobs');
    expect(blobDirectoryFor('/var/sim/state')).toBe('/var/sim/state.blobs');
  });
});

/** A state file's records (format 2: one JSON object per line). */
function records(path: string): { t?: string; format?: string; blobDirectory?: string; digest?: string }[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { t?: string });
}

describe('state files with blobs on disk', () => {
  it('name the folder (relative to the file) instead of holding the bytes, and load back with every blob', async () => {
    const dir = tempDir();
    const statePath = join(dir, 'state.json');
    const registry = new SimulatedRegistry({ blobStore: createDirectoryBlobStore(blobDirectoryFor(statePath)) }).withImage('web-app', {
      tags: ['v1'],
      layerSize: 4096,
    });
    await saveSnapshot(registry, statePath);
    const saved = records(statePath);
    expect(saved[0]).toMatchObject({ format: 'ecrkit-simulation-state', blobDirectory: 'state.blobs' });
    expect(saved.filter((r) => r.t === 'blob')).toEqual([]);
    expect(saved.filter((r) => r.t === 'repository-blob').length).toBeGreaterThanOrEqual(3);

    const loaded = await loadSnapshot(statePath);
    expect(loaded.blobStore.directory).toBe(blobDirectoryFor(statePath));
    const { images } = (await loaded.execute({
      api: 'ecr',
      operation: 'BatchGetImage',
      input: { repositoryName: 'web-app', imageIds: [{ imageTag: 'v1' }] },
      region: 'us-east-1',
      face: 'in-process',
    })) as { images: { imageManifest: string }[] };
    const manifest = JSON.parse(images[0]!.imageManifest) as { layers: { digest: string; size: number }[] };
    for (const layer of manifest.layers) {
      expect(loaded.readBlob({ accountId: '123456789012', region: 'us-east-1', repositoryName: 'web-app', digest: layer.digest })?.byteLength).toBe(layer.size);
    }
  });

  it('copy referenced blobs into memory when a disk snapshot is restored into an in-memory registry', async () => {
    const dir = tempDir();
    const onDisk = new SimulatedRegistry({ blobStore: createDirectoryBlobStore(join(dir, 'blobs')) });
    const added = onDisk.addImage('web-app', { tags: ['v1'] });
    const inMemory = new SimulatedRegistry().restore(onDisk.snapshot());
    const config = (JSON.parse(added.manifest) as { config: { digest: string } }).config.digest;
    expect(inMemory.blobStore.directory).toBeUndefined();
    expect(inMemory.readBlob({ accountId: '123456789012', region: 'us-east-1', repositoryName: 'web-app', digest: config })).toBeDefined();
    expect(inMemory.snapshot().blobs[config]).toBeTypeOf('string');
  });

  it('journal new blobs as records for a memory store, and only their repository records for a folder', async () => {
    const dir = tempDir();
    for (const blobStore of [createMemoryBlobStore(), createDirectoryBlobStore(join(dir, 'journal.blobs'))]) {
      const path = join(dir, blobStore.directory ? 'on-disk.json' : 'in-memory.json');
      const file = await StateFile.open(path, { initial: () => new SimulatedRegistry({ blobStore }).withRepository('web-app') });
      const snapshotLines = records(path).length;
      const digest = file.registry.addImage('web-app', { tags: ['v1'], layers: 1 }).imageDigest;
      await file.close();
      const journal = records(path).slice(snapshotLines);
      expect(journal.filter((r) => r.t === 'repository-blob')).toHaveLength(2);
      expect(journal.filter((r) => r.t === 'blob')).toHaveLength(blobStore.directory ? 0 : 2);
      const reopened = await loadSnapshot(path);
      expect(reopened.blobStore.directory).toBe(blobStore.directory);
      const manifest = JSON.parse(reopened.snapshot().accounts[0]!.regions[0]!.repositories[0]!.images[0]!.manifest) as { layers: { digest: string }[] };
      expect(reopened.snapshot().accounts[0]!.regions[0]!.repositories[0]!.images[0]!.digest).toBe(digest);
      expect(
        reopened.readBlob({ accountId: '123456789012', region: 'us-east-1', repositoryName: 'web-app', digest: manifest.layers[0]!.digest }),
      ).toBeDefined();
    }
  });

  it('move the blobs of a state file that held them inline into the folder when a server opens it (the file is rewritten naming it)', async () => {
    const dir = tempDir();
    const statePath = join(dir, 'sim-state.json');
    await saveSnapshot(new SimulatedRegistry().withImage('web-app', { tags: ['v1'] }), statePath);
    const inline = records(statePath)
      .filter((r) => r.t === 'blob')
      .map((r) => r.digest!);
    expect(inline.length).toBeGreaterThanOrEqual(3);

    const server = await runSimulationServer({ port: 0, statePath, stopOnSignals: [] });
    expect(server.registry.blobStore.directory).toBe(blobDirectoryFor(statePath));
    await server.stop();
    const saved = records(statePath);
    expect(saved[0]!.blobDirectory).toBe('sim-state.blobs');
    expect(saved.filter((r) => r.t === 'blob')).toEqual([]);
    expect(readdirSync(join(blobDirectoryFor(statePath), 'sha256')).sort()).toEqual(inline.map((d) => d.slice(7)).sort());
  });

  it('move the inline blobs of an in-memory snapshot into the folder when loaded onto a directory store', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.json');
    await saveSnapshot(new SimulatedRegistry().withImage('web-app'), path);
    const blobDir = join(dir, 'new.blobs');
    const loaded = await loadSnapshot(path, { blobStore: createDirectoryBlobStore(blobDir) });
    expect(existsSync(join(blobDir, 'sha256'))).toBe(true);
    expect(readdirSync(join(blobDir, 'sha256')).length).toBe([...loaded.blobStore.digests()].length);
    expect(readdirSync(join(blobDir, 'sha256')).length).toBeGreaterThanOrEqual(3);
  });
});
