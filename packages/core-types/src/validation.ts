import { invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';

// Patterns and limits come from the service models (botocore `ecr/2015-09-21` and
// `ecr-public/2020-10-30`), anchored here because the models' patterns are matched whole.
// Lengths are checked before any pattern so no regular expression ever sees a huge input.

/** ECR `RepositoryName`: length 2–256 and this pattern (namespaces separated by `/`). */
const repositoryNamePattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const repositoryNameLength = { min: 2, max: 256 } as const;

/** ECR Public `RepositoryName`: length 2–205 and a slightly different pattern (single separators). */
const publicRepositoryNamePattern = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const publicRepositoryNameLength = { min: 2, max: 205 } as const;

/**
 * Image tags. The models give only the length (1–300). The service itself answers
 * "must satisfy regular expression '[a-zA-Z0-9-_.]+'" (seen in
 * github.com/alexjurkiewicz/ecr-scan-image/issues/40), and the OCI distribution spec's tag
 * grammar `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` (docker/docker#24339) forbids a leading `.` or
 * `-`, which Docker clients refuse to push. We take the intersection with ECR's longer limit.
 */
const imageTagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,299}$/;
const imageTagLength = { min: 1, max: 300 } as const;

/** OCI image-spec registered algorithms: sha256 (64 lowercase hex) and sha512 (128). */
const digestPattern = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** ECR `RegistryId` (an AWS account id). */
const registryIdPattern = /^[0-9]{12}$/;

/**
 * ECR `Region` is `[0-9a-z-]{2,25}`; that admits `---` and `1`, so we also require the shape
 * every AWS region has: a partition-ish prefix, one or more words and a number
 * (`us-east-1`, `us-gov-west-1`, `cn-northwest-1`, `eu-isoe-west-1`).
 */
const regionModelPattern = /^[0-9a-z-]{2,25}$/;
const regionShapePattern = /^[a-z]{2}(?:-[a-z]+){1,3}-[0-9]{1,2}$/;

/** `arn:<partition>:ecr:<region>:<account>:repository/<name>` for the three public partitions. */
const repositoryArnPattern = /^arn:(aws|aws-cn|aws-us-gov):ecr:([^:]*):([^:]*):repository\/(.*)$/;

/** ECR `LifecyclePolicyText` length limits. */
const lifecyclePolicyTextLength = { min: 100, max: 30720 } as const;

function isStringOfLength(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function requireString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw invalidParameter(field, `must be a string, got ${describeValue(value)}`);
}

function requireLength(value: string, field: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    throw invalidParameter(field, `length must be ${min}–${max} characters, got ${value.length}`);
  }
}

/** The common check: a string, within the length limits, matching `pattern`; `rule` names it in the message. */
function requireMatch(value: unknown, field: string, length: { min: number; max: number }, pattern: RegExp, rule: string): asserts value is string {
  requireString(value, field);
  requireLength(value, field, length.min, length.max);
  if (!pattern.test(value)) throw invalidParameter(field, `${describeValue(value)} does not match the ${rule}`);
}

/** True when `name` is a valid private ECR repository name (2–256 characters, ECR's pattern). */
export function isValidRepositoryName(name: unknown): name is string {
  return isStringOfLength(name, repositoryNameLength.min, repositoryNameLength.max) && repositoryNamePattern.test(name);
}

/**
 * Throw unless `name` is a valid private ECR repository name: 2–256 characters of lowercase
 * letters, digits and the separators `.`, `_`, `__`, `-`, with `/` between namespace parts.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `repositoryName`).
 */
export function validateRepositoryName(name: unknown, field = 'repositoryName'): asserts name is string {
  requireMatch(
    name,
    field,
    repositoryNameLength,
    repositoryNamePattern,
    `repository name rule: lowercase letters and digits, ` +
      `parts joined by '.', '_', '__' or '-' and namespaces by '/', starting and ending with a letter or digit`,
  );
}

/** True when `name` is a valid ECR Public repository name (2–205 characters, ECR Public's pattern). */
export function isValidPublicRepositoryName(name: unknown): name is string {
  return isStringOfLength(name, publicRepositoryNameLength.min, publicRepositoryNameLength.max) && publicRepositoryNamePattern.test(name);
}

/**
 * Throw unless `name` is a valid ECR Public repository name: 2–205 characters, lowercase
 * letters and digits joined by single `.`, `_` or `-`, namespaces by `/`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `repositoryName`).
 */
