import { ManualClock } from '@ecrkit/core-types';
import { SimulatedRegistry } from '../../src/index.js';

// The corrupt state and seed files of issue 13, each with the path its error must name. Shared
// by the simulation's and the CLI's robustness suites.

type Snapshot = ReturnType<SimulatedRegistry['snapshot']>;

/** A small valid snapshot (two repositories, tagged images, blobs) to break in one place each. */
export function validSnapshot(): Snapshot {
  const registry = new SimulatedRegistry({ clock: new ManualClock(Date.UTC(2026, 0, 1)) })
    .withImage('web-app', { tags: ['v1', 'latest'] })
    .withImage('worker', { tags: ['v2'] });
  return JSON.parse(JSON.stringify(registry.snapshot())) as Snapshot;
}

export interface CorruptVariant {
  name: string;
  /** The file's text. */
  text: string;
  /** The path inside the file the error must name. */
  path: string;
}

function variant(name: string, path: string, breakIt: (s: Snapshot & Record<string, unknown>) => unknown): CorruptVariant {
  const snapshot = validSnapshot() as Snapshot & Record<string, unknown>;
  const replaced = breakIt(snapshot);
  return { name, path, text: JSON.stringify(replaced === undefined ? snapshot : replaced) };
}

const repos = (s: Snapshot) => s.accounts[0]!.regions[0]!.repositories;
const repoPath = 'accounts[0].regions[0].repositories';

/** Snapshot files broken in the ways the issue lists. */
export function corruptSnapshots(): CorruptVariant[] {
  return [
    variant('a numeric tag', `${repoPath}[0].images[0].tags[1]`, (s) => {
      (repos(s)[0]!.images[0]!.tags as unknown[])[1] = 42;
    }),
    variant('bad base64 in a blob', 'blobs[', (s) => {
      const first = Object.keys(s.blobs)[0]!;
      s.blobs[first] = '!!not base64!!';
    }),
    variant('a digest sha256:zz', `${repoPath}[1].images[0].digest`, (s) => {
      repos(s)[1]!.images[0]!.digest = 'sha256:zz';
    }),
    variant("a repository named '../../etc'", `${repoPath}[1].name`, (s) => {
      repos(s)[1]!.name = '../../etc';
    }),
    variant('a text pushedAt', `${repoPath}[0].images[0].pushedAt`, (s) => {
      (repos(s)[0]!.images[0] as unknown as Record<string, unknown>).pushedAt = 'yesterday';
    }),
    variant('duplicate repositories', `${repoPath}[2].name`, (s) => {
      repos(s).push(structuredClone(repos(s)[0]!));
    }),
    { name: 'null', path: '(the whole file)', text: 'null' },
  ];
}

/** Seed files broken in the same ways (seeds have no blobs or digests). */
export function corruptSeeds(): CorruptVariant[] {
  const seed = (repositories: unknown) => JSON.stringify({ repositories });
  return [
    { name: 'a numeric tag', path: 'repositories[0].images[0].tags[1]', text: seed([{ name: 'web-app', images: [{ tags: ['v1', 7] }] }]) },
    { name: "a repository named '../../etc'", path: 'repositories[1].name', text: seed([{ name: 'web-app' }, { name: '../../etc' }]) },
    { name: 'a text pushedAt', path: 'repositories[0].images[0].pushedAt', text: seed([{ name: 'web-app', images: [{ pushedAt: 'yesterday' }] }]) },
    { name: 'duplicate repositories', path: 'repositories[1].name', text: seed([{ name: 'web-app' }, { name: 'web-app' }]) },
    { name: 'null', path: '(the whole file)', text: 'null' },
  ];
}
