import { EcrError, invalidParameter } from './EcrError.js';
import { describeValue } from './internal/describeValue.js';
import { readOptions } from './readOptions.js';
import type { ErrorKind } from './errorKinds.js';

/**
 * The one mapping from wire error codes to kinds. Codes are as AWS sends them in `__type` or
 * `x-amzn-ErrorType`, after {@link sanitizeErrorCode}. The ECR and ECR Public models' exceptions,
 * plus the AWS-wide codes any JSON 1.1 service can return.
 */
export const wireErrorKinds: Readonly<Record<string, ErrorKind>> = {
  RepositoryNotFoundException: 'RepositoryNotFound',
  RepositoryAlreadyExistsException: 'RepositoryAlreadyExists',
  RepositoryNotEmptyException: 'RepositoryNotEmpty',
  ImageNotFoundException: 'ImageNotFound',
  ImageArchivedException: 'ImageArchived',
  LayersNotFoundException: 'LayersNotFound',
  LayerInaccessibleException: 'LayersNotFound',
  LayerAlreadyExistsException: 'LayerAlreadyExists',
  UploadNotFoundException: 'UploadNotFound',
  InvalidLayerException: 'InvalidLayer',
  InvalidLayerPartException: 'InvalidLayerPart',
  LayerPartTooSmallException: 'LayerPartTooSmall',
  EmptyUploadException: 'EmptyUpload',
  LifecyclePolicyNotFoundException: 'LifecyclePolicyNotFound',
  LifecyclePolicyPreviewNotFoundException: 'LifecyclePolicyPreviewNotFound',
  LifecyclePolicyPreviewInProgressException: 'LifecyclePolicyPreviewInProgress',
  RepositoryPolicyNotFoundException: 'RepositoryPolicyNotFound',
  RegistryPolicyNotFoundException: 'RegistryPolicyNotFound',
  RegistryNotFoundException: 'RegistryNotFound',
  RepositoryCatalogDataNotFoundException: 'RepositoryCatalogDataNotFound',
  PullThroughCacheRuleNotFoundException: 'PullThroughCacheRuleNotFound',
  PullThroughCacheRuleAlreadyExistsException: 'PullThroughCacheRuleAlreadyExists',
  UnsupportedUpstreamRegistryException: 'UnsupportedUpstreamRegistry',
  UnableToGetUpstreamImageException: 'UpstreamUnavailable',
  UnableToGetUpstreamLayerException: 'UpstreamUnavailable',
  UnableToListUpstreamImageReferrersException: 'UpstreamUnavailable',
  SecretNotFoundException: 'UpstreamCredentials',
  UnableToAccessSecretException: 'UpstreamCredentials',
  UnableToDecryptSecretValueException: 'UpstreamCredentials',
  TemplateNotFoundException: 'TemplateNotFound',
  TemplateAlreadyExistsException: 'TemplateAlreadyExists',
  SigningConfigurationNotFoundException: 'SigningConfigurationNotFound',
  ExclusionNotFoundException: 'ExclusionNotFound',
  ExclusionAlreadyExistsException: 'ExclusionAlreadyExists',
  ImageStorageClassUpdateNotSupportedException: 'ImageStorageClassUpdateNotSupported',
  ReplicationBackfillNotFoundException: 'ReplicationBackfillNotFound',
  ReplicationBackfillInProgressException: 'ReplicationBackfillInProgress',
  ReplicationBackfillInvalidStatusException: 'ReplicationBackfillInvalidStatus',
  ScanNotFoundException: 'ScanNotFound',
  UnsupportedImageTypeException: 'UnsupportedImageType',
  ReferencedImagesNotFoundException: 'ReferencedImagesNotFound',
  InvalidParameterException: 'InvalidParameter',
  InvalidParameterValueException: 'InvalidParameter',
  InvalidParameterCombination: 'InvalidParameter',
  MissingParameter: 'InvalidParameter',
  UnsupportedCommandException: 'InvalidParameter',
  InvalidTagParameterException: 'InvalidTagParameter',
  ValidationException: 'Validation',
  SerializationException: 'Serialization',
  UnknownOperationException: 'UnknownOperation',
  LimitExceededException: 'LimitExceeded',
  TooManyTagsException: 'TooManyTags',
  ImageTagAlreadyExistsException: 'ImageTagAlreadyExists',
  ImageAlreadyExistsException: 'ImageAlreadyExists',
  ImageDigestDoesNotMatchException: 'ImageDigestMismatch',
  AccessDeniedException: 'AccessDenied',
  AccessDenied: 'AccessDenied',
  BlockedByOrganizationPolicyException: 'AccessDenied',
  UnrecognizedClientException: 'InvalidSignature',
  InvalidSignatureException: 'InvalidSignature',
  SignatureDoesNotMatch: 'InvalidSignature',
  IncompleteSignature: 'InvalidSignature',
  IncompleteSignatureException: 'InvalidSignature',
  MissingAuthenticationToken: 'InvalidSignature',
  MissingAuthenticationTokenException: 'InvalidSignature',
  InvalidClientTokenId: 'InvalidSignature',
  ExpiredTokenException: 'ExpiredToken',
  ExpiredToken: 'ExpiredToken',
  RequestExpired: 'ExpiredToken',
  KmsException: 'KmsError',
  ServerException: 'ServiceUnavailable',
  InternalFailure: 'ServiceUnavailable',
  InternalServerError: 'ServiceUnavailable',
  ServiceUnavailable: 'ServiceUnavailable',
  ServiceUnavailableException: 'ServiceUnavailable',
  ThrottlingException: 'Throttling',
  Throttling: 'Throttling',
  TooManyRequestsException: 'Throttling',
  RequestLimitExceeded: 'Throttling',
  RequestThrottled: 'Throttling',
  RequestThrottledException: 'Throttling',
  SlowDown: 'Throttling',
};

