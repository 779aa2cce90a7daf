// Domain types: the specification's core types in TypeScript idiom. Where the ECR API reference
// already has the shape (wire/ecr.generated.ts), the domain name is an alias of it, not a copy.
import type { Clock } from './Clock.js';
import { EcrError, invalidParameter } from './EcrError.js';
import { readOptions } from './readOptions.js';
import { SecretString } from './SecretString.js';
import { fromBase64 } from './wire/codec.js';
import type {
  AuthorizationData,
  EncryptionConfiguration,
  EnhancedImageScanFinding,
  ImageFailure,
  ImageIdentifier,
  ImageScanFinding,
  ImageScanFindings,
  ImageScanningConfiguration,
  ImageTagMutability,
  PackageVulnerabilityDetails,
  ReplicationStatus,
  ScanStatus,
} from './wire/ecr.generated.js';

/** Where a scan stands, as a waiter sees it: still running, done, or stopped for good. */
export type ScanState = 'inProgress' | 'complete' | 'failed';

/**
 * Classify a wire `ScanStatus` for a waiter, as the SDK's `waitUntilImageScanComplete` does:
 * COMPLETE and ACTIVE (enhanced, continuous scanning: findings are available, and it never turns
 * COMPLETE) ⇒ complete; FAILED, UNSUPPORTED_IMAGE, SCAN_ELIGIBILITY_EXPIRED,
 * FINDINGS_UNAVAILABLE, LIMIT_EXCEEDED, IMAGE_ARCHIVED ⇒ failed (none of them ends by waiting);
 * IN_PROGRESS, PENDING and anything else (absent, or a status newer than this model) ⇒
 * inProgress. As with the SDK's waiters, which keep polling on a state they do not match, an
 * unknown status must not end a wait. A one-shot check that must decide now should test for
 * the known statuses itself (e.g. `Object.values(ScanStatus).includes(status)`).
 */
export function scanStateOf(status: ScanStatus | string | undefined): ScanState {
  switch (status) {
    case 'COMPLETE':
    case 'ACTIVE':
      return 'complete';
    case 'FAILED':
    case 'UNSUPPORTED_IMAGE':
    case 'SCAN_ELIGIBILITY_EXPIRED':
    case 'FINDINGS_UNAVAILABLE':
    case 'LIMIT_EXCEEDED':
    case 'IMAGE_ARCHIVED':
      return 'failed';
    default:
      // IN_PROGRESS, PENDING, absent, or unknown.
      return 'inProgress';
  }
}

/** Where replication of an image to one destination stands. */
export type ReplicationState = 'inProgress' | 'complete' | 'failed';

/**
 * Classify a wire `ReplicationStatus`: COMPLETE ⇒ complete, FAILED ⇒ failed, IN_PROGRESS and
 * anything else (absent, or a status newer than this model) ⇒ inProgress. As with the AWS SDK's
 * waiters, which keep polling on a state they do not match, an unknown status must not end a wait.
 */
export function replicationStateOf(status: ReplicationStatus | string | undefined): ReplicationState {
  return status === 'COMPLETE' ? 'complete' : status === 'FAILED' ? 'failed' : 'inProgress';
}

/** An image scan finding (basic scanning). */
export type Finding = ImageScanFinding;
/** An enhanced (Amazon Inspector) finding, with package vulnerability, remediation, resources and score details. */
export type EnhancedFinding = EnhancedImageScanFinding;
/** The package vulnerability details of an enhanced finding. */
export type PackageVulnerability = PackageVulnerabilityDetails;
/** The findings of one image scan. */
export type ScanFindings = ImageScanFindings;
/** A repository's scan-on-push setting. */
export type ScanConfig = ImageScanningConfiguration;
/** A repository's encryption setting. */
export type EncryptionConfig = EncryptionConfiguration;
/** Whether tags of a repository may be overwritten. */
export type TagMutability = ImageTagMutability;

/**
 * A decoded registry authorization token (the domain form of the wire `AuthorizationData`,
 * which keeps its wire name): the token is a secret, `expiresAt` is required.
 */
