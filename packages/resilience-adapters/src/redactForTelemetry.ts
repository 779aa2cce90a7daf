import { EcrError, SecretString } from '@ecrkit/core-types';

/** What redacted content is replaced with. */
export const redactedMarker = '[redacted]';

/**
 * Keys whose string values identify things and may be logged: names, digests, tags, regions,
 * operations, statuses, request ids, media types. Every other string value is replaced.
 */
const identifierKeys: ReadonlySet<string> = new Set([
  'repositoryName',
  'repositoryNames',
  'repositoryArn',
  'repositoryUri',
  'registryId',
  'registryIds',
  'imageDigest',
  'imageTag',
  'imageTags',
  'layerDigest',
  'layerDigests',
  'mediaType',
  'imageManifestMediaType',
  'artifactMediaType',
  'acceptedMediaTypes',
  'tagStatus',
  'operation',
  'region',
  'api',
  'status',
  'statusCode',
  'requestId',
  'kind',
  'category',
  'awsCode',
  'field',
  'name',
  'errorKind',
  'severity',
  'failureCode',
  'scanType',
  'imageTagMutability',
  'proxyEndpoint',
  'key',
  'from',
  'to',
  'state',
  'outcome',
]);

/** Keys whose string values are prose (service messages): kept, but token-like runs are cut out. */
const proseKeys: ReadonlySet<string> = new Set(['message', 'msg', 'failureReason', 'description']);

// A digest is fine to log; any other long unbroken run of token alphabet (base64, hex, JWT) is not.
const tokenLikeRun = /(sha(?:256|384|512):[a-f0-9]{32,})|[A-Za-z0-9+/=_.-]{32,}/g;
const maxDepth = 8;
const maxItems = 50;
const maxString = 512;

function scrubProse(text: string): string {
  const cut = text.length > maxString ? `${text.slice(0, maxString)}…` : text;
  return cut.replace(tokenLikeRun, (_run, digest: string | undefined) => digest ?? redactedMarker);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The one redaction used by logs, span attributes and error events: returns a copy of `value`
 * that is safe to emit. Keeps structure, numbers, booleans, dates and the string values of
 * identifier keys (repository names, digests, tags, regions, operations, statuses, request ids);
 * replaces every other string (tokens, passwords, credentials, manifests, policies, pagination
 * tokens) and all binary data with `[redacted]`. `SecretString`s are always redacted. Prose
 * (`message`, or a bare string) keeps its words but loses token-like runs of 32+ characters
 * other than digests. An `EcrError` becomes its redacted `toJSON()`.
 *
 * @example
 * logger.debug(redactForTelemetry({ repositoryName: 'web', authorizationToken: 'QVdTOn...' }) as object, 'ecr request');
 * // { repositoryName: 'web', authorizationToken: '[redacted]' }
 */
export function redactForTelemetry(value: unknown, key?: string): unknown {
  try {
    return redact(value, typeof key === 'string' ? key : undefined, 0);
  } catch {
    return redactedMarker; // an error whose getters throw: nothing of it is shown
  }
}

function redact(value: unknown, key: string | undefined, depth: number): unknown {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (key === undefined || proseKeys.has(key)) return scrubProse(value);
    if (identifierKeys.has(key)) return value.length > maxString ? `${value.slice(0, maxString)}…` : value;
    return redactedMarker;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return redactedMarker;
  if (value instanceof SecretString) return redactedMarker;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return redactedMarker;
  if (depth >= maxDepth) return redactedMarker;
  if (value instanceof EcrError) return redact(value.toJSON(), key, depth + 1);
  if (value instanceof Error) return { name: scrubProse(value.name), message: scrubProse(value.message) };
  if (Array.isArray(value)) {
    const items = value.slice(0, maxItems).map((item) => redact(item, key, depth + 1));
    if (value.length > maxItems) items.push(`… ${value.length - maxItems} more`);
    return items;
  }
  if (!isPlainObject(value)) return redactedMarker;
  const out: Record<string, unknown> = {};
  try {
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k, depth + 1);
  } catch {
    return redactedMarker; // a getter that throws: nothing of it is shown, and telemetry never fails a call
  }
  return out;
}
