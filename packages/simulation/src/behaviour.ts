import { EcrError, ErrorKind, wireCodeForKind, wireErrorKinds, type Api, type ReplicationStatus, type ScanStatus } from '@ecrkit/core-types';
import { FaultKind, SimulatedFault, type RegistryCall } from './RegistryCall.js';
import { statusForCode } from './internal/awsErrors.js';
import type { ScanFindingsCounts } from '@ecrkit/core-types';
import type { SeededRandom } from './internal/rng.js';
import type { FindingSpec } from './internal/state.js';

/**
 * What an injected failure looks like: an ecrkit `ErrorKind` (`'Throttling'`, sent as its wire
 * code `ThrottlingException`; `'Network'` and `'InvalidResponse'` become faults), a wire code
 * (`'ThrottlingException'`), a code with its own message and status, or a transport fault.
 * A string that is both a kind and a wire code is read as the kind.
 */
export type ErrorSpec = ErrorKind | (string & {}) | { awsCode: string; message?: string; statusCode?: number } | { fault: FaultKind };

/** Which calls a behaviour rule applies to; every field left out matches everything. */
export interface CallMatcher {
  /** One operation name or several. */
  operation?: string | readonly string[];
  api?: Api;
  region?: string;
  accountId?: string;
}

/**
 * An error-injection rule. Of `onCalls`, `probability`, `sequence` and `throttlingBurst`, use the
 * one that says when to fail; with none of them every matching call fails. Counting is per rule,
 * over the calls it matches, starting at 1.
 */
export interface ErrorInjectionRule extends CallMatcher {
  /** Fail on these matching calls (1-based), e.g. `[1, 3]`. */
  onCalls?: readonly number[];
  /** Fail each matching call with this probability, drawn from the registry's seeded random source. */
  probability?: number;
  /** One entry per matching call, in order: an error to raise or `'ok'`. After the last entry the rule is spent. */
  sequence?: readonly (ErrorSpec | 'ok')[];
  /** Fail the first `calls` matching calls with `ThrottlingException` (`Rate exceeded`). */
  throttlingBurst?: { calls: number };
  /** Inject at most this many failures, then stop. */
  times?: number;
  /** The error to raise (default `ServerException`, HTTP 500). */
  error?: ErrorSpec;
  /** A transport-level fault instead of an error (the HTTP face acts it out on the socket). */
  fault?: FaultKind;
}

/** A latency-injection rule: matching calls wait `ms` (plus up to `jitterMs`) on the registry's clock. */
export interface LatencyInjectionRule extends CallMatcher {
  ms: number;
  /** Extra random delay in [0, jitterMs), from the seeded random source. */
  jitterMs?: number;
}

/** How image scans progress (see `SimulatedRegistry.configureScanProgression`). */
export interface ScanProgressionOptions {
  /** States a scan passes through; the last one is final. Default `['IN_PROGRESS', 'COMPLETE']`. */
  sequence?: readonly ScanStatus[];
  /** `time` (default): one step per `stepMs` of the registry's clock, whichever operation observes the scan; `poll`: each DescribeImageScanFindings call moves one step. */
  advanceOn?: 'poll' | 'time';
  /** Milliseconds per step when `advanceOn` is `time` (default 5000). */
  stepMs?: number;
  /** Findings a completed scan reports for images without their own (`withScanFindings`). */
  findings?: ScanFindingsCounts | readonly FindingSpec[];
}

/** Replication behaviour and destinations (see `SimulatedRegistry.configureReplication`). */
export interface ReplicationOptions {
  /** Where the source registry replicates to; `registryId` defaults to the source account. */
  destinations: readonly { region: string; registryId?: string }[];
  /** The source registry (defaults: the registry's default account and region). */
  accountId?: string;
  region?: string;
  /** Only repositories whose names start with one of these prefixes replicate (default: all). */
  repositoryPrefixes?: readonly string[];
  /** States each destination passes through; default `['IN_PROGRESS', 'COMPLETE']`. */
  sequence?: readonly ReplicationStatus[];
  /** `poll` (default): each DescribeImageReplicationStatus call moves one step; `time`: one step per `stepMs`. */
  advanceOn?: 'poll' | 'time';
  stepMs?: number;
  /** Destinations in these regions end in `FAILED` instead of the sequence's last state (a failed replica). */
  failRegions?: readonly string[];
  /** Destinations in these regions stay `IN_PROGRESS` and are never written (a lagging replica). */
  lagRegions?: readonly string[];
}

/** One call as the operation history keeps it; inputs are redacted. */
export interface OperationHistoryEntry {
  time: Date;
  api: Api;
  operation: string;
  region: string;
  accountId: string;
  face: RegistryCall['face'];
  /** The input with manifests, blobs, tokens and passwords replaced by `[redacted …]`. */
  input: unknown;
  outcome: 'success' | { kind: ErrorKind; awsCode: string | undefined; fault?: FaultKind };
}

/** Filter for `getOperationHistory`. */
export interface OperationHistoryFilter extends CallMatcher {
  face?: RegistryCall['face'];
  outcome?: 'success' | 'failure';
}

