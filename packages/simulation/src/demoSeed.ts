import type { SeedFile } from './seed.js';

const keepRecentPolicy = {
  rules: [
    {
      rulePriority: 1,
      description: 'Expire untagged images older than 14 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'Keep the 5 most recent release images',
      selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 5 },
      action: { type: 'expire' },
    },
  ],
};

const pullFromCiPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowPullFromCi',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/ci-deployer' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    },
  ],
};

// Base images: images built on the same base share its layers (what `ecrkit similar` finds).
// The Node.js and Python bases both sit on Debian, so they share Debian's layers too.
const nodeBase = ['debian:12', 'node:20-bookworm'];
const pythonBase = ['debian:12', 'python:3.12-slim'];
const lambdaBase = 'public.ecr.aws/lambda/nodejs:20';

/**
 * A demo registry for the default account (123456789012) in us-east-1: `web-app` (tagged
 * releases, an untagged leftover, a lifecycle policy, findings of every severity), `api-service`
 * (a multi-architecture image for linux/amd64, linux/arm64/v8 and linux/arm/v7, a repository
 * policy), `worker` (OCI images, a clean scan), `lambda-processor` (immutable, production),
 * replication to us-west-2 and eu-west-1, and one ECR Public repository. Images share base
 * layers as real ones do: `web-app` and `api-service:v2.3.1` are built on `node:20-bookworm`
 * over `debian:12`, `worker` on `python:3.12-slim` over `debian:12`, `api-service:v2.4.0` on
 * `debian:12`, `lambda-processor` on the Lambda Node.js base. Ages are relative to the registry
 * clock, so lifecycle previews show the same verdicts whenever it is loaded.
 */
export const demoSeed: SeedFile = {
  version: 1,
  replication: { destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }] },
  repositories: [
    {
      name: 'web-app',
      scanOnPush: true,
      tags: { team: 'web', environment: 'staging' },
      lifecyclePolicy: keepRecentPolicy,
      images: [
        { tags: ['v1.0.0'], ageDays: 60, base: nodeBase, findings: { critical: 2, high: 3, medium: 5, low: 4, informational: 2, undefined: 1 } },
        { tags: ['v1.1.0'], ageDays: 30, base: nodeBase, findings: { high: 1, medium: 2, low: 3 } },
        { tags: [], ageDays: 21, base: nodeBase },
        { tags: ['v1.2.0', 'latest'], ageDays: 2, base: nodeBase, findings: { medium: 1, low: 2, informational: 1 } },
      ],
    },
    {
      name: 'api-service',
      tags: { team: 'platform' },
      repositoryPolicy: pullFromCiPolicy,
      images: [
        { tags: ['v2.3.1'], ageDays: 10, layers: 3, base: nodeBase, findings: { high: 2, medium: 1 } },
        {
          tags: ['v2.4.0', 'latest'],
          ageDays: 1,
          platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'],
          mediaType: 'oci',
          base: 'debian:12',
          findings: { medium: 1, low: 2 },
        },
      ],
    },
    {
      name: 'worker',
      tags: { team: 'data' },
      images: [
        { tags: ['2024.11.1'], ageDays: 45, mediaType: 'oci', base: pythonBase, findings: { low: 1 } },
        { tags: ['2025.01.2', 'latest'], ageDays: 5, mediaType: 'oci', base: pythonBase, findings: {} },
        { tags: [], ageDays: 40, mediaType: 'oci', base: pythonBase },
      ],
    },
    {
      name: 'lambda-processor',
      tagMutability: 'IMMUTABLE',
      scanOnPush: true,
      tags: { team: 'platform', environment: 'production' },
      images: [
        { tags: ['prod-2025-01-10'], ageDays: 20, layers: 1, base: lambdaBase, findings: { critical: 1, informational: 3 }, enhanced: true },
        { tags: ['prod-2025-02-01'], ageDays: 3, layers: 1, base: lambdaBase, findings: { informational: 1 }, enhanced: true },
      ],
    },
  ],
  public: {
    alias: 'ecrkit-demo',
    displayName: 'ecrkit demo',
    repositories: [
      {
        name: 'hello-world',
        catalogData: {
          description: 'A tiny public demo image',
          architectures: ['x86-64', 'ARM 64'],
          operatingSystems: ['Linux'],
          aboutText: '# hello-world\nServed by the ecrkit simulation.',
          usageText: 'docker pull public.ecr.aws/ecrkit-demo/hello-world:latest',
        },
        images: [{ tags: ['latest', '1.0'], ageDays: 7 }],
      },
    ],
  },
};
