/**
 * Every way an ECR call can fail. Service kinds come from the wire `__type`; transport kinds
 * are ecrkit's own. Callers `switch (err.kind)` and TypeScript checks exhaustiveness.
 */
export const ErrorKind = {
  RepositoryNotFound: 'RepositoryNotFound',
  RepositoryAlreadyExists: 'RepositoryAlreadyExists',
  RepositoryNotEmpty: 'RepositoryNotEmpty',
  ImageNotFound: 'ImageNotFound',
  LayersNotFound: 'LayersNotFound',
  LayerAlreadyExists: 'LayerAlreadyExists',
  UploadNotFound: 'UploadNotFound',
  InvalidLayer: 'InvalidLayer',
  InvalidLayerPart: 'InvalidLayerPart',
  LayerPartTooSmall: 'LayerPartTooSmall',
  EmptyUpload: 'EmptyUpload',
  LifecyclePolicyNotFound: 'LifecyclePolicyNotFound',
  LifecyclePolicyPreviewNotFound: 'LifecyclePolicyPreviewNotFound',
  LifecyclePolicyPreviewInProgress: 'LifecyclePolicyPreviewInProgress',
  RepositoryPolicyNotFound: 'RepositoryPolicyNotFound',
  RegistryPolicyNotFound: 'RegistryPolicyNotFound',
  RegistryNotFound: 'RegistryNotFound',
  RepositoryCatalogDataNotFound: 'RepositoryCatalogDataNotFound',
  PullThroughCacheRuleNotFound: 'PullThroughCacheRuleNotFound',
  PullThroughCacheRuleAlreadyExists: 'PullThroughCacheRuleAlreadyExists',
  UnsupportedUpstreamRegistry: 'UnsupportedUpstreamRegistry',
  UpstreamUnavailable: 'UpstreamUnavailable',
  UpstreamCredentials: 'UpstreamCredentials',
  TemplateNotFound: 'TemplateNotFound',
  TemplateAlreadyExists: 'TemplateAlreadyExists',
  SigningConfigurationNotFound: 'SigningConfigurationNotFound',
  ExclusionNotFound: 'ExclusionNotFound',
  ExclusionAlreadyExists: 'ExclusionAlreadyExists',
  ImageArchived: 'ImageArchived',
  ImageStorageClassUpdateNotSupported: 'ImageStorageClassUpdateNotSupported',
  ReplicationBackfillNotFound: 'ReplicationBackfillNotFound',
  ReplicationBackfillInProgress: 'ReplicationBackfillInProgress',
  ReplicationBackfillInvalidStatus: 'ReplicationBackfillInvalidStatus',
  ScanNotFound: 'ScanNotFound',
  UnsupportedImageType: 'UnsupportedImageType',
  ReferencedImagesNotFound: 'ReferencedImagesNotFound',
  InvalidParameter: 'InvalidParameter',
  InvalidTagParameter: 'InvalidTagParameter',
  Validation: 'Validation',
  Serialization: 'Serialization',
  UnknownOperation: 'UnknownOperation',
  LimitExceeded: 'LimitExceeded',
  TooManyTags: 'TooManyTags',
  ImageTagAlreadyExists: 'ImageTagAlreadyExists',
  ImageAlreadyExists: 'ImageAlreadyExists',
  ImageDigestMismatch: 'ImageDigestMismatch',
  AccessDenied: 'AccessDenied',
  InvalidSignature: 'InvalidSignature',
  KmsError: 'KmsError',
  ServiceUnavailable: 'ServiceUnavailable',
  Throttling: 'Throttling',
  Timeout: 'Timeout',
  Network: 'Network',
  Aborted: 'Aborted',
  InvalidResponse: 'InvalidResponse',
  CredentialsUnavailable: 'CredentialsUnavailable',
  ExpiredToken: 'ExpiredToken',
  CircuitOpen: 'CircuitOpen',
  ReplicationTimeout: 'ReplicationTimeout',
  ScanTimeout: 'ScanTimeout',
  ReadOnly: 'ReadOnly',
  Unknown: 'Unknown',
} as const;
/** Every way an ECR call can fail. */
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/**
 * What a caller may do about an error: `retryable` (try again later), `terminal` (retrying cannot
 * help) or `credential` (refresh credentials or token once, then retry once).
 */
export const ErrorCategory = { Retryable: 'retryable', Terminal: 'terminal', Credential: 'credential' } as const;
/** What a caller may do about an error. */
export type ErrorCategory = (typeof ErrorCategory)[keyof typeof ErrorCategory];

const retryableKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'ServiceUnavailable',
  'Throttling',
  'LimitExceeded',
  'Timeout',
  'Network',
  'LifecyclePolicyPreviewInProgress',
]);
const credentialKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['CredentialsUnavailable', 'ExpiredToken', 'InvalidSignature']);

/**
 * Classify a kind, decided once here so that retry, breaker and rate limiter never read messages.
 * Kinds whose cause may be transient or not (KMS, malformed responses, unknown errors) are
 * retryable only when the server answered with a 5xx status or did not answer at all.
 */
export function categoryOf(kind: ErrorKind, statusCode?: number): ErrorCategory {
  if (retryableKinds.has(kind)) return 'retryable';
  if (credentialKinds.has(kind)) return 'credential';
  if (kind === 'KmsError' || kind === 'InvalidResponse' || kind === 'Unknown') {
    return statusCode !== undefined && statusCode >= 500 ? 'retryable' : 'terminal';
  }
  return 'terminal';
}
