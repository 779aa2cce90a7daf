// Garbage in, EcrError out: every public method of the client, fed nulls, numbers where strings
// go, odd objects and throwing getters, rejects or throws only EcrErrors, and sends nothing it
// should not have validated first.
import { fc, test } from '@fast-check/vitest';
import { isEcrError } from '@ecrkit/core-types';
import { describe, expect } from 'vitest';
import type { EcrClient } from '../src/createClient.js';
import { setup } from './fixtures.js';

const throwingGetter = () =>
  new Proxy(
    {},
    {
      get() {
        throw new TypeError('getter says no');
      },
      has() {
        return true;
      },
    },
  );

// Built inside the test: fast-check itself would trip over a proxy that throws on every read.
const throwingMarker = Symbol('throwing getters');

const garbage = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1, 1.5, Number.NaN, '', 'x', true, [], {}, Symbol('s'), () => 1),
  fc.constant(throwingMarker),
  fc.anything({ maxDepth: 2 }),
);

type Method = (client: EcrClient, args: unknown[]) => unknown;
const g = (args: unknown[], i: number) => args[i] as never;
const methods: Record<string, Method> = {
  'repositories.list': (c, a) => c.repositories.list(g(a, 0)).toArray(),
  'repositories.get': (c, a) => c.repositories.get(g(a, 0), g(a, 1)),
  'repositories.getPolicy': (c, a) => c.repositories.getPolicy(g(a, 0), g(a, 1)),
  'repositories.getLifecyclePolicy': (c, a) => c.repositories.getLifecyclePolicy(g(a, 0), g(a, 1)),
  'repositories.listTags': (c, a) => c.repositories.listTags(g(a, 0), g(a, 1)).toArray(),
  'repositories.previewLifecycle': (c, a) => c.repositories.previewLifecycle(g(a, 0), g(a, 1)),
  'images.list': (c, a) => c.images.list(g(a, 0), g(a, 1)).toArray(g(a, 2)),
  'images.describe': (c, a) => c.images.describe(g(a, 0), g(a, 1), g(a, 2)).toArray(),
  'images.get': (c, a) => c.images.get(g(a, 0), g(a, 1), g(a, 2)),
  'images.batchGet': (c, a) => c.images.batchGet(g(a, 0), g(a, 1), g(a, 2)),
  'images.putTag': (c, a) => c.images.putTag(g(a, 0), g(a, 1), g(a, 2), g(a, 3)),
  'images.untag': (c, a) => c.images.untag(g(a, 0), g(a, 1), g(a, 2)),
  'images.batchDelete': (c, a) => c.images.batchDelete(g(a, 0), g(a, 1), g(a, 2)),
  'manifests.getManifest': (c, a) => c.manifests.getManifest(g(a, 0), g(a, 1), g(a, 2)),
  'manifests.getImageConfig': (c, a) => c.manifests.getImageConfig(g(a, 0), g(a, 1), g(a, 2)),
  'manifests.getLayers': (c, a) => c.manifests.getLayers(g(a, 0), g(a, 1), g(a, 2)),
  'scans.start': (c, a) => c.scans.start(g(a, 0), g(a, 1), g(a, 2)),
  'scans.getFindings': (c, a) => c.scans.getFindings(g(a, 0), g(a, 1), g(a, 2)),
  'scans.getStatus': (c, a) => c.scans.getStatus(g(a, 0), g(a, 1), g(a, 2)),
  'scans.waitForScan': (c, a) => c.scans.waitForScan(g(a, 0), g(a, 1), { timeoutMs: 0, ...(a[2] as object) }),
  'scans.evaluate': (c, a) => c.scans.evaluate(g(a, 0), g(a, 1)),
  'auth.getAuthorizationToken': (c, a) => c.auth.getAuthorizationToken(g(a, 0), g(a, 1)),
  'auth.getLoginCommand': (c, a) => c.auth.getLoginCommand(g(a, 0)),
  'auth.imagePullSecret': (c, a) => c.auth.imagePullSecret(g(a, 0), g(a, 1), g(a, 2)),
  'replication.getStatus': (c, a) => c.replication.getStatus(g(a, 0), g(a, 1), g(a, 2)),
  'replication.waitForReplication': (c, a) => c.replication.waitForReplication(g(a, 0), g(a, 1), g(a, 2), g(a, 3)),
  'public.listRepositories': (c, a) => c.public.listRepositories(g(a, 0)).toArray(),
  'public.getRepository': (c, a) => c.public.getRepository(g(a, 0), g(a, 1)),
  'public.listImageTags': (c, a) => c.public.listImageTags(g(a, 0), g(a, 1)).toArray(),
  getImageForDeployment: (c, a) => c.getImageForDeployment(g(a, 0), g(a, 1), g(a, 2)),
  resolveRegistryUri: (c, a) => c.resolveRegistryUri(g(a, 0)),
};

describe('garbage arguments', () => {
  const f = setup();
  f.registry.withImage('web-app', { tags: ['v1'] });
  for (const [name, call] of Object.entries(methods)) {
    test.prop([fc.array(garbage, { minLength: 0, maxLength: 4 })], { numRuns: 60 })(`${name} rejects with EcrError only`, async (args) => {
      let outcome: unknown;
      const real = args.map((x) => (x === throwingMarker ? throwingGetter() : x));
      try {
        outcome = await call(f.client, real);
      } catch (error) {
        expect(
          isEcrError(error),
          `${name}(${args.map((x) => String(typeof x === 'symbol' ? x.description : typeof x)).join(', ')}) threw ${String(error)}`,
        ).toBe(true);
      }
      return outcome === undefined || outcome !== null;
    });
  }
});