export function validatePublicRepositoryName(name: unknown, field = 'repositoryName'): asserts name is string {
  requireMatch(
    name,
    field,
    publicRepositoryNameLength,
    publicRepositoryNamePattern,
    `public repository name rule: lowercase letters and digits, ` + `parts joined by a single '.', '_' or '-' and namespaces by '/'`,
  );
}

/** True when `tag` is a valid image tag (1–300 characters of `[A-Za-z0-9._-]`, not starting with `.` or `-`). */
export function isValidImageTag(tag: unknown): tag is string {
  return isStringOfLength(tag, imageTagLength.min, imageTagLength.max) && imageTagPattern.test(tag);
}

/**
 * Throw unless `tag` is a valid image tag: 1–300 characters of letters, digits, `_`, `.` and
 * `-`, not starting with `.` or `-`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `imageTag`).
 */
export function validateImageTag(tag: unknown, field = 'imageTag'): asserts tag is string {
  requireMatch(tag, field, imageTagLength, imageTagPattern, `image tag rule: letters, digits, '_', '.' and '-', not starting with '.' or '-'`);
}

/** True when `digest` is `sha256:` + 64 lowercase hex digits or `sha512:` + 128. */
export function isValidDigest(digest: unknown): digest is string {
  return isStringOfLength(digest, 71, 135) && digestPattern.test(digest);
}

/**
 * Throw unless `digest` is `sha256:` followed by 64 lowercase hex digits, or `sha512:`
 * followed by 128 (the OCI image-spec's registered algorithms).
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `imageDigest`).
 */
export function validateDigest(digest: unknown, field = 'imageDigest'): asserts digest is string {
  requireString(digest, field);
  if (!isValidDigest(digest)) {
    throw invalidParameter(field, `${describeValue(digest)} does not match the digest rule: 'sha256:' and 64 lowercase hex digits, or 'sha512:' and 128`);
  }
}

/** True when `id` is a 12-digit AWS account id. */
export function isValidRegistryId(id: unknown): id is string {
  return typeof id === 'string' && registryIdPattern.test(id);
}

/**
 * Throw unless `id` is a registry id: exactly 12 decimal digits (an AWS account id).
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `registryId`).
 */
export function validateRegistryId(id: unknown, field = 'registryId'): asserts id is string {
  requireString(id, field);
  if (!registryIdPattern.test(id)) {
    throw invalidParameter(field, `${describeValue(id)} does not match the registry id rule: exactly 12 digits`);
  }
}

/** True when `region` looks like an AWS region name such as `eu-west-1` or `us-gov-east-1`. */
export function isValidRegion(region: unknown): region is string {
  return typeof region === 'string' && regionModelPattern.test(region) && regionShapePattern.test(region);
}

/**
 * Throw unless `region` is 2–25 characters of `[0-9a-z-]` (the model's rule) shaped like an AWS
 * region: letters, one to three dash-separated words and a number (`ap-southeast-2`).
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `region`).
 */
export function validateRegion(region: unknown, field = 'region'): asserts region is string {
  requireString(region, field);
  requireLength(region, field, 2, 25);
  if (!isValidRegion(region)) {
    throw invalidParameter(field, `${describeValue(region)} is not a region name: expected lowercase words and a number joined by '-', like 'us-east-1'`);
  }
}

/** The parts of a repository ARN. */
export interface RepositoryArn {
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  region: string;
  registryId: string;
  repositoryName: string;
}