/**
 * Strip the namespace (`com.amazonaws.ecr#`) and any `:`-suffix (`:http://internal...`) from a
 * wire error code, as AWS SDKs do.
 */
export function sanitizeErrorCode(raw: string): string {
  if (typeof raw !== 'string') throw invalidParameter('raw', `must be a string, got ${describeValue(raw)}`);
  let code = raw;
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  const hash = code.lastIndexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  return code.trim();
}

/** What a transport knows about a failed response. */
export interface WireError {
  /** `__type` from the body or the `x-amzn-ErrorType` header, raw. */
  type?: string | undefined;
  /** The body's `message` (or `Message`). */
  message?: string | undefined;
  statusCode?: number | undefined;
  requestId?: string | undefined;
  operation?: string | undefined;
  region?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

const wireErrorFields = ['type', 'message', 'statusCode', 'requestId', 'operation', 'region', 'retryAfterMs', 'cause'] as const;

function kindFromStatus(statusCode: number | undefined): ErrorKind {
  if (statusCode === 429) return 'Throttling';
  if (statusCode === 403) return 'AccessDenied';
  if (statusCode !== undefined && statusCode >= 500) return 'ServiceUnavailable';
  return 'Unknown';
}

const maxMessageLength = 1024;

/**
 * Turn a service error response into an `EcrError`. Unknown codes fall back on the HTTP status
 * (429 throttling, 403 access denied, 5xx unavailable). The server's message is kept (AWS's
 * own wording), cut to 1 KiB; nothing else from the body is copied.
 */
export function errorFromWire(error: WireError): EcrError {
  // What a server sent may be malformed: a field of the wrong type is left out, not trusted.
  const read = readOptions(error, wireErrorFields, 'wire');
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const wire: WireError = {
    type: text(read.type),
    message: text(read.message),
    statusCode: number(read.statusCode),
    requestId: text(read.requestId),
    operation: text(read.operation),
    region: text(read.region),
    retryAfterMs: number(read.retryAfterMs),
    cause: read.cause,
  };
  const awsCode = wire.type ? sanitizeErrorCode(wire.type) : undefined;
  const kind = (awsCode !== undefined && Object.hasOwn(wireErrorKinds, awsCode) ? wireErrorKinds[awsCode] : undefined) ?? kindFromStatus(wire.statusCode);
  const serverMessage = typeof wire.message === 'string' && wire.message.length > 0 ? wire.message.slice(0, maxMessageLength) : undefined;
  const message = serverMessage ?? (awsCode ? `${awsCode}${wire.statusCode ? ` (HTTP ${wire.statusCode})` : ''}` : `HTTP ${wire.statusCode ?? 'error'}`);
  return new EcrError({
    kind,
    message,
    awsCode,
    statusCode: wire.statusCode,
    requestId: wire.requestId,
    operation: wire.operation,
    region: wire.region,
    retryAfterMs: wire.retryAfterMs,
    cause: wire.cause,
  });
}

/** The wire code ecrkit sends for a kind when it has none of its own (the simulation's server uses it). */
export function wireCodeForKind(kind: ErrorKind): string {
  for (const [code, k] of Object.entries(wireErrorKinds)) if (k === kind) return code;
  return 'ServerException';
}

/**
 * A `Retry-After` header (delta-seconds or an HTTP date) in milliseconds from `now`;
 * `undefined` when absent or unreadable. Transports pass it to {@link errorFromWire}.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw invalidParameter('now', `must be a time in milliseconds, got ${describeValue(now)}`);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
