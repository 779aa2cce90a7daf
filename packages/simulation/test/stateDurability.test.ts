import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { main } from '../src/bin/main.js';
import { createSimulatedTransport, loadSnapshot } from '../src/index.js';
import { corruptSeeds, corruptSnapshots } from './support/corruptStates.js';
import { callSim, killChildren, startSimProcess, startTs } from './support/simProcess.js';

const writerEntry = fileURLToPath(new URL('./support/stateWriter.ts', import.meta.url));

// The state file under a hostile or careless user (issue 13): acknowledged changes survive
// SIGKILL within the documented bound, nothing stray is left behind, and a corrupt state or seed
// file is refused with the path of the bad field and exit code 2, leaving the file untouched.

/** The documented bound: an acknowledged change older than this survives `kill -9`. */
const durabilityBoundMs = 1000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ecrkit-durability-'));
});
afterEach(async () => {
  killChildren();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tagsIn(statePath: string, repositoryName: string): Promise<Set<string>> {
  const transport = createSimulatedTransport(await loadSnapshot(statePath));
  const tags = new Set<string>();
  // Every page: a fast machine acknowledges more than one page (1,000 images) of writes in three rounds.
  let nextToken: string | undefined;
  do {
    const page = await transport.send({
      api: 'ecr',
      operation: 'ListImages',
      input: { repositoryName, maxResults: 1000, ...(nextToken ? { nextToken } : {}) },
      region: 'us-east-1',
    });
    for (const id of page.imageIds ?? []) if (id.imageTag) tags.add(id.imageTag);
    nextToken = page.nextToken;
  } while (nextToken);
  return tags;
}

describe('the server state file', () => {
  test('SIGKILL at random moments never loses an acknowledged change older than the bound, nor leaves a broken or stray file', async () => {
    const statePath = join(dir, 'state.json');
    const seedPath = join(dir, 'seed.json');
    await writeFile(seedPath, JSON.stringify({ repositories: [{ name: 'app', images: [{ tags: ['base'] }] }] }));
    // Tags acknowledged more than the bound before the SIGKILL of their round: these must survive, then and later.
    const durable: string[] = [];
    const lost: string[] = [];
    for (let round = 0; round < 3; round++) {
      const sim = await startSimProcess(['--state', statePath, '--seed', seedPath]);
      const got = await callSim(sim.url, 'BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'base' }] });
      const manifest = (got.body.images as { imageManifest: string }[])[0]!.imageManifest;
      // A write every 50 ms; SIGKILL somewhere between 1.2 and 3 s in.
      const acked: { tag: string; at: number }[] = [];
      const killAfter = 1200 + Math.floor(Math.random() * 1800);
      const started = Date.now();
      let killedAt = 0;
      for (let i = 0; killedAt === 0; i++) {
        const tag = `r${round}-${i}`;
        const put = await callSim(sim.url, 'PutImage', { repositoryName: 'app', imageManifest: manifest, imageTag: tag }).catch(() => undefined);
        if (put?.status === 200) acked.push({ tag, at: Date.now() });
        if (Date.now() - started >= killAfter) {
          killedAt = Date.now();
          sim.child.kill('SIGKILL');
        } else await sleep(50);
      }
      expect((await sim.exited).signal).toBe('SIGKILL');
      durable.push(...acked.filter(({ at }) => at <= killedAt - durabilityBoundMs).map(({ tag }) => tag));
      const saved = await tagsIn(statePath, 'app');
      lost.push(...durable.filter((tag) => !saved.has(tag)));
    }
    expect(durable.length).toBeGreaterThan(0);
    expect(lost, `acknowledged more than ${durabilityBoundMs} ms before a SIGKILL, then lost`).toEqual([]);
    // The next start takes over what the killed process left (its lock, a temporary file) and cleans up.
    const last = await startSimProcess(['--state', statePath]);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
    // Beside the file only the server's blob folder (`blobDirectoryFor`), none of it half-written.
    expect((await readdir(dir)).sort()).toEqual(['seed.json', 'state.blobs', 'state.json']);
    expect(await readdir(join(dir, 'state.blobs', 'uploads'))).toEqual([]);
  }, 90_000);

  test('a writer killed with SIGKILL while saving or compacting loses nothing it acknowledged and leaves nothing stray', async () => {
    const statePath = join(dir, 'state.json');
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const writer = startTs(writerEntry, [statePath]);
      let firstAck!: () => void;
      const started = new Promise<void>((resolve) => {
        firstAck = resolve;
      });
      createInterface({ input: writer.stdout! }).on('line', (line) => {
        if (!line.startsWith('acked ')) return;
        acked.push(line.slice(6));
        firstAck();
      });
      const exited = new Promise((resolve) => writer.on('exit', resolve));
      // Once it is writing (start-up takes a while on a busy machine), somewhere in the next 1.5 s.
      await Promise.race([started, exited]);
      await sleep(Math.floor(Math.random() * 1500));
      writer.kill('SIGKILL');
      await exited;
      const saved = await tagsIn(statePath, 'app');
      expect(acked.filter((tag) => !saved.has(tag))).toEqual([]);
    }
    expect(acked.length).toBeGreaterThan(0);
    // The next writer takes over the lock and removes any temporary file the killed one left.
    const { StateFile } = await import('../src/index.js');
    await (await StateFile.open(statePath)).close();
    expect(await readdir(dir)).toEqual(['state.json']);
  }, 90_000);

  test('pull times and replication progress are saved without a later mutating request', async () => {
    const statePath = join(dir, 'state.json');
    const seedPath = join(dir, 'seed.json');
    await writeFile(
      seedPath,
      JSON.stringify({ replication: { destinations: [{ region: 'us-west-2' }] }, repositories: [{ name: 'app', images: [{ tags: ['v1'] }] }] }),
    );
    const sim = await startSimProcess(['--state', statePath, '--seed', seedPath]);
    // A pull (BatchGetImage records the pull time) and replication polls (each moves it one step; the last writes the replica): reads only.
    expect((await callSim(sim.url, 'BatchGetImage', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).status).toBe(200);
    let status = '';
    for (let i = 0; i < 3 && status !== 'COMPLETE'; i++) {
      const polled = await callSim(sim.url, 'DescribeImageReplicationStatus', { repositoryName: 'app', imageId: { imageTag: 'v1' } });
      status = (polled.body.replicationStatuses as { status: string }[])[0]!.status;
    }
    expect(status).toBe('COMPLETE');
    await sleep(durabilityBoundMs + 500);
    sim.child.kill('SIGKILL');
    await sim.exited;
    const t = createSimulatedTransport(await loadSnapshot(statePath));
    const { imageDetails } = await t.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'app' }, region: 'us-east-1' });
    expect(imageDetails?.[0]?.lastRecordedPullTime).toBeInstanceOf(Date);
    const replicated = await t.send({
      api: 'ecr',
      operation: 'DescribeImageReplicationStatus',
      input: { repositoryName: 'app', imageId: { imageTag: 'v1' } },
      region: 'us-east-1',
    });
    expect(replicated.replicationStatuses?.[0]?.status).toBe('COMPLETE');
    const replica = await t.send({ api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'app' }, region: 'us-west-2' });
    expect(replica.imageDetails?.[0]?.imageTags).toEqual(['v1']);
  }, 30_000);

  test('temporary files a killed process left beside the state file are removed at the next start', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startSimProcess(['--state', statePath]);
    first.child.kill('SIGTERM');
    await first.exited;
    const stray = join(dir, `.state.json.4242.${Date.now()}.abc123.tmp`);
    await writeFile(stray, '{"half": ');
    const second = await startSimProcess(['--state', statePath]);
    expect(existsSync(stray)).toBe(false);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 30_000);
});