export function matchesCall(rule: CallMatcher, call: { api: Api; operation: string; region: string; accountId: string }): boolean {
  if (rule.api !== undefined && rule.api !== call.api) return false;
  if (rule.region !== undefined && rule.region !== call.region) return false;
  if (rule.accountId !== undefined && rule.accountId !== call.accountId) return false;
  if (rule.operation !== undefined) {
    if (typeof rule.operation === 'string' ? rule.operation !== call.operation : !rule.operation.includes(call.operation)) return false;
  }
  return true;
}

const defaultMessages: Record<string, string> = {
  ThrottlingException: 'Rate exceeded',
  ServerException: 'Internal Server Error',
  ServiceUnavailableException: 'Service Unavailable',
  AccessDeniedException: 'User is not authorized to perform this operation',
  LimitExceededException: 'The operation did not succeed because it would have exceeded a service limit for your account.',
  KmsException: 'The operation did not succeed because of an error returned by the AWS Key Management Service.',
  ExpiredTokenException: 'The security token included in the request is expired',
  UnrecognizedClientException: 'The security token included in the request is invalid.',
};

const kinds = new Set<string>(Object.values(ErrorKind));

/** Turn an `ErrorSpec` into the error (or fault) the registry throws. */
export function errorFromSpec(spec: ErrorSpec | undefined, operation: string, region: string): EcrError | SimulatedFault {
  if (spec === undefined) spec = 'ServerException';
  if (typeof spec === 'object' && 'fault' in spec) return new SimulatedFault(spec.fault);
  if (typeof spec === 'string' && kinds.has(spec)) {
    const kind = spec as ErrorKind;
    if (kind === 'Network') return new SimulatedFault(FaultKind.DropConnection);
    if (kind === 'InvalidResponse') return new SimulatedFault(FaultKind.MalformedBody);
    const awsCode = wireCodeForKind(kind);
    return new EcrError({
      kind: Object.hasOwn(wireErrorKinds, awsCode) ? wireErrorKinds[awsCode]! : kind,
      awsCode,
      statusCode: statusForCode(awsCode),
      message: defaultMessages[awsCode] ?? `Injected ${awsCode}`,
      operation,
      region,
    });
  }
  const awsCode = typeof spec === 'string' ? spec : spec.awsCode;
  const message = (typeof spec === 'object' ? spec.message : undefined) ?? defaultMessages[awsCode] ?? `Injected ${awsCode}`;
  const statusCode = (typeof spec === 'object' ? spec.statusCode : undefined) ?? statusForCode(awsCode);
  const kind = Object.hasOwn(wireErrorKinds, awsCode) ? wireErrorKinds[awsCode]! : statusCode >= 500 ? 'ServiceUnavailable' : 'Unknown';
  return new EcrError({ kind, awsCode, statusCode, message, operation, region });
}

/** An error-injection rule with its counters. */
export class ActiveErrorRule {
  #matched = 0;
  #injected = 0;

  constructor(readonly rule: ErrorInjectionRule) {
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'probability', message: 'Error injection probability must be between 0 and 1' });
    }
  }

  /** Count a matching call; return what to inject, if anything. */
  next(random: SeededRandom): ErrorSpec | undefined {
    const rule = this.rule;
    const n = ++this.#matched;
    if (rule.times !== undefined && this.#injected >= rule.times) return undefined;
    let spec: ErrorSpec | 'ok' | undefined;
    const fallback: ErrorSpec = rule.fault !== undefined ? { fault: rule.fault } : (rule.error ?? 'ServerException');
    if (rule.sequence) spec = rule.sequence[n - 1];
    else if (rule.throttlingBurst) spec = n <= rule.throttlingBurst.calls ? (rule.error ?? 'ThrottlingException') : undefined;
    else if (rule.onCalls) spec = rule.onCalls.includes(n) ? fallback : undefined;
    else if (rule.probability !== undefined) spec = random.next() < rule.probability ? fallback : undefined;
    else spec = fallback;
    if (spec === undefined || spec === 'ok') return undefined;
    this.#injected++;
    return spec;
  }
}

const redactedFields = new Set(['imageManifest', 'layerPartBlob', 'logoImageBlob', 'authorizationToken', 'password', 'secretAccessKey', 'sessionToken']);

/** A copy of an input fit for the history: manifests, blobs, tokens and passwords replaced by their size. */
export function redactInput(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[redacted: too deep]';
  if (value instanceof Uint8Array) return `[redacted: ${value.length} bytes]`;
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((v) => redactInput(v, depth + 1));
  if (typeof (value as { reveal?: unknown }).reveal === 'function') return '[redacted]';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (redactedFields.has(key)) {
      out[key] = typeof v === 'string' ? `[redacted: ${v.length} chars]` : v instanceof Uint8Array ? `[redacted: ${v.length} bytes]` : '[redacted]';
    } else {
      out[key] = redactInput(v, depth + 1);
    }
  }
  return out;
}