export interface AuthorizationToken {
  /** The base64 `AWS:<password>` token, as a secret. */
  token: SecretString;
  expiresAt: Date;
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com`. */
  proxyEndpoint: string;
}

/** Credentials for `docker login` (or any OCI client) to one registry. */
export interface DockerCredentials {
  username: 'AWS';
  password: SecretString;
  /** The registry host, without scheme. */
  registry: string;
  /** The registry URL as ECR returned it. */
  proxyEndpoint: string;
  expiresAt: Date;
}

/**
 * A `docker login` invocation that keeps the password off the command line: pass `stdin` to
 * the process's standard input.
 */
export interface LoginCommand {
  command: 'docker';
  args: string[];
  /** The password, for the process's standard input only. */
  stdin: SecretString;
  /** A printable form, with the password left out. */
  display: string;
}

/**
 * Turn a wire `AuthorizationData` into an {@link AuthorizationToken}.
 *
 * @throws EcrError kind `InvalidResponse` when the token, expiry or endpoint is missing.
 */
export function authorizationTokenFromWire(data: AuthorizationData): AuthorizationToken {
  let read: Partial<Record<'authorizationToken' | 'proxyEndpoint' | 'expiresAt', unknown>>;
  try {
    read = readOptions(data ?? null, ['authorizationToken', 'proxyEndpoint', 'expiresAt'], 'authorizationData');
  } catch {
    throw invalidResponse('authorization data is not a readable object');
  }
  const { authorizationToken, proxyEndpoint, expiresAt } = read;
  if (typeof authorizationToken !== 'string' || !authorizationToken || typeof proxyEndpoint !== 'string' || !proxyEndpoint || !(expiresAt instanceof Date)) {
    throw invalidResponse('authorization data lacks a token, an expiry or a proxy endpoint');
  }
  return { token: new SecretString(authorizationToken), expiresAt, proxyEndpoint };
}

/**
 * Decode an authorization token into Docker credentials (`AWS` and the password).
 *
 * @throws EcrError kind `InvalidResponse` when the token is not base64 of `AWS:<password>`.
 */
export function dockerCredentials(token: AuthorizationToken): DockerCredentials {
  const auth = readAuthorizationToken(token);
  const bytes = fromBase64(auth.token.reveal());
  const decoded = bytes ? new TextDecoder().decode(bytes) : '';
  const colon = decoded.indexOf(':');
  if (colon < 0 || decoded.slice(0, colon) !== 'AWS' || colon === decoded.length - 1) {
    throw invalidResponse("the authorization token is not base64 of 'AWS:<password>'");
  }
  return {
    username: 'AWS',
    password: new SecretString(decoded.slice(colon + 1)),
    registry: auth.proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/+$/, ''),
    proxyEndpoint: auth.proxyEndpoint,
    expiresAt: auth.expiresAt,
  };
}

/** The `docker login --username AWS --password-stdin <registry>` command for `credentials`. */
export function loginCommand(docker: DockerCredentials): LoginCommand {
  const { username, registry, password } = readOptions(docker ?? null, ['username', 'registry', 'password'], 'credentials');
  if (typeof username !== 'string' || typeof registry !== 'string' || !(password instanceof SecretString)) {
    throw invalidParameter('credentials', 'must be DockerCredentials (string username and registry, a SecretString password)');
  }
  const credentials = { username, registry, password };
  const args = ['login', '--username', credentials.username, '--password-stdin', credentials.registry];
  return { command: 'docker', args, stdin: credentials.password, display: `docker ${args.join(' ')}` };
}

/** An `AuthorizationToken` read once and checked (a SecretString token, a string endpoint, a Date). */
function readAuthorizationToken(value: unknown): AuthorizationToken {
  const { token, proxyEndpoint, expiresAt } = readOptions(value ?? null, ['token', 'proxyEndpoint', 'expiresAt'], 'auth');
  if (!(token instanceof SecretString) || typeof proxyEndpoint !== 'string' || !(expiresAt instanceof Date)) {
    throw invalidParameter('auth', 'must be an AuthorizationToken (a SecretString token, a string proxyEndpoint, a Date expiresAt)');
  }
  return { token, proxyEndpoint, expiresAt };
}

function invalidResponse(message: string): EcrError {
  return new EcrError({ kind: 'InvalidResponse', field: 'authorizationData', message: `Invalid authorization data: ${message}` });
}

/** The outcome of deleting images in batches: what went, and what did not with the reason. */
export interface BatchDeleteResult {
  deleted: ImageIdentifier[];
  failures: ImageFailure[];
}

/**
 * What every public async method of ecrkit takes last: `signal` aborts the call (EcrError kind
 * `Aborted`). Methods with more options extend this shape.
 */
export interface CallOptions {
  /** Abort the call; it rejects with an `EcrError` of kind `Aborted`, and the request in flight is cancelled. */
  signal?: AbortSignal | undefined;
}

/**
 * Options of every waiter (scan, replication, lifecycle preview): one shape. Defaults are the
 * waiter's own: a 5-minute timeout, polls 1 s apart doubling to at most 30 s, the client's clock.
 * `onProgress` receives the waiter's progress value after each poll that does not end the wait.
 */
export interface WaitOptions<P = unknown> extends CallOptions {
  /** Give up with the waiter's timeout kind (`ScanTimeout`, `ReplicationTimeout`, `Timeout`) after this long. */
  timeoutMs?: number;
  /** The first delay between polls. */
  pollIntervalMs?: number;
  /** The cap on the (growing, jittered) delay between polls. */
  maxPollIntervalMs?: number;
  onProgress?: (progress: P) => void;
  /** The clock to sleep on; the client's by default. */
  clock?: Clock;
}
