import { ManualClock, isEcrError, operationNames, operationSpec, type Api } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { SimulatedRegistry } from '../SimulatedRegistry.js';

// Whatever a caller sends, the registry answers with an output or with an EcrError whose wire
// code the service model lists for that operation — never a raw exception, never an invented code.

const registry = new SimulatedRegistry({ clock: new ManualClock() });
const image = registry.addImage('app', { tags: ['v1'] });
const multi = registry.addImage('app', { tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64'] });
registry.withRepository('app', {
  lifecyclePolicy: {
    rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }],
  },
});
registry.withRepository('pub', { public: true }).withImage('pub', { public: true, tags: ['v1'] });
const snapshot = registry.snapshot();

const anything = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const names = fc.constantFrom('app', 'pub', 'missing', 'Bad Name', 'x');
const digests = fc.constantFrom(image.imageDigest, multi.imageDigest, multi.children![0]!.imageDigest, `sha256:${'0'.repeat(64)}`, 'sha256:zz', 'nope');
const tags = fc.constantFrom('v1', 'multi', 'latest', '-bad', '');
const imageId = fc.record({ imageTag: tags, imageDigest: digests }, { requiredKeys: [] });
const field = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: anything });

const input = fc.record(
  {
    repositoryName: field(names),
    registryId: field(fc.constantFrom('123456789012', '999999999999', '12')),
    imageIds: field(fc.array(imageId, { maxLength: 3 })),
    imageId: field(imageId),
    imageTag: field(tags),
    imageDigest: field(digests),
    imageManifest: field(fc.constantFrom(image.manifest, multi.manifest, '{}', 'not json', '{"schemaVersion":2,"manifests":[]}')),
    maxResults: field(fc.constantFrom(0, 1, 2, 1000, 1001)),
    nextToken: field(fc.constantFrom('garbage', 'eyJrIjoxfQ')),
    filter: field(fc.record({ tagStatus: fc.constantFrom('TAGGED', 'UNTAGGED', 'ANY', 'BAD') }, { requiredKeys: [] })),
    layerDigests: field(fc.array(digests, { maxLength: 3 })),
    layerDigest: field(digests),
    uploadId: field(fc.constantFrom('11111111-2222-4333-8444-555555555555', 'bad')),
    resourceArn: field(fc.constantFrom('arn:aws:ecr:us-east-1:123456789012:repository/app', 'arn:aws:ecr:us-east-1:123456789012:repository/missing', 'bad')),
    tags: field(fc.array(fc.record({ Key: fc.constantFrom('team', 'aws:x', ''), Value: fc.constantFrom('a', '') }), { maxLength: 2 })),
    tagKeys: field(fc.array(fc.constantFrom('team', 'x'), { maxLength: 2 })),
    lifecyclePolicyText: field(fc.constantFrom('{}', 'x'.repeat(120))),
    policyText: field(fc.constantFrom('{"Statement":[]}', 'nope')),
    imageTagMutability: field(fc.constantFrom('MUTABLE', 'IMMUTABLE', 'SOMETIMES')),
    replicationConfiguration: field(
      fc.constantFrom({ rules: [] }, { rules: [{ destinations: [{ region: 'us-west-2', registryId: '123456789012' }] }] }, { rules: 'x' }),
    ),
    catalogData: field(fc.constantFrom({}, { architectures: ['x86'] }, { architectures: ['sparc'] })),
    ecrRepositoryPrefixes: field(fc.array(fc.constantFrom('quay', 'x'), { maxLength: 2 })),
    ecrRepositoryPrefix: field(fc.constantFrom('quay', 'x', 'ecr-public')),
    upstreamRegistryUrl: field(fc.constantFrom('quay.io')),
    scanType: field(fc.constantFrom('BASIC', 'ENHANCED', 'NONE')),
    partFirstByte: field(fc.nat(3)),
    partLastByte: field(fc.nat(3)),
    layerPartBlob: field(fc.uint8Array({ maxLength: 4 })),
    force: field(fc.boolean()),
  },
  { requiredKeys: [] },
);

const calls = fc.tuple(fc.constantFrom<Api>('ecr', 'ecr-public')).chain(([api]) => fc.tuple(fc.constant(api), fc.constantFrom(...operationNames(api)), input));

test.prop([fc.array(calls, { minLength: 1, maxLength: 5 })], { numRuns: 1000 })(
  'every failure is an EcrError with a code the model lists for the operation',
  async (sequence) => {
    const target = new SimulatedRegistry({ clock: new ManualClock() }).restore(structuredClone(snapshot));
    for (const [api, operation, body] of sequence) {
      try {
        await target.execute({ api, operation, input: body, region: 'us-east-1', face: 'http' });
      } catch (err) {
        expect(isEcrError(err)).toBe(true);
        if (!isEcrError(err)) return;
        const allowed = operationSpec(api, operation)!.errors;
        expect(allowed, `${api} ${operation}: ${err.awsCode} (${err.message})`).toContain(err.awsCode);
        expect(err.statusCode).toBe(err.awsCode === 'ServerException' ? 500 : 400);
      }
    }
  },
);