describe('strict loading through the ecrkit-sim bin', () => {
  async function serveExit(args: string[]): Promise<{ code: number; err: string }> {
    const err: string[] = [];
    const controller = new AbortController();
    const code = await main(['serve', '--port', '0', ...args], {
      signal: controller.signal,
      stopOnSignals: [],
      out: () => controller.abort(),
      err: (line) => err.push(line),
    });
    return { code, err: err.join('\n') };
  }

  for (const variant of corruptSnapshots()) {
    test(`a state file with ${variant.name} is exit 2 naming ${variant.path}, and the file is left untouched`, async () => {
      const statePath = join(dir, 'state.json');
      await writeFile(statePath, variant.text);
      const { code, err } = await serveExit(['--state', statePath]);
      expect(code, err).toBe(2);
      expect(err).toContain(variant.path);
      expect(err).not.toMatch(/TypeError|Cannot read properties/);
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(statePath, 'utf8')).toBe(variant.text);
    });
  }

  for (const variant of corruptSeeds()) {
    test(`a seed file with ${variant.name} is exit 2 naming ${variant.path}`, async () => {
      const seedPath = join(dir, 'seed.json');
      await writeFile(seedPath, variant.text);
      const { code, err } = await serveExit(['--seed', seedPath]);
      expect(code, err).toBe(2);
      expect(err).toContain(variant.path);
    });
  }

  test('a --state below a regular file is exit 2 with a clear message', async () => {
    const blocker = join(dir, 'somefile');
    await writeFile(blocker, 'not a folder');
    const { code, err } = await serveExit(['--state', join(blocker, 'x.json')]);
    expect(code, err).toBe(2);
    expect(err).toContain(join(blocker, 'x.json'));
    expect(err).toMatch(/not a folder|not a directory/);
    expect(err).not.toMatch(/EEXIST|mkdir/);
  });
});
