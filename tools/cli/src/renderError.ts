import { inspect } from 'node:util';
import { isEcrError, type EcrError } from '@ecrkit/core-types';
import { isCliError } from './CliError.js';
import type { ErrorOutput } from './CliOutputs.js';
import { ExitCode, exitCodeFor } from './exitCodes.js';
import type { Colors } from './internal/colors.js';

/** What the failing command was working on, for a hint that names it. */
export interface ErrorContext {
  command?: string;
  repository?: string;
  reference?: string;
  endpoint?: string;
  target?: 'sim' | 'aws';
}

/**
 * One line naming what went wrong and what to do about it; with `debug`, the stack, the cause
 * chain and the error's fields follow. EcrError messages never hold secrets (core-types
 * guarantees it), and neither do ours.
 */
export function renderError(error: unknown, options: { colors: Colors; debug: boolean; context?: ErrorContext }): string {
  const { colors, debug } = options;
  const context = options.context ?? {};
  const message = oneLine(messageOf(error));
  const hint = hintOf(error, context);
  let text = `${colors.red(colors.bold('error:'))} ${withPeriod(message)}${hint ? ` ${hint}` : ''}\n`;
  if (debug) {
    if (isEcrError(error)) text += `${colors.dim(inspect(error.toJSON(), { depth: 4, colors: colors.enabled }))}\n`;
    text += `${colors.dim(stackChain(error))}\n`;
  }
  return text;
}

/**
 * The failure as `--output json` prints it on stderr: one object on one line (schema
 * `schema/v1/error.schema.json`). The CLI's own failures take their exit code's name as `kind`.
 */
export function renderErrorJson(error: unknown, options: { debug: boolean; context?: ErrorContext }): string {
  const exitCode = exitCodeFor(error);
  const json: ErrorOutput = {
    kind: isEcrError(error) ? error.kind : isCliError(error) ? exitCodeName(exitCode) : 'Unknown',
    awsCode: (isEcrError(error) ? error.awsCode : undefined) ?? null,
    message: withPeriod(oneLine(messageOf(error))),
    requestId: (isEcrError(error) ? error.requestId : undefined) ?? null,
    hint: hintOf(error, options.context ?? {}) ?? null,
    exitCode,
  };
  if (options.debug) json.stack = stackChain(error);
  return `${JSON.stringify(json)}\n`;
}

/** A usage error commander reported, as `--output json` prints it. */
export function renderUsageErrorJson(message: string, hint: string): string {
  const json: ErrorOutput = { kind: 'Usage', awsCode: null, message: withPeriod(oneLine(message)), requestId: null, hint, exitCode: ExitCode.Usage };
  return `${JSON.stringify(json)}\n`;
}

function exitCodeName(code: ExitCode): string {
  return Object.entries(ExitCode).find(([, value]) => value === code)?.[0] ?? 'Unknown';
}

function hintOf(error: unknown, context: ErrorContext): string | undefined {
  return isCliError(error) ? error.hint : isEcrError(error) ? hintFor(error, context) : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function withPeriod(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function stackChain(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? '' : 'caused by:');
    lines.push(current instanceof Error ? (current.stack ?? String(current)) : inspect(current, { depth: 2 }));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.filter(Boolean).join('\n');
}

function hintFor(error: EcrError, context: ErrorContext): string | undefined {
  const repo = context.repository ?? '<repository>';
  switch (error.kind) {
    case 'RepositoryNotFound':
      return 'Run `ecrkit repos` to list the repositories.';
    case 'ImageNotFound':
    case 'ReferencedImagesNotFound':
      return `Run \`ecrkit images ${repo}\` to list its images.`;
    case 'LayersNotFound':
      return 'The layer is missing from the registry; re-push the image.';
    case 'ScanNotFound':
      return `Start one with \`ecrkit scan ${repo} ${context.reference ?? '<ref>'} --wait\`.`;
    case 'LifecyclePolicyNotFound':
      return 'The repository has no lifecycle policy, so nothing would expire.';
    case 'LifecyclePolicyPreviewNotFound':
      return 'No preview was started for this repository; run the command again.';
    case 'RepositoryPolicyNotFound':
      return 'The repository has no repository policy.';
    case 'RepositoryCatalogDataNotFound':
    case 'RegistryNotFound':
      return 'Run `ecrkit public repos` to list the public repositories.';
    case 'InvalidParameter':
    case 'InvalidTagParameter':
    case 'Validation':
      return `Check the value${context.command ? `; see \`ecrkit ${context.command} --help\`` : ''}.`;
    case 'UnsupportedImageType':
      return 'This image type cannot be scanned.';
    case 'ImageTagAlreadyExists':
      return 'The repository has immutable tags; choose a new tag.';
    case 'ImageAlreadyExists':
      return 'The image already has this tag; nothing to do.';
    case 'TooManyTags':
      return 'Remove a tag first with `ecrkit untag`.';
    case 'LimitExceeded':
      return 'A service limit was reached (for example one basic scan per image per 24 hours); retry later.';
    case 'CredentialsUnavailable':
      return 'Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile.';
    case 'ExpiredToken':
      return 'Refresh your AWS credentials (for example `aws sso login`) and retry.';
    case 'InvalidSignature':
      return 'Check the secret access key and that the system clock is right.';
    case 'AccessDenied':
      return `Your credentials lack permission${error.operation ? ` for ecr:${error.operation}` : ''}; check the IAM policy.`;
    case 'Throttling':
    case 'ServiceUnavailable':
      return 'The service is busy; retry in a moment.';
    case 'CircuitOpen':
      return 'Too many recent failures against this endpoint; wait a little and retry.';
    case 'Timeout':
      return `The request timed out; retry, or check ${context.endpoint ? `the endpoint ${context.endpoint}` : '--region and your network'}.`;
    case 'Network':
      return `Could not reach ${context.endpoint ?? 'the ECR endpoint'}; check --endpoint, --region and your network.`;
    case 'InvalidResponse':
      return `The endpoint did not answer like ECR; check ${context.endpoint ? `--endpoint ${context.endpoint}` : '--endpoint'}.`;
    case 'ScanTimeout':
      return `The scan is still running; check later with \`ecrkit findings ${repo} ${context.reference ?? '<ref>'}\`.`;
    case 'ReplicationTimeout':
      return `Replication is still in progress; check later with \`ecrkit replication ${repo} ${context.reference ?? '<ref>'}\`.`;
    case 'ReadOnly':
      return 'The client is configured read-only.';
    case 'KmsError':
      return 'Check the KMS key used to encrypt the repository.';
    case 'Aborted':
      return undefined;
    default:
      return context.target === 'sim' ? 'Run with --debug for details.' : 'Retry, or run with --debug for details.';
  }
}
