import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@ecrkit/core-types';
import { SimulatedRegistry, loadSnapshot, createSimulatedTransport } from '@ecrkit/simulation';
import { afterAll, describe, expect, it } from 'vitest';
import { explain, runCli, sourceLoader, tempDir } from './runCli.js';

// The CLI's state file under concurrent, killed and careless use (issue 13): writers exclude each
// other and never lose an update, a killed writer loses nothing it acknowledged and leaves
// nothing stray, a corrupt or unusable state file is exit 2 naming the bad field, and a change is
// reported only once it is saved.

const dir = tempDir('ecrkit-cli-state-');
/** Writers still running when a test failed or timed out. */
const runningWriters = new Set<ChildProcess>();
afterAll(() => {
  for (const child of runningWriters) child.kill('SIGKILL');
  dir.remove();
});

const writerEntry = fileURLToPath(new URL('./support/tagWriter.ts', import.meta.url));

/** Start a writer process: `count` whole CLI runs of `tag <repo> <ref> <prefix>-<n>`. */
function startWriter(state: string, prefix: string, count: number) {
  const child = spawn(process.execPath, [...sourceLoader(), writerEntry, state, 'worker', 'latest', prefix, String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runningWriters.add(child);
  child.once('exit', () => runningWriters.delete(child));
  const acked: string[] = [];
  const failed: string[] = [];
  let firstAck!: () => void;
  const writing = new Promise<void>((resolve) => {
    firstAck = resolve;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('acked ')) {
      acked.push(line.slice(6));
      firstAck();
    } else failed.push(line);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, acked, failed, exited, writing, stderr: () => stderr };
}

async function tagsOf(state: string, repositoryName: string): Promise<string[]> {
  const registry = await loadSnapshot(state);
  const { imageIds } = await createSimulatedTransport(registry).send({
    api: 'ecr',
    operation: 'ListImages',
    input: { repositoryName, maxResults: 1000 },
    region: 'us-east-1',
  });
  return (imageIds ?? []).flatMap((id) => (id.imageTag ? [id.imageTag] : []));
}

async function createState(name: string): Promise<string> {
  const state = join(dir.path, name, 'state.json');
  const r = await runCli(['--state', state, 'repos']);
  expect(r.code, explain(['repos'], r)).toBe(0);
  return state;
}

describe('concurrent and killed writers', () => {
  it('4 concurrent CLI writers x 25 tags leave all 100 tags', async () => {
    const state = await createState('concurrent');
    const before = await tagsOf(state, 'worker');
    const writers = [0, 1, 2, 3].map((i) => startWriter(state, `w${i}`, 25));
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const [i, w] of writers.entries()) expect(results[i]!.code, `${w.failed.join('\n')}\n${w.stderr()}`).toBe(0);
    const tags = new Set(await tagsOf(state, 'worker'));
    const written = writers.flatMap((w) => w.acked);
    expect(written).toHaveLength(100);
    expect(written.filter((t) => !tags.has(t))).toEqual([]);
    expect(tags.size).toBe(new Set([...before, ...written]).size);
  }, 120_000);

  it('a writer killed with SIGKILL at random moments never loses an acknowledged tag nor leaves a broken or stray file', async () => {
    const state = await createState('killed');
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      const writer = startWriter(state, `k${round}`, 1000);
      // Once it is writing (start-up takes a while on a busy machine), somewhere in the next 2 s.
      await Promise.race([writer.writing, writer.exited]);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 2000)));
      writer.child.kill('SIGKILL');
      await writer.exited;
      acked.push(...writer.acked);
      const tags = new Set(await tagsOf(state, 'worker'));
      expect(acked.filter((t) => !tags.has(t))).toEqual([]);
    }
    expect(acked.length).toBeGreaterThan(0);
    // The next command takes over the killed writer's lock and removes what it left.
    const r = await runCli(['--state', state, 'images', 'worker']);
    expect(r.code, explain(['images'], r)).toBe(0);
    expect(readdirSync(join(dir.path, 'killed'))).toEqual(['state.json']);
  }, 120_000);
});

