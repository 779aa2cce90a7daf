import { createHash } from 'node:crypto';
import { ManualClock, type Transport } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { createSimulatedTransport } from './createSimulatedTransport.js';
import { SimulatedRegistry } from './SimulatedRegistry.js';

// Model-based test: random sequences of push / re-tag / untag / delete against a tiny reference
// model (digest -> set of tags), checking after each step that the registry agrees with it and
// that pagination, with any page size, returns every item exactly once.

const region = 'us-east-1';
const repositoryName = 'model';
const tags = ['a', 'b', 'c', 'latest', 'v1'];
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

interface Model {
  images: Map<string, Set<string>>;
}

interface Real {
  transport: Transport;
  manifests: string[];
}

type Send = (operation: string, input: unknown) => Promise<Record<string, any>>;
const sender =
  (t: Transport): Send =>
  (operation, input) =>
    t.send({ api: 'ecr', operation, input, region } as never) as Promise<Record<string, any>>;

function holderOf(model: Model, tag: string): string | undefined {
  for (const [digest, set] of model.images) if (set.has(tag)) return digest;
  return undefined;
}

async function pageAll(send: Send, operation: 'DescribeImages' | 'ListImages', maxResults: number, tagStatus: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await send(operation, { repositoryName, maxResults, filter: { tagStatus }, ...(nextToken ? { nextToken } : {}) });
    const list = operation === 'DescribeImages' ? page.imageDetails : page.imageIds;
    expect(list.length).toBeLessThanOrEqual(maxResults);
    items.push(...list);
    nextToken = page.nextToken;
    expect(++pages).toBeLessThan(200);
  } while (nextToken);
  return items;
}

async function checkAgainstModel(model: Model, real: Real, maxResults: number): Promise<void> {
  const send = sender(real.transport);
  // Every tag points at exactly one image, the one the model says.
  const details = await pageAll(send, 'DescribeImages', maxResults, 'ANY');
  const digests = details.map((d) => d.imageDigest as string);
  expect(new Set(digests).size).toBe(digests.length);
  expect(new Set(digests)).toEqual(new Set(model.images.keys()));
  const seenTags = new Map<string, string>();
  for (const d of details) {
    expect(new Set(d.imageTags ?? [])).toEqual(model.images.get(d.imageDigest));
    for (const t of d.imageTags ?? []) {
      expect(seenTags.has(t)).toBe(false);
      seenTags.set(t, d.imageDigest);
    }
  }
  // ListImages: one entry per tag, plus one per untagged image; filters partition the list.
  const listed = await pageAll(send, 'ListImages', maxResults, 'ANY');
  const expected = [...model.images].flatMap(([digest, set]) => (set.size === 0 ? [`${digest}|`] : [...set].map((t) => `${digest}|${t}`)));
  const keys = listed.map((i) => `${i.imageDigest}|${i.imageTag ?? ''}`);
  expect(keys.length).toBe(expected.length);
  expect(new Set(keys)).toEqual(new Set(expected));
  const tagged = await pageAll(send, 'DescribeImages', maxResults, 'TAGGED');
  const untagged = await pageAll(send, 'DescribeImages', maxResults, 'UNTAGGED');
  expect(tagged.length + untagged.length).toBe(model.images.size);
  expect(untagged.every((d) => d.imageTags === undefined)).toBe(true);
  // Digests match the stored bytes.
  if (digests.length > 0) {
    const got = await send('BatchGetImage', { repositoryName, imageIds: digests.map((imageDigest) => ({ imageDigest })) });
    for (const image of got.images) expect(sha(image.imageManifest)).toBe(image.imageId.imageDigest);
  }
}

class PutCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly manifest: number,
    readonly tag: string | undefined,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const manifest = real.manifests[this.manifest]!;
    const digest = sha(manifest);
    const send = sender(real.transport);
    const existing = model.images.get(digest);
    const input = { repositoryName, imageManifest: manifest, ...(this.tag ? { imageTag: this.tag } : {}) };
    if (existing && (this.tag === undefined || existing.has(this.tag))) {
      await expect(send('PutImage', input)).rejects.toMatchObject({ awsCode: 'ImageAlreadyExistsException' });
      return;
    }
    await send('PutImage', input);
    if (this.tag) {
      const holder = holderOf(model, this.tag);
      if (holder) model.images.get(holder)!.delete(this.tag);
    }
    const set = existing ?? new Set<string>();
    if (this.tag) set.add(this.tag);
    model.images.set(digest, set);
  }
  toString = () => `put(${this.manifest}, ${this.tag ?? '-'})`;
}

class DeleteByTagCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly tag: string) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const out = await sender(real.transport)('BatchDeleteImage', { repositoryName, imageIds: [{ imageTag: this.tag }] });
    const holder = holderOf(model, this.tag);
    if (!holder) {
      expect(out.failures).toEqual([{ imageId: { imageTag: this.tag }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
      return;
    }
    expect(out.imageIds).toEqual([{ imageDigest: holder, imageTag: this.tag }]);
    const set = model.images.get(holder)!;
    if (set.size === 1) model.images.delete(holder);
    else set.delete(this.tag);
  }
  toString = () => `untag(${this.tag})`;
}

class DeleteByDigestCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly manifest: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const digest = sha(real.manifests[this.manifest]!);
    const out = await sender(real.transport)('BatchDeleteImage', { repositoryName, imageIds: [{ imageDigest: digest }] });
    const set = model.images.get(digest);
    if (!set) {
      expect(out.failures[0].failureCode).toBe('ImageNotFound');
      return;
    }
    expect(out.imageIds.length).toBe(Math.max(1, set.size));
    model.images.delete(digest);
  }
  toString = () => `delete(${this.manifest})`;
}

class CheckCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly maxResults: number) {}
  check = () => true;
  run = (model: Model, real: Real) => checkAgainstModel(model, real, this.maxResults);
  toString = () => `check(${this.maxResults})`;
}

const manifestCount = 5;

// One registry whose repository holds the blobs of `manifestCount` images, emptied of images:
// each run restores it, so strict mode has every blob it needs.
const template = (() => {
  const registry = new SimulatedRegistry({ clock: new ManualClock(), seed: 42 });
  const manifests = Array.from({ length: manifestCount }, () => registry.addImage(repositoryName, { tags: [], layers: 1, layerSize: 64 }).manifest);
  return { snapshot: registry.snapshot(), manifests };
})();

const commands = [
  fc.tuple(fc.nat(manifestCount - 1), fc.option(fc.constantFrom(...tags), { nil: undefined })).map(([m, t]) => new PutCommand(m, t)),
  fc.constantFrom(...tags).map((t) => new DeleteByTagCommand(t)),
  fc.nat(manifestCount - 1).map((m) => new DeleteByDigestCommand(m)),
  fc.integer({ min: 1, max: 7 }).map((n) => new CheckCommand(n)),
];

test.prop([fc.commands(commands, { maxCommands: 40 })], { numRuns: 200 })(
  'push, re-tag, untag and delete keep the registry equal to the model',
  async (cmds) => {
    const registry = new SimulatedRegistry({ clock: new ManualClock() }).restore(structuredClone(template.snapshot));
    const send = sender(createSimulatedTransport(registry));
    for (const digest of template.manifests.map(sha)) await send('BatchDeleteImage', { repositoryName, imageIds: [{ imageDigest: digest }] });
    const real: Real = { transport: createSimulatedTransport(registry), manifests: template.manifests };
    const model: Model = { images: new Map() };
    await fc.asyncModelRun(() => ({ model, real }), cmds);
    await checkAgainstModel(model, real, 3);
  },
);
