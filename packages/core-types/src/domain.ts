// Domain types: the specification's core types in TypeScript idiom. Where the ECR API reference
// already has the shape (wire/ecr.generated.ts), the domain name is an alias of it, not a copy.
import type { Clock } from './Clock.js';
import { EcrError } from './EcrError.js';
import { SecretString } from './SecretString.js';
import { fromBase64 } from './wire/codec.js';
import {
  FindingSeverity,
  type AuthorizationData,
  type EncryptionConfiguration,
  type EnhancedImageScanFinding,
  type ImageFailure,
  type ImageIdentifier,
  type ImageScanFinding,
  type ImageScanFindings,
  type ImageScanningConfiguration,
  type ImageTagMutability,
  type PackageVulnerabilityDetails,
  type ReplicationStatus,
  type ScanStatus,
} from './wire/ecr.generated.js';

/** A finding's severity, most to least severe: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED. */
export const Severity = FindingSeverity;
/** A finding's severity (the wire `FindingSeverity`). */
export type Severity = FindingSeverity;

const severityOrder: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/** Rank of a severity, 0 for CRITICAL up to 5 for UNDEFINED; sort ascending for most severe first. */
export function severityRank(severity: Severity): number {
  const i = severityOrder.indexOf(severity);
  return i < 0 ? severityOrder.length : i;
}

/** Whether `severity` is at least as severe as `threshold` (`atLeast('HIGH', 'MEDIUM')` is true). */
export function isSeverityAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/** Finding counts by severity, in camelCase, plus their total. */
export interface ScanFindingsSummary {
  critical: number;
  high: number;
  medium: number;
  low: number;
  informational: number;
  undefined: number;
  total: number;
}

/**
 * Summarise the wire `findingSeverityCounts` (absent severities count 0; unknown keys and
 * non-numbers are ignored).
 */
export function scanFindingsSummary(counts: Partial<Record<string, number>> | undefined): ScanFindingsSummary {
  const get = (k: Severity): number => {
    const v = counts?.[k];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
  };
  const s = {
    critical: get('CRITICAL'),
    high: get('HIGH'),
    medium: get('MEDIUM'),
    low: get('LOW'),
    informational: get('INFORMATIONAL'),
    undefined: get('UNDEFINED'),
  };
  return { ...s, total: s.critical + s.high + s.medium + s.low + s.informational + s.undefined };
}

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
  if (!data.authorizationToken || !data.proxyEndpoint || !(data.expiresAt instanceof Date)) {
    throw invalidResponse('authorization data lacks a token, an expiry or a proxy endpoint');
  }
  return { token: new SecretString(data.authorizationToken), expiresAt: data.expiresAt, proxyEndpoint: data.proxyEndpoint };
}

/**
 * Decode an authorization token into Docker credentials (`AWS` and the password).
 *
 * @throws EcrError kind `InvalidResponse` when the token is not base64 of `AWS:<password>`.
 */
export function dockerCredentials(auth: AuthorizationToken): DockerCredentials {
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
export function loginCommand(credentials: DockerCredentials): LoginCommand {
  const args = ['login', '--username', credentials.username, '--password-stdin', credentials.registry];
  return { command: 'docker', args, stdin: credentials.password, display: `docker ${args.join(' ')}` };
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
 * Options of every waiter. Defaults are the waiter's own (documented where it is defined).
 * `onProgress` receives the waiter's progress value after each poll.
 */
export interface WaitOptions<P = unknown> {
  /** Give up with a `ScanTimeout` / `ReplicationTimeout` EcrError after this long. */
  timeoutMs?: number;
  /** The first delay between polls. */
  pollIntervalMs?: number;
  /** The cap on the (growing, jittered) delay between polls. */
  maxPollIntervalMs?: number;
  /** Abort the wait (EcrError kind `Aborted`); it is handed to every poll and to the sleep. */
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
  /** The clock to sleep on; `systemClock` by default. */
  clock?: Clock;
}
