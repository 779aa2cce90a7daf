import { ecrConfig, isEcrError, type ErrorKind, type Transport } from '@ecrkit/core-types';
import { createClient, type EcrClient } from '@ecrkit/services';
import type { SimulatedRegistry } from '@ecrkit/simulation';
import { contractAccountId, contractRegion } from './scenarios.js';

/**
 * One service method called through a client over the transport under test: `setup` prepares
 * the registry, `run` calls the method (its result is what parity compares), `check` asserts
 * on the result; `kind` instead says which EcrError kind the call must fail with.
 */
export interface ServiceScenario {
  name: string;
  setup?(registry: SimulatedRegistry): void;
  run(client: EcrClient): Promise<unknown>;
  check?(result: unknown): void;
  kind?: ErrorKind;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`service contract check failed: ${message}`);
}

const registryPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'replicate', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:ReplicateImage'], Resource: '*' }],
});
const credentialArn = `arn:aws:secretsmanager:${contractRegion}:${contractAccountId}:secret:ecr-pullthroughcache/contract-AbCdEf`;
const roleArn = `arn:aws:iam::${contractAccountId}:role/contract-pull-through`;
const signingProfile = `arn:aws:signer:${contractRegion}:${contractAccountId}:/signing-profiles/contract_signing`;
const sbom = 'application/spdx+json';
const signature = 'application/vnd.cncf.notary.signature';
const isDate = (value: unknown) => value instanceof Date;

function rules(registry: SimulatedRegistry): void {
  for (const [ecrRepositoryPrefix, upstreamRegistryUrl] of [
    ['ecr-public', 'public.ecr.aws'],
    ['quay', 'quay.io'],
    ['k8s', 'registry.k8s.io'],
  ]) {
    registry.applySync({ api: 'ecr', operation: 'CreatePullThroughCacheRule', input: { ecrRepositoryPrefix, upstreamRegistryUrl } });
  }
}

function templates(registry: SimulatedRegistry): void {
  for (const prefix of ['prod', 'dev', 'ROOT']) {
    registry.applySync({ api: 'ecr', operation: 'CreateRepositoryCreationTemplate', input: { prefix, appliedFor: ['REPLICATION'] } });
  }
}

function referrers(registry: SimulatedRegistry): void {
  registry
    .withImage('web-app', { tags: ['v1'], mediaType: 'oci' })
    .withReferrer('web-app', 'v1', { artifactType: signature })
    .withReferrer('web-app', 'v1', { artifactType: sbom })
    .withReferrer('web-app', 'v1', { artifactType: signature, content: 'another signature' });
}

