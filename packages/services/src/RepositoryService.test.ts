import { afterAll, describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseLifecyclePolicy } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { createSimulatedTransport } from '@ecrkit/simulation';
import { createClient } from './createClient.js';
import type { EcrClient } from './createClient.js';
import { rejection, settle, setup } from '../test/fixtures.js';
import type { Fixture } from '../test/fixtures.js';

const policy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
    { Sid: 'DenyDelete', Effect: 'Deny', Principal: '*', Action: 'ecr:BatchDeleteImage' },
  ],
};

const lifecycle = {
  rules: [
    {
      rulePriority: 1,
      description: 'keep five prod images',
      selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 5 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'expire untagged after a day',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
      action: { type: 'expire' },
    },
  ],
};

describe('RepositoryService', () => {
  it('list() returns every repository across pages and stops at none', async () => {
    const f = setup();
    for (let i = 0; i < 7; i++) f.registry.withRepository(`team/app-${i}`);
    const names = (await f.client.repositories.list({ pageSize: 2 }).toArray()).map((r) => r.repositoryName);
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    expect(f.ops()).toEqual(Array(4).fill('DescribeRepositories'));
  });

  it('list({ namePrefix }) filters, pages() shows the raw pages', async () => {
    const f = setup();
    f.registry.withRepository('web-app').withRepository('web-api').withRepository('worker');
    expect((await f.client.repositories.list({ namePrefix: 'web-' }).toArray()).map((r) => r.repositoryName).sort()).toEqual(['web-api', 'web-app']);
    const pages = [];
    for await (const page of f.client.repositories.list({ namePrefix: 'web-', pageSize: 2 }).pages()) pages.push(page);
    expect(pages.map((p) => p.repositories?.length)).toEqual([2, 1]);
  });

  it('list({ names }) sends 100 names per request', async () => {
    const f = setup();
    const names = Array.from({ length: 150 }, (_, i) => `repo-${i}`);
    for (const n of names) f.registry.withRepository(n);
    const repos = await f.client.repositories.list({ names }).toArray();
    expect(repos.map((r) => r.repositoryName)).toEqual(names);
    expect(f.ops()).toEqual(['DescribeRepositories', 'DescribeRepositories']);
    expect(() => f.client.repositories.list({ names, pageSize: 5 })).toThrow(expect.objectContaining({ kind: 'InvalidParameter' }));
  });

  it('a consumer that breaks sends no further request', async () => {
    const f = setup();
    for (let i = 0; i < 5; i++) f.registry.withRepository(`r-${i}`);
    for await (const repo of f.client.repositories.list({ pageSize: 1 })) {
      expect(repo.repositoryName).toBe('r-0');
      break;
    }
    expect(f.ops()).toEqual(['DescribeRepositories']);
    expect(await f.client.repositories.list({ pageSize: 1 }).toArray({ limit: 3 })).toHaveLength(3);
    expect(f.ops()).toHaveLength(4);
  });

  it('an error on a later page surfaces after the items already yielded', async () => {
    const f = setup();
    for (let i = 0; i < 4; i++) f.registry.withRepository(`r-${i}`);
    f.registry.withErrorInjection({ operation: 'DescribeRepositories', onCalls: [2], error: 'ThrottlingException' });
    const seen: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const repo of f.client.repositories.list({ pageSize: 2 })) seen.push(repo.repositoryName!);
      })(),
    );
    expect(err).toMatchObject({ kind: 'Throttling', retryable: true, operation: 'DescribeRepositories' });
    expect(seen).toEqual(['r-0', 'r-1']);
  });

  it('get() returns one repository; a missing one is RepositoryNotFound', async () => {
    const f = setup();
    f.registry.withRepository('web-app', { tagMutability: 'IMMUTABLE', scanOnPush: true });
    const repo = await f.client.repositories.get('web-app');
    expect(repo).toMatchObject({
      repositoryName: 'web-app',
      registryId: '123456789012',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(repo.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/web-app');
    expect(await rejection(f.client.repositories.get('nope'))).toMatchObject({ kind: 'RepositoryNotFound' });
  });

  it('get() is served from the metadata cache when enabled, until the TTL passes', async () => {
    const f = setup({ client: { metadataCache: { ttlMs: 60_000, maxEntries: 100 } } });
    f.registry.withRepository('web-app');
    await f.client.repositories.get('web-app');
    await f.client.repositories.get('web-app');
    expect(f.ops()).toEqual(['DescribeRepositories']);
    await f.clock.advance(60_000);
    await f.client.repositories.get('web-app');
    expect(f.ops()).toEqual(['DescribeRepositories', 'DescribeRepositories']);
    expect(f.client.metadataCacheStats()).toMatchObject({ hits: 1 });
  });

  it('bad names are refused before anything is sent', async () => {
    const f = setup();
    for (const bad of ['', 'A', 'UPPER/case', 'a'.repeat(257), '-lead']) {
      expect(await rejection(f.client.repositories.get(bad))).toMatchObject({ kind: 'InvalidParameter', field: 'repositoryName' });
      expect(await rejection(f.client.repositories.getPolicy(bad))).toMatchObject({ kind: 'InvalidParameter' });
      expect(await rejection(f.client.repositories.getLifecyclePolicy(bad))).toMatchObject({ kind: 'InvalidParameter' });
      expect(await rejection(f.client.repositories.previewLifecycle(bad))).toMatchObject({ kind: 'InvalidParameter' });
    }
    expect(() => f.client.repositories.list({ names: ['OK?'] })).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'names[0]' }));
    expect(() => f.client.repositories.listTags('arn:aws:s3:::bucket')).toThrow(expect.objectContaining({ kind: 'InvalidParameter' }));
    expect(f.ops()).toEqual([]);
  });

  it('getPolicy() returns the text and normalised statements', async () => {
    const f = setup();
    f.registry.withRepository('web-app', { repositoryPolicy: policy });
    const result = await f.client.repositories.getPolicy('web-app');
    expect(JSON.parse(result.text)).toEqual(policy);
    expect(result.statements.map((s) => [s.sid, s.effect, s.actions])).toEqual([
      ['AllowPull', 'Allow', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']],
      ['DenyDelete', 'Deny', ['ecr:BatchDeleteImage']],
    ]);
    expect(result.statements[1]?.principal).toBe('*');
    f.registry.withRepository('no-policy');
    expect(await rejection(f.client.repositories.getPolicy('no-policy'))).toMatchObject({ kind: 'RepositoryPolicyNotFound' });
  });

  it('getLifecyclePolicy() returns text, parsed rules sorted by priority, and lastEvaluatedAt', async () => {
    const f = setup();
    f.registry.withRepository('web-app', { lifecyclePolicy: { rules: [...lifecycle.rules].reverse() } });
    const result = await f.client.repositories.getLifecyclePolicy('web-app');
    expect(result.rules.map((r) => r.rulePriority)).toEqual([1, 2]);
    expect(result.rules[0]?.selection).toMatchObject({ tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 5 });
    expect(result.repositoryName).toBe('web-app');
    f.registry.withRepository('bare');
    expect(await rejection(f.client.repositories.getLifecyclePolicy('bare'))).toMatchObject({ kind: 'LifecyclePolicyNotFound' });
  });

  it('listTags() lists the resource tags of an ARN', async () => {
    const f = setup();
    f.registry.withRepository('web-app', { tags: { team: 'platform', env: 'prod' } });
    const repo = await f.client.repositories.get('web-app');
    const tags = await f.client.repositories.listTags(repo.repositoryArn!).toArray();
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'platform' },
        { Key: 'env', Value: 'prod' },
      ]),
    );
    expect(await rejection(f.client.repositories.listTags('arn:aws:ecr:us-east-1:123456789012:repository/missing').toArray())).toMatchObject({
      kind: 'RepositoryNotFound',
    });
  });

  describe('previewLifecycle', () => {
    function repoWithImages() {
      const f = setup();
      f.registry.withRepository('web-app', { lifecyclePolicy: lifecycle });
      const day = 86_400_000;
      for (let i = 0; i < 8; i++) f.registry.withImage('web-app', { tags: [`prod-${i}`], pushedAt: new Date(f.clock.now() - (10 - i) * day) });
      for (let i = 0; i < 3; i++) f.registry.withImage('web-app', { tags: [], pushedAt: new Date(f.clock.now() - i * day - 3600_000) });
      return f;
    }

    it('from the registry: Start, poll Get until COMPLETE, then every result page', async () => {
      const f = repoWithImages();
      const verdicts = await settle(f.clock, f.client.repositories.previewLifecycle('web-app', { source: 'registry' }));
      expect(verdicts.filter((v) => v.appliedRulePriority === 1).map((v) => v.imageTags)).toEqual(expect.arrayContaining([['prod-0'], ['prod-1'], ['prod-2']]));
      expect(verdicts.filter((v) => v.appliedRulePriority === 2)).toHaveLength(2);
      expect(verdicts.every((v) => v.action.type === 'EXPIRE')).toBe(true);
      expect(f.ops()).toEqual(['StartLifecyclePolicyPreview', 'GetLifecyclePolicyPreview', 'GetLifecyclePolicyPreview', 'GetLifecyclePolicyPreview']);
    });

    /**
     * A client on the fixture's registry whose first GetLifecyclePolicyPreview responses report
     * `statuses` in turn (`undefined`: no status), then the simulation's own. The simulation only
     * ever reports IN_PROGRESS then COMPLETE; this plays a registry that says something else.
     */
    function reporting(f: Fixture, statuses: (string | undefined)[]): EcrClient {
      const inner = createSimulatedTransport(f.registry);
      const queue = [...statuses];
      const transport: Transport = {
        async send(request) {
          const out = (await inner.send(request)) as { status?: string };
          if (request.operation === 'GetLifecyclePolicyPreview' && queue.length > 0) {
            const status = queue.shift();
            if (status === undefined) delete out.status;
            else out.status = status;
          }
          return out as never;
        },
      };
      return createClient(f.config, { transport, clock: f.clock, random: () => 0 });
    }

    it('from the registry: a status it does not know, or none, keeps the wait polling until COMPLETE', async () => {
      const f = repoWithImages();
      // A status AWS might add later must not end the wait as failed (the SDK's waiter keeps polling too).
      const client = reporting(f, ['SOME_FUTURE_STATUS', undefined, 'SOME_FUTURE_STATUS']);
      const verdicts = await settle(f.clock, client.repositories.previewLifecycle('web-app', { source: 'registry' }));
      expect(verdicts).toHaveLength(5);
      // Three polls retried, the fourth saw COMPLETE, then the one result page.
      expect(f.ops()).toEqual(['StartLifecyclePolicyPreview', ...Array(5).fill('GetLifecyclePolicyPreview')]);
    });

    it('from the registry: FAILED or EXPIRED ends the wait at once with InvalidResponse', async () => {
      for (const status of ['FAILED', 'EXPIRED']) {
        const f = repoWithImages();
        const err = await rejection(settle(f.clock, reporting(f, [status]).repositories.previewLifecycle('web-app', { source: 'registry' })));
        expect(err).toMatchObject({ kind: 'InvalidResponse', message: `The lifecycle policy preview of web-app ended with status ${status}` });
        expect(f.ops()).toEqual(['StartLifecyclePolicyPreview', 'GetLifecyclePolicyPreview']);
      }
    });

    it('locally: GetLifecyclePolicy and DescribeImages, evaluated with core-types, agreeing with the registry', async () => {
      const f = repoWithImages();
      const local = await f.client.repositories.previewLifecycle('web-app', { source: 'local' });
      expect(f.ops()).toEqual(['GetLifecyclePolicy', 'DescribeImages']);
      const remote = await settle(f.clock, f.client.repositories.previewLifecycle('web-app', { source: 'registry' }));
      const key = (v: { imageDigest: string }) => v.imageDigest;
      expect([...local].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...remote].sort((a, b) => key(a).localeCompare(key(b))));
      expect(local).toHaveLength(5);
    });

    it('previews a policy text that is not yet applied', async () => {
      const f = repoWithImages();
      const text = JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: 'keep the two newest of anything',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 },
            action: { type: 'expire' },
          },
        ],
      });
      const local = await f.client.repositories.previewLifecycle('web-app', { source: 'local', policyText: text });
      const remote = await settle(f.clock, f.client.repositories.previewLifecycle('web-app', { policyText: text }));
      expect(local).toHaveLength(9);
      expect(remote).toHaveLength(9);
      expect(f.ops()).not.toContain('GetLifecyclePolicy');
    });

    it('auto falls back to local evaluation when the registry has no preview operation', async () => {
      const f = repoWithImages();
      f.registry.withErrorInjection({ operation: 'StartLifecyclePolicyPreview', error: { awsCode: 'UnknownOperationException', statusCode: 404 } });
      const verdicts = await settle(f.clock, f.client.repositories.previewLifecycle('web-app'));
      expect(verdicts).toHaveLength(5);
      expect(f.ops()).toEqual(['StartLifecyclePolicyPreview', 'GetLifecyclePolicy', 'DescribeImages']);
    });

    it('without a policy: LifecyclePolicyNotFound; with a bad source or policy: InvalidParameter before any request', async () => {
      const f = setup();
      f.registry.withRepository('bare');
      expect(await rejection(settle(f.clock, f.client.repositories.previewLifecycle('bare')))).toMatchObject({ kind: 'LifecyclePolicyNotFound' });
      f.registry.clearOperationHistory();
      expect(await rejection(f.client.repositories.previewLifecycle('bare', { source: 'cloud' as never }))).toMatchObject({
        kind: 'InvalidParameter',
        field: 'source',
      });
      expect(await rejection(f.client.repositories.previewLifecycle('bare', { policyText: '{"rules":[]}' }))).toMatchObject({ kind: 'InvalidParameter' });
      expect(f.ops()).toEqual([]);
    });
  });
});

