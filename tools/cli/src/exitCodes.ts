import { isEcrError, type ErrorKind } from '@ecrkit/core-types';
import { isCliError } from './CliError.js';

/** The documented exit codes of `ecrkit`. */
export const ExitCode = {
  Ok: 0,
  GateFailed: 1,
  Usage: 2,
  NotFound: 3,
  Auth: 4,
  Service: 5,
  /** Not finished yet: a replica still pending (`replication verify`); try again later or with --wait. */
  Pending: 6,
  Interrupted: 130,
} as const;
/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const usageKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['InvalidParameter', 'InvalidTagParameter', 'Validation', 'UnsupportedImageType']);
const notFoundKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'RepositoryNotFound',
  'ImageNotFound',
  'LayersNotFound',
  'LifecyclePolicyNotFound',
  'LifecyclePolicyPreviewNotFound',
  'RepositoryPolicyNotFound',
  'RegistryPolicyNotFound',
  'RegistryNotFound',
  'RepositoryCatalogDataNotFound',
  'PullThroughCacheRuleNotFound',
  'TemplateNotFound',
  'ScanNotFound',
  'ReferencedImagesNotFound',
  'UploadNotFound',
]);
const authKinds: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['AccessDenied', 'InvalidSignature', 'CredentialsUnavailable', 'ExpiredToken']);

/** The exit code for a failure: usage 2, not found 3, auth 4, interrupted 130, anything else 5. */
export function exitCodeFor(error: unknown): ExitCode {
  if (isCliError(error)) return error.exitCode;
  if (isEcrError(error)) {
    if (usageKinds.has(error.kind)) return ExitCode.Usage;
    if (notFoundKinds.has(error.kind)) return ExitCode.NotFound;
    if (authKinds.has(error.kind)) return ExitCode.Auth;
    if (error.kind === 'Aborted') return ExitCode.Interrupted;
  }
  return ExitCode.Service;
}

/** The exit-code table as shown in `--help` and the README. */
export const exitCodeHelp = `Exit codes:
  0  success
  1  a gate failed (the scan thresholds of 'scan', 'deployable' or 'pin'; a reference 'pin'
     refused or, with --check, left unpinned; a replica 'replication verify' found missing or diverged)
  2  usage error (bad option, argument or input)
  3  not found (repository, image, tag, policy, scan)
  4  authentication or authorization failure
  5  service or transport failure (throttling, timeouts, network, refused requests)
  6  not finished yet: a replica still pending ('replication verify'); retry later or use --wait
  130 interrupted (Ctrl-C)`;