describe('unusable state files are usage errors (exit 2) that name the problem', () => {
  function snapshotWith(breakIt: (snapshot: ReturnType<SimulatedRegistry['snapshot']>) => unknown): string {
    const snapshot = new SimulatedRegistry({ clock: new ManualClock(Date.UTC(2026, 0, 1)) })
      .withImage('web-app', { tags: ['v1', 'latest'] })
      .withImage('worker', { tags: ['v2'] })
      .snapshot();
    const copy = JSON.parse(JSON.stringify(snapshot)) as ReturnType<SimulatedRegistry['snapshot']>;
    const replaced = breakIt(copy);
    return JSON.stringify(replaced === undefined ? copy : replaced);
  }
  const repos = (s: ReturnType<SimulatedRegistry['snapshot']>) => s.accounts[0]!.regions[0]!.repositories;
  const at = 'accounts[0].regions[0].repositories';
  const variants: [string, string, string][] = [
    [
      'a numeric tag',
      `${at}[0].images[0].tags[1]`,
      snapshotWith((s) => {
        (repos(s)[0]!.images[0]!.tags as unknown[])[1] = 42;
      }),
    ],
    [
      'bad base64',
      'blobs[',
      snapshotWith((s) => {
        s.blobs[Object.keys(s.blobs)[0]!] = '!!not base64!!';
      }),
    ],
    [
      'a digest sha256:zz',
      `${at}[1].images[0].digest`,
      snapshotWith((s) => {
        repos(s)[1]!.images[0]!.digest = 'sha256:zz';
      }),
    ],
    [
      "a repository named '../../etc'",
      `${at}[1].name`,
      snapshotWith((s) => {
        repos(s)[1]!.name = '../../etc';
      }),
    ],
    [
      'a text pushedAt',
      `${at}[0].images[0].pushedAt`,
      snapshotWith((s) => {
        (repos(s)[0]!.images[0] as unknown as Record<string, unknown>).pushedAt = 'today';
      }),
    ],
    ['duplicate repositories', `${at}[2].name`, snapshotWith((s) => void repos(s).push(structuredClone(repos(s)[0]!)))],
    ['null', '(the whole file)', 'null'],
  ];
  for (const [name, path, text] of variants) {
    it(`a state file with ${name}: exit 2, names ${path}, file untouched`, async () => {
      const state = join(dir.path, `corrupt-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(state, text);
      const r = await runCli(['--state', state, 'images', 'web-app']);
      expect(r.code, explain(['images'], r)).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).not.toMatch(/TypeError|Cannot read properties/);
      expect(readFileSync(state, 'utf8')).toBe(text);
    }, 30_000);
  }

  it('--state somefile/x.json where somefile is a file: exit 2 with a clear message', async () => {
    const blocker = join(dir.path, 'somefile');
    writeFileSync(blocker, 'a file, not a folder');
    const r = await runCli(['--state', join(blocker, 'x.json'), 'repos']);
    expect(r.code, explain(['repos'], r)).toBe(2);
    expect(r.stderr).toMatch(/not a folder|not a directory/);
    expect(r.stderr).not.toMatch(/EEXIST|mkdir '/);
  }, 30_000);
});

describe('a change is reported only once it is saved', () => {
  it('pull times recorded by a read-only command are saved', async () => {
    const state = await createState('pulls');
    const show = ['--state', state, 'describe', 'worker', 'latest', '-o', 'json'];
    const before = await runCli(show);
    const pulledAt = (stdout: string) => (JSON.parse(stdout) as { imageDetails: { lastRecordedPullTime?: string }[] }).imageDetails[0]?.lastRecordedPullTime;
    expect(pulledAt(before.stdout)).toBeUndefined();
    const pull = await runCli(['--state', state, 'manifest', 'worker', 'latest']);
    expect(pull.code, explain(['manifest'], pull)).toBe(0);
    const after = await runCli(show);
    expect(pulledAt(after.stdout)).toEqual(expect.any(String));
  }, 60_000);

  it('on a full disk, tag reports the failure, exits non-zero and never prints "Tagged"', async (ctx) => {
    const mountPoint = join(dir.path, 'full');
    mkdirSync(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); the in-process ENOSPC test in session.test.ts covers the same path');
    }
    try {
      const state = join(mountPoint, 'state.json');
      const r0 = await runCli(['--state', state, 'repos']);
      expect(r0.code, explain(['repos'], r0)).toBe(0);
      const before = readFileSync(state);
      // Fill the rest of the file system.
      try {
        writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC once full: what we wanted.
      }
      const r = await runCli(['--state', state, 'tag', 'worker', 'latest', 'on-full-disk']);
      expect(r.code, explain(['tag'], r)).not.toBe(0);
      expect(r.stdout).not.toContain('Tagged');
      expect(r.stderr).toMatch(/no space left|ENOSPC/i);
      rmSync(join(mountPoint, 'filler'), { force: true });
      expect(readFileSync(state).equals(before) || !(await tagsOf(state, 'worker')).includes('on-full-disk')).toBe(true);
      expect(existsSync(state)).toBe(true);
      expect(await tagsOf(state, 'worker')).not.toContain('on-full-disk');
    } finally {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    }
  }, 60_000);
});