function isValid(text: string): boolean {
  try {
    parseLifecyclePolicy(text);
    return true;
  } catch {
    return false;
  }
}

// Random repositories and policies: local evaluation and the registry's preview must agree.
const tagPrefixes = ['prod', 'dev', 'v1', 'rel'] as const;
const imageArb = fc.record({
  tags: fc.uniqueArray(fc.constantFrom(...tagPrefixes), { maxLength: 2 }),
  ageHours: fc.integer({ min: 0, max: 24 * 40 }),
});
const ruleArb = fc.record({
  tagStatus: fc.constantFrom('tagged', 'untagged', 'any'),
  prefix: fc.constantFrom(...tagPrefixes),
  usePattern: fc.boolean(),
  countType: fc.constantFrom('imageCountMoreThan', 'sinceImagePushed'),
  countNumber: fc.integer({ min: 1, max: 6 }),
});

// Guard against a vacuous property: many runs must actually expire something.
let expiringRuns = 0;
afterAll(() => expect(expiringRuns).toBeGreaterThan(10));

test.prop([fc.array(imageArb, { maxLength: 12 }), fc.array(ruleArb, { minLength: 1, maxLength: 3 })], { numRuns: 40 })(
  'lifecycle: local evaluation and the registry preview agree on random repositories and policies',
  async (images, ruleSpecs) => {
    // ECR allows one `untagged` rule and one `any` rule, which must have the lowest priority.
    const tagged = new Map(ruleSpecs.filter((r) => r.tagStatus === 'tagged').map((r) => [`${r.prefix}|${r.usePattern}`, r]));
    const specs = [
      ...tagged.values(),
      ...ruleSpecs.filter((r) => r.tagStatus === 'untagged').slice(0, 1),
      ...ruleSpecs.filter((r) => r.tagStatus === 'any').slice(0, 1),
    ];
    const rules = specs.map((r, i) => ({
      rulePriority: i + 1,
      description: `generated rule number ${i + 1}`,
      selection: {
        tagStatus: r.tagStatus,
        ...(r.tagStatus === 'tagged' ? (r.usePattern ? { tagPatternList: [`${r.prefix}*`] } : { tagPrefixList: [r.prefix] }) : {}),
        countType: r.countType,
        ...(r.countType === 'sinceImagePushed' ? { countUnit: 'days' } : {}),
        countNumber: r.countNumber,
      },
      action: { type: 'expire' },
    }));
    // Whatever else ECR forbids (core-types knows), skip rather than test.
    fc.pre(isValid(JSON.stringify({ rules })));
    const f = setup();
    f.registry.withRepository('random-repo', { lifecyclePolicy: { rules } });
    for (const [i, img] of images.entries()) {
      f.registry.withImage('random-repo', {
        tags: img.tags.map((t) => `${t}-${i}`),
        pushedAt: new Date(f.clock.now() - img.ageHours * 3600_000 - i),
        layers: 1,
      });
    }
    const local = await f.client.repositories.previewLifecycle('random-repo', { source: 'local' });
    const remote = await settle(f.clock, f.client.repositories.previewLifecycle('random-repo', { source: 'registry' }));
    const sort = <T extends { imageDigest: string }>(v: T[]) => [...v].sort((a, b) => a.imageDigest.localeCompare(b.imageDigest));
    expect(sort(local)).toEqual(sort(remote));
    if (local.length > 0) expiringRuns++;
  },
);