/** True when `arn` is a valid ECR repository ARN. */
export function isValidRepositoryArn(arn: unknown): arn is string {
  try {
    parseRepositoryArn(arn);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throw unless `arn` is `arn:<aws|aws-cn|aws-us-gov>:ecr:<region>:<12 digits>:repository/<name>`
 * with a valid region, account id and repository name.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `resourceArn`).
 */
export function validateRepositoryArn(arn: unknown, field = 'resourceArn'): asserts arn is string {
  parseRepositoryArn(arn, field);
}

/**
 * Split a repository ARN into partition, region, registry id and repository name.
 *
 * @throws EcrError kind `InvalidParameter` naming the part that is wrong.
 * @example parseRepositoryArn('arn:aws:ecr:eu-west-1:123456789012:repository/team/app').repositoryName // 'team/app'
 */
export function parseRepositoryArn(arn: unknown, field = 'resourceArn'): RepositoryArn {
  requireString(arn, field);
  requireLength(arn, field, 1, 2048);
  const m = repositoryArnPattern.exec(arn);
  if (!m) {
    throw invalidParameter(
      field,
      `${describeValue(arn)} is not a repository ARN: expected 'arn:<aws|aws-cn|aws-us-gov>:ecr:<region>:<account id>:repository/<name>'`,
    );
  }
  const [, partition, region, registryId, repositoryName] = m;
  if (!isValidRegion(region)) throw invalidParameter(field, `the ARN's region is not a region name`);
  if (!isValidRegistryId(registryId)) throw invalidParameter(field, `the ARN's account id must be exactly 12 digits`);
  if (!isValidRepositoryName(repositoryName)) {
    throw invalidParameter(field, `the ARN's repository name does not match the repository name rule`);
  }
  return { partition: partition as RepositoryArn['partition'], region, registryId, repositoryName };
}

/** The allowed range of a `maxResults` parameter; defaults to ECR's `MaxResults` (1–1000). */
export interface MaxResultsRange {
  min: number;
  max: number;
}

/**
 * Page-size limits of the ECR model: `MaxResults` 1–1000 (most list operations),
 * `FiftyMaxResults` 1–50 (ListImageReferrers), `LifecyclePreviewMaxResults` 1–100
 * (GetLifecyclePolicyPreview).
 */
export const maxResultsLimits = {
  default: { min: 1, max: 1000 },
  fifty: { min: 1, max: 50 },
  lifecyclePreview: { min: 1, max: 100 },
} as const satisfies Record<string, MaxResultsRange>;

function checkRange(range: unknown): asserts range is MaxResultsRange {
  const { min, max } = readOptions(range, ['min', 'max'], 'range');
  if (typeof min !== 'number' || typeof max !== 'number' || !(min <= max)) throw invalidParameter('range', 'must be { min, max } with numbers, min <= max');
}

/** True when `n` is `undefined` (the parameter is optional) or an integer within the range. */
export function isValidMaxResults(n: unknown, range: MaxResultsRange = maxResultsLimits.default): n is number | undefined {
  checkRange(range);
  return n === undefined || (typeof n === 'number' && Number.isInteger(n) && n >= range.min && n <= range.max);
}

/**
 * Throw unless `n` is an integer within `range` (default 1–1000). `undefined` passes, because
 * `maxResults` is optional in every ECR request.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `maxResults`).
 */
export function validateMaxResults(n: unknown, range: MaxResultsRange = maxResultsLimits.default, field = 'maxResults'): asserts n is number | undefined {
  checkRange(range);
  if (!isValidMaxResults(n, range)) {
    throw invalidParameter(field, `must be an integer from ${range.min} to ${range.max}, got ${describeValue(n)}`);
  }
}

/** True when `id` is an object with a valid `imageTag`, a valid `imageDigest`, or both. */
export function isValidImageIdentifier(id: unknown): id is { imageTag?: string; imageDigest?: string } {
  try {
    validateImageIdentifier(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throw unless `id` is an `ImageIdentifier` with at least one of `imageTag` and `imageDigest`,
 * each valid when present.
 *
 * @throws EcrError kind `InvalidParameter`; `field` is `imageId`, `imageId.imageTag` or `imageId.imageDigest`.
 */
export function validateImageIdentifier(id: unknown, field = 'imageId'): asserts id is { imageTag?: string; imageDigest?: string } {
  if (typeof id !== 'object' || id === null || Array.isArray(id)) {
    throw invalidParameter(field, `must be an object with imageTag or imageDigest, got ${describeValue(id)}`);
  }
  const { imageTag, imageDigest } = readOptions(id, ['imageTag', 'imageDigest'], field);
  if (imageTag === undefined && imageDigest === undefined) {
    throw invalidParameter(field, 'must have an imageTag or an imageDigest');
  }
  if (imageTag !== undefined) validateImageTag(imageTag, `${field}.imageTag`);
  if (imageDigest !== undefined) validateDigest(imageDigest, `${field}.imageDigest`);
}

/** True when `text` is a string of 100–30720 characters (ECR's `LifecyclePolicyText` limits). */
export function isValidLifecyclePolicyText(text: unknown): text is string {
  return isStringOfLength(text, lifecyclePolicyTextLength.min, lifecyclePolicyTextLength.max);
}

/**
 * Throw unless `text` is 100–30720 characters long (ECR's `LifecyclePolicyText`). The content
 * is checked by `parseLifecyclePolicy`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `lifecyclePolicyText`).
 */
export function validateLifecyclePolicyText(text: unknown, field = 'lifecyclePolicyText'): asserts text is string {
  requireString(text, field);
  requireLength(text, field, lifecyclePolicyTextLength.min, lifecyclePolicyTextLength.max);
}

/**
 * ECR `PullThroughCacheRuleRepositoryPrefix` (2–30) and `Prefix` of creation templates (1–256):
 * repository-name parts, optionally ending in `/`, or `ROOT` (every repository).
 */
const namespacePrefixPattern = /^(?:[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;
const namespacePrefixRule = "prefix rule: repository-name parts joined by '/', optionally ending in '/', or ROOT";

/**
 * Throw unless `prefix` is a pull through cache rule's `ecrRepositoryPrefix`: 2–30 characters
 * of repository-name parts, or `ROOT`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `ecrRepositoryPrefix`).
 */
export function validatePullThroughCachePrefix(prefix: unknown, field = 'ecrRepositoryPrefix'): asserts prefix is string {
  requireMatch(prefix, field, { min: 2, max: 30 }, namespacePrefixPattern, namespacePrefixRule);
}

/**
 * Throw unless `prefix` is a repository creation template's prefix: 1–256 characters of
 * repository-name parts, or `ROOT`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `prefix`).
 */
export function validateCreationTemplatePrefix(prefix: unknown, field = 'prefix'): asserts prefix is string {
  requireMatch(prefix, field, { min: 1, max: 256 }, namespacePrefixPattern, namespacePrefixRule);
}

/** ECR `CredentialArn`: a Secrets Manager secret whose name starts `ecr-pullthroughcache/`. */
const credentialArnPattern = /^arn:aws(?:-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;

/**
 * Throw unless `arn` is a pull through cache credential: the ARN (50–612 characters) of a
 * Secrets Manager secret named `ecr-pullthroughcache/…`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `credentialArn`).
 */
export function validateCredentialArn(arn: unknown, field = 'credentialArn'): asserts arn is string {
  requireMatch(arn, field, { min: 50, max: 612 }, credentialArnPattern, "credential ARN rule: a Secrets Manager secret named 'ecr-pullthroughcache/...'");
}

/** An IAM role ARN (the models give only the 2048 limit of `CustomRoleArn`). */
const roleArnPattern = /^arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;

/**
 * Throw unless `arn` is an IAM role ARN of at most 2048 characters.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `customRoleArn`).
 */
export function validateRoleArn(arn: unknown, field = 'customRoleArn'): asserts arn is string {
  requireMatch(arn, field, { min: 20, max: 2048 }, roleArnPattern, 'IAM role ARN rule: arn:aws:iam::<account>:role/<name>');
}

/** A registry host, optionally with `https://` (pull through cache upstreams). */
const upstreamUrlPattern = /^(?:https:\/\/)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::[0-9]{1,5})?\/?$/;

/**
 * Throw unless `url` is a registry host such as `public.ecr.aws` or `https://ghcr.io`.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `upstreamRegistryUrl`).
 */
export function validateUpstreamRegistryUrl(url: unknown, field = 'upstreamRegistryUrl'): asserts url is string {
  requireMatch(url, field, { min: 1, max: 2048 }, upstreamUrlPattern, 'registry URL rule: a host name, optionally with https://');
}

/** An OCI artifact type (a media type): `application/spdx+json`, `application/vnd.cncf.notary.signature`. */
const artifactTypePattern = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/**
 * Throw unless `type` is an artifact type: a media type of 1–255 characters (`type/subtype`).
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `artifactType`).
 */
export function validateArtifactType(type: unknown, field = 'artifactType'): asserts type is string {
  requireMatch(type, field, { min: 1, max: 255 }, artifactTypePattern, 'media type rule: type/subtype');
}

/**
 * Throw unless `text` is an IAM policy document of at most `maxLength` characters (default
 * 10240, ECR's `RegistryPolicyText` and `RepositoryPolicyText`): a JSON object with at least one
 * statement. Whether ECR accepts its actions and principals is the registry's decision.
 *
 * @throws EcrError kind `InvalidParameter`, `field` set (default `policyText`).
 */
export function validatePolicyDocument(text: unknown, field = 'policyText', maxLength = 10240): asserts text is string {
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1) throw invalidParameter('maxLength', 'must be a positive whole number');
  requireString(text, field);
  requireLength(text, field, 1, maxLength);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidParameter(field, 'must be a JSON policy document');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidParameter(field, 'must be a JSON object (a policy document)');
  const statement = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0 || statements.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw invalidParameter(field, 'must have a Statement: an object or a non-empty list of objects');
  }
}