/** Every service method added for the registry-level API (issue 14), as a contract case. */
export const serviceScenarios: readonly ServiceScenario[] = [
  {
    name: 'registryPolicy.put',
    run: (c) => c.registryPolicy.put(registryPolicy),
    check: (r) => assert((r as { text: string }).text === registryPolicy, 'the policy back'),
  },
  {
    name: 'registryPolicy.get',
    setup: (r) => r.applySync({ api: 'ecr', operation: 'PutRegistryPolicy', input: { policyText: registryPolicy } }),
    run: (c) => c.registryPolicy.get(),
    check: (r) => assert((r as { statements: { sid?: string }[] }).statements[0]?.sid === 'replicate', 'parsed statements'),
  },
  { name: 'registryPolicy.get without a policy', run: (c) => c.registryPolicy.get(), kind: 'RegistryPolicyNotFound' },
  {
    name: 'registryPolicy.delete',
    setup: (r) => r.applySync({ api: 'ecr', operation: 'PutRegistryPolicy', input: { policyText: registryPolicy } }),
    run: (c) => c.registryPolicy.delete(),
    check: (r) => assert((r as { registryId?: string }).registryId === contractAccountId, 'the deleted policy'),
  },
  {
    name: 'pullThroughCache.create',
    run: (c) => c.pullThroughCache.create({ ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn }),
    check: (r) => assert(isDate((r as { createdAt?: unknown }).createdAt) && (r as { upstreamRegistry?: string }).upstreamRegistry === 'docker-hub', 'a rule'),
  },
  {
    name: 'pullThroughCache.list, one per page',
    setup: rules,
    run: (c) => c.pullThroughCache.list({ pageSize: 1 }).toArray(),
    check: (r) => assert((r as unknown[]).length === 3, 'three rules over three pages'),
  },
  {
    name: 'pullThroughCache.update',
    setup: rules,
    run: (c) => c.pullThroughCache.update('quay', { customRoleArn: roleArn }),
    check: (r) => assert(isDate((r as { updatedAt?: unknown }).updatedAt), 'updatedAt'),
  },
  {
    name: 'pullThroughCache.validate',
    setup: rules,
    run: (c) => c.pullThroughCache.validate('k8s'),
    check: (r) => assert((r as { isValid?: boolean }).isValid === true, 'valid'),
  },
  { name: 'pullThroughCache.validate without the rule', run: (c) => c.pullThroughCache.validate('none'), kind: 'PullThroughCacheRuleNotFound' },
  {
    name: 'pullThroughCache.delete',
    setup: rules,
    run: (c) => c.pullThroughCache.delete('quay'),
    check: (r) => assert((r as { upstreamRegistryUrl?: string }).upstreamRegistryUrl === 'quay.io', 'the deleted rule'),
  },
  {
    name: 'creationTemplates.create',
    run: (c) =>
      c.creationTemplates.create({
        prefix: 'prod',
        appliedFor: ['PULL_THROUGH_CACHE'],
        imageTagMutability: 'IMMUTABLE',
        resourceTags: [{ Key: 'team', Value: 'platform' }],
      }),
    check: (r) => assert(isDate((r as { createdAt?: unknown }).createdAt), 'createdAt'),
  },
  {
    name: 'creationTemplates.list, two per page',
    setup: templates,
    run: (c) => c.creationTemplates.list({ pageSize: 2 }).toArray(),
    check: (r) => assert((r as unknown[]).length === 3, 'three templates over two pages'),
  },
  {
    name: 'creationTemplates.update',
    setup: templates,
    run: (c) => c.creationTemplates.update('dev', { description: 'development' }),
    check: (r) => assert((r as { description?: string }).description === 'development', 'updated'),
  },
  {
    name: 'creationTemplates.delete',
    setup: templates,
    run: (c) => c.creationTemplates.delete('prod'),
    check: (r) => assert((r as { prefix?: string }).prefix === 'prod', 'the deleted template'),
  },
  { name: 'creationTemplates.delete without the template', run: (c) => c.creationTemplates.delete('none'), kind: 'TemplateNotFound' },
  {
    name: 'referrers.list of a tag, one per page',
    setup: referrers,
    run: (c) => c.referrers.list('web-app', 'v1', { pageSize: 1 }).toArray(),
    check: (r) => assert((r as { artifactType?: string }[]).map((x) => x.artifactType).join() === [signature, sbom, signature].join(), 'three referrers'),
  },
  {
    name: 'referrers.list filtered by artifact type',
    setup: referrers,
    run: (c) => c.referrers.list('web-app', 'v1', { artifactTypes: [sbom] }).toArray(),
    check: (r) => assert((r as { artifactType?: string }[]).length === 1, 'the SBOM'),
  },
  {
    name: 'signing.getStatus',
    setup: (r) => {
      r.applySync({ api: 'ecr', operation: 'PutSigningConfiguration', input: { signingConfiguration: { rules: [{ signingProfileArn: signingProfile }] } } });
      r.withImage('web-app', { tags: ['signed'] });
    },
    run: (c) => c.signing.getStatus('web-app', 'signed'),
    check: (r) => assert((r as { signingStatuses: { signingProfileArn?: string }[] }).signingStatuses[0]?.signingProfileArn === signingProfile, 'one status'),
  },
  {
    name: 'storage.archive',
    setup: (r) => r.withImage('web-app', { tags: ['old'] }),
    run: (c) => c.storage.archive('web-app', 'old'),
    check: (r) => assert((r as { imageStatus?: string }).imageStatus === 'ARCHIVED', 'archived'),
  },
  {
    name: 'storage.restore',
    setup: (r) => {
      r.withImage('web-app', { tags: ['old'] });
      r.applySync({
        api: 'ecr',
        operation: 'UpdateImageStorageClass',
        input: { repositoryName: 'web-app', imageId: { imageTag: 'old' }, targetStorageClass: 'ARCHIVE' },
      });
    },
    run: (c) => c.storage.restore('web-app', 'old'),
    check: (r) => assert(['ACTIVATING', 'ACTIVE'].includes((r as { imageStatus?: string }).imageStatus ?? ''), 'restoring'),
  },
  {
    name: 'accountSettings.get',
    run: (c) => c.accountSettings.get('BASIC_SCAN_TYPE_VERSION'),
    check: (r) => assert((r as { value: string }).value === 'AWS_NATIVE', 'the default'),
  },
  {
    name: 'accountSettings.put',
    run: (c) => c.accountSettings.put('REGISTRY_POLICY_SCOPE', 'V1'),
    check: (r) => assert((r as { value: string }).value === 'V1', 'the value'),
  },
];

/** What a service scenario came to: its result, or the failure's kind and code. */
export type ServiceOutcome = { ok: true; result: unknown } | { ok: false; kind: string; awsCode?: string };

/**
 * Run one scenario through a client over `transport` (region and registry of the contract)
 * against the prepared `registry`, check it, and return what it came to.
 */
export async function runServiceScenario(s: ServiceScenario, registry: SimulatedRegistry, transport: Transport): Promise<ServiceOutcome> {
  s.setup?.(registry);
  const client = createClient(ecrConfig().region(contractRegion).registryId(contractAccountId).build(), { transport });
  let outcome: ServiceOutcome;
  try {
    outcome = { ok: true, result: await s.run(client) };
  } catch (err) {
    if (!isEcrError(err)) throw err;
    outcome = { ok: false, kind: err.kind, ...(err.awsCode !== undefined ? { awsCode: err.awsCode } : {}) };
  }
  if (s.kind) {
    assert(!outcome.ok && outcome.kind === s.kind, `${s.name}: expected ${s.kind}, got ${outcome.ok ? 'success' : outcome.kind}`);
  } else {
    if (!outcome.ok) throw new Error(`service contract: ${s.name} failed with ${outcome.kind} (${outcome.awsCode ?? 'no code'})`);
    s.check?.(outcome.result);
  }
  return outcome;
}
