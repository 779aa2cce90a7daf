import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  isEcrError,
  isSeverityAtLeast,
  ScanStatus,
  scanStateOf,
  severities,
  severityCountsOf,
  severityOf,
  severityRank,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
  type Severity,
} from '@ecrkit/core-types';
import type { ScanEvaluation, ScanFindings, ScanThresholds } from '@ecrkit/services';
import type { App, CommandContext } from '../App.js';
import type { FindingsOutput, GateThresholds, ScanOutput } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { parseCount, parseList, parseSeconds } from '../internal/args.js';
import { formatDate, formatDuration, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { startProgress } from '../Progress.js';
import { severityCounts } from './images.js';

interface GateOptions {
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxLow?: number;
  ignore?: string[];
}

/** The gate options `scan` and `deployable` share. */
export function addGateOptions(command: Command): Command {
  return command
    .option('--max-critical <n>', 'gate: most CRITICAL findings allowed', parseCount)
    .option('--max-high <n>', 'gate: most HIGH findings allowed', parseCount)
    .option('--max-medium <n>', 'gate: most MEDIUM findings allowed', parseCount)
    .option('--max-low <n>', 'gate: most LOW findings allowed', parseCount)
    .option('--ignore <cves>', 'gate: vulnerability names to leave out, comma-separated (repeatable)', parseList);
}

/** The thresholds the gate options name, or undefined when none was given. */
export function thresholdsOf(opts: GateOptions): ScanThresholds | undefined {
  const t: ScanThresholds = {};
  if (opts.maxCritical !== undefined) t.maxCritical = opts.maxCritical;
  if (opts.maxHigh !== undefined) t.maxHigh = opts.maxHigh;
  if (opts.maxMedium !== undefined) t.maxMedium = opts.maxMedium;
  if (opts.maxLow !== undefined) t.maxLow = opts.maxLow;
  if (opts.ignore?.length) t.ignore = opts.ignore;
  return Object.keys(t).length ? t : undefined;
}

/** `scan` and `findings`. */
export function registerScanCommands(program: Command, app: App): void {
  addGateOptions(
    program
      .command('scan')
      .description('Start a vulnerability scan; with --wait (implied by any gate option) wait for it and apply the gate')
      .argument('<repo>', 'repository name')
      .argument('<ref>', 'tag or digest')
      .option('-w, --wait', 'wait for the scan to finish and show the findings summary'),
  )
    .addOption(new Option('--timeout <seconds>', 'how long to wait').default(300, '300').argParser(parseSeconds))
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit scan web-app v1.2.0 --wait\n  $ ecrkit scan web-app v1.0.0 --max-critical 0 --max-high 5        exits 1: the gate fails\n  $ ecrkit scan lambda-processor prod-2025-01-10 --max-critical 0 --ignore CVE-2024-0001 --output json   exits 1',
    )
    .action(
      app.action<GateOptions & { wait?: boolean; timeout: number }>(
        async (ctx, repo, ref) => {
          const { opts, out, client, session, about, signal } = ctx;
          about({ repository: repo, reference: ref });
          const c = await client();
          const thresholds = thresholdsOf(opts);
          let started = true;
          try {
            const result = await c.scans.start(repo!, ref!, { signal });
            if (!opts.wait && !thresholds) {
              out.result(
                'scan',
                {
                  ...(c.config.registryId ? { registryId: c.config.registryId } : {}),
                  repositoryName: repo!,
                  imageId: result.imageId,
                  imageScanStatus: { status: result.status ?? 'IN_PROGRESS' },
                },
                () =>
                  `Started a scan of ${repo}:${ref} (${(result.status ?? 'IN_PROGRESS').toLowerCase().replace(/_/g, ' ')}).\n` +
                  out.colors.dim(`Follow it with \`ecrkit scan ${repo} ${ref} --wait\` or read the results with \`ecrkit findings ${repo} ${ref}\`.\n`),
              );
              return;
            }
          } catch (error) {
            // ECR allows one basic scan per image per 24 hours; the latest results still gate.
            if (!(isEcrError(error) && error.kind === 'LimitExceeded')) throw error;
            started = false;
            out.note(out.colors.dim(`ecrkit: ${repo}:${ref} was scanned recently (ECR allows one scan per image per 24 hours); using the latest results.`));
            if (!opts.wait && !thresholds) {
              out.result(
                'scan',
                {
                  repositoryName: repo!,
                  imageId: imageIdOf(ref!),
                  imageScanStatus: { status: 'LIMIT_EXCEEDED', description: 'ECR allows one scan per image per 24 hours.' },
                },
                () => '',
              );
              return;
            }
          }
          const s = await session();
          const findings = await waitWithProgress(ctx, repo!, ref!, {
            timeoutMs: opts.timeout * 1000,
            ...(s.pollIntervalMs ? { pollIntervalMs: s.pollIntervalMs, maxPollIntervalMs: s.pollIntervalMs * 4 } : {}),
            started,
          });
          const gate = thresholds ? c.scans.evaluate(findings, thresholds) : undefined;
          out.result('scan', scanJson(findings, gate, thresholds), () => scanText(out, repo!, ref!, findings, gate, thresholds));
          if (gate) return gate.passed ? ExitCode.Ok : ExitCode.GateFailed;
          return findingsReady(findings.status) ? ExitCode.Ok : ExitCode.Service;
        },
        { mutating: true },
      ),
    );

  program
    .command('findings')
    .description("List the findings of an image's latest scan, most severe first")
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .addOption(
      new Option('-s, --severity <level>', `only findings at this severity or worse (${severities.join(', ').toLowerCase()})`).argParser(parseSeverity),
    )
    .addHelpText(
      'after',
      "\nExamples:\n  $ ecrkit findings web-app v1.0.0\n  $ ecrkit findings web-app v1.0.0 --severity high --output json\n  $ ecrkit findings web-app v1.0.0 --query 'imageScanFindings.findings[].name' --output text",
    )
    .action(
      app.action<{ severity?: Severity }>(async ({ opts, out, client, about, signal }, repo, ref) => {
        about({ repository: repo, reference: ref });
        const c = await client();
        const result = await c.scans.getFindings(repo!, ref!, { signal });
        const atLeast = (severity: string | undefined) => !opts.severity || isSeverityAtLeast(severityOf(severity), opts.severity);
        const rows = findingRows(result).filter((f) => atLeast(f.severity));
        const data: FindingsOutput = {
          ...(c.config.registryId ? { registryId: c.config.registryId } : {}),
          repositoryName: result.repositoryName,
          imageId: result.imageId,
          imageScanStatus: {
            ...(result.status ? { status: result.status } : {}),
            ...(result.statusDescription ? { description: result.statusDescription } : {}),
          },
          imageScanFindings: {
            ...(result.imageScanCompletedAt ? { imageScanCompletedAt: result.imageScanCompletedAt } : {}),
            ...(result.vulnerabilitySourceUpdatedAt ? { vulnerabilitySourceUpdatedAt: result.vulnerabilitySourceUpdatedAt } : {}),
            findingSeverityCounts: result.findingSeverityCounts,
            findings: result.findings.filter((f) => atLeast(f.severity)),
            enhancedFindings: result.enhancedFindings.filter((f) => atLeast(f.severity)),
          },
        };
        out.result('findings', data, () => {
          if (!findingsReady(result.status)) {
            return `The scan of ${repo}:${ref} is ${(result.status ?? 'unknown').toLowerCase().replace(/_/g, ' ')}${result.statusDescription ? ` (${result.statusDescription})` : ''}; no findings yet.\n`;
          }
          const head = `${repo}:${ref} scanned ${formatDate(result.imageScanCompletedAt)}: ${severityCounts(result.findingSeverityCounts)}\n`;
          if (rows.length === 0) return head + (opts.severity ? `No findings at ${opts.severity} or worse.\n` : 'No findings.\n');
          return (
            head +
            '\n' +
            out.table(rows, [
              { header: 'SEVERITY', cell: (f) => colorSeverity(out, f.severity) },
              { header: 'VULNERABILITY', cell: (f) => f.name },
              { header: 'PACKAGE', cell: (f) => (f.package ? `${f.package}${f.version ? ` ${f.version}` : ''}` : '-') },
              { header: 'LINK', cell: (f) => f.uri ?? '-' },
            ])
          );
        });
        // One shot, so the exit code decides now: only a known running status (IN_PROGRESS,
        // PENDING) exits 0 without findings. scanStateOf calls a status it does not know
        // inProgress so that waiters keep polling; here that status is a service error.
        if (!findingsReady(result.status) && !(isKnownScanStatus(result.status) && scanStateOf(result.status) === 'inProgress')) return ExitCode.Service;
      }),
    );
}

/** Wait for a scan with a live progress line on stderr; resolves with every finding. */
export async function waitWithProgress(
  ctx: Pick<CommandContext<unknown>, 'out' | 'client' | 'signal'>,
  repo: string,
  ref: string,
  options: { timeoutMs: number; pollIntervalMs?: number; maxPollIntervalMs?: number; started?: boolean },
): Promise<ScanFindings> {
  const c = await ctx.client();
  const startedAt = Date.now();
  const progress = startProgress(ctx.out, `Scanning ${repo}:${ref} ...`);
  try {
    const findings = await c.scans.waitForScan(repo, ref, {
      timeoutMs: options.timeoutMs,
      signal: ctx.signal,
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.maxPollIntervalMs ? { maxPollIntervalMs: options.maxPollIntervalMs } : {}),
      onProgress: (p) => progress.update(`Scanning ${repo}:${ref}: ${(p.status ?? 'pending').toLowerCase().replace(/_/g, ' ')}`),
    });
    const took = formatDuration(Date.now() - startedAt);
    if (findingsReady(findings.status)) progress.succeed(`Scanned ${repo}:${ref} in ${took}: ${severityCounts(findings.findingSeverityCounts)}`);
    else
      progress.fail(
        `The scan of ${repo}:${ref} ended ${(findings.status ?? 'unknown').toLowerCase()}${findings.statusDescription ? `: ${findings.statusDescription}` : ''}`,
      );
    return findings;
  } catch (error) {
    progress.fail(`Scanning ${repo}:${ref} stopped`);
    throw error;
  }
}

/** A finished scan with its gate, as `scan --wait` prints it. */
function scanJson(findings: ScanFindings, gate: ScanEvaluation | undefined, thresholds: ScanThresholds | undefined): ScanOutput {
  return {
    repositoryName: findings.repositoryName,
    imageId: findings.imageId,
    imageScanStatus: {
      ...(findings.status ? { status: findings.status } : {}),
      ...(findings.statusDescription ? { description: findings.statusDescription } : {}),
    },
    imageScanFindings: {
      ...(findings.imageScanCompletedAt ? { imageScanCompletedAt: findings.imageScanCompletedAt } : {}),
      ...(findings.vulnerabilitySourceUpdatedAt ? { vulnerabilitySourceUpdatedAt: findings.vulnerabilitySourceUpdatedAt } : {}),
      findingSeverityCounts: countsOf(findings),
    },
    ...(gate ? { gate: { passed: gate.passed, thresholds: gateThresholds(thresholds), counts: gate.counts, violations: gate.violations } } : {}),
  };
}

/** The thresholds as printed in JSON (a plain copy: the ignore list becomes a mutable array). */
export function gateThresholds(thresholds: ScanThresholds | undefined): GateThresholds {
  const { ignore, ...limits } = thresholds ?? {};
  return { ...limits, ...(ignore ? { ignore: [...ignore] } : {}) };
}

/** The image id a tag or digest names. */
export function imageIdOf(ref: string): { imageDigest: string } | { imageTag: string } {
  return ref.startsWith('sha256:') ? { imageDigest: ref } : { imageTag: ref };
}

/** The scan summary and gate verdict as text. */
export function scanText(
  out: Output,
  repo: string,
  ref: string,
  findings: ScanFindings,
  gate: ScanEvaluation | undefined,
  thresholds: ScanThresholds | undefined,
): string {
  let text = out.fields([
    ['Image', `${repo}:${ref}${findings.imageId.imageDigest ? ` (${shortDigest(findings.imageId.imageDigest)})` : ''}`],
    ['Scan', `${(findings.status ?? 'unknown').toLowerCase()}${findings.imageScanCompletedAt ? `, ${formatDate(findings.imageScanCompletedAt)}` : ''}`],
    ['Findings', severityCounts(countsOf(findings))],
  ]);
  if (gate) text += gateText(out, gate, thresholds);
  return text;
}

/** `Gate (max critical 0): PASSED` or FAILED with its reasons. */
export function gateText(out: Output, gate: Pick<ScanEvaluation, 'passed' | 'violations'>, thresholds: ScanThresholds | undefined): string {
  const limits = Object.entries(thresholds ?? {})
    .filter(([k]) => k !== 'ignore')
    .map(([k, v]) => `${k.replace(/^max/, 'max ').toLowerCase()} ${String(v)}`);
  const ignored = thresholds?.ignore?.length ? `, ignoring ${thresholds.ignore.length}` : '';
  const head = `Gate (${limits.join(', ') || 'no limits'}${ignored}): `;
  return gate.passed
    ? `${head}${out.colors.green(out.colors.bold('PASSED'))}\n`
    : `${head}${out.colors.red(out.colors.bold('FAILED'))}\n${gate.violations.map((v) => `  - ${v}\n`).join('')}`;
}

function countsOf(findings: ScanFindings): Record<string, number> {
  return severityCountsOf(findings.findingSeverityCounts);
}

function findingsReady(status: string | undefined): boolean {
  return status !== undefined && scanStateOf(status) === 'complete';
}

const knownScanStatuses: ReadonlySet<string> = new Set(Object.values(ScanStatus));

/** Whether `status` is one of the `ScanStatus` values this version knows. */
function isKnownScanStatus(status: string | undefined): status is ScanStatus {
  return status !== undefined && knownScanStatuses.has(status);
}

interface FindingRow {
  severity: Severity;
  name: string;
  package: string | null;
  version: string | null;
  uri: string | null;
  description: string | null;
}

function findingRows(result: ScanFindings): FindingRow[] {
  const rows: FindingRow[] = [...result.findings.map(basicRow), ...result.enhancedFindings.map(enhancedRow)];
  return rows.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.name.localeCompare(b.name));
}

function basicRow(f: ImageScanFinding): FindingRow {
  const attr = (key: string) => f.attributes?.find((a) => a.key === key)?.value ?? null;
  return {
    severity: severityOf(f.severity),
    name: f.name ?? '-',
    package: attr('package_name'),
    version: attr('package_version'),
    uri: f.uri ?? null,
    description: f.description ?? null,
  };
}

function enhancedRow(f: EnhancedImageScanFinding): FindingRow {
  const pkg = f.packageVulnerabilityDetails?.vulnerablePackages?.[0];
  return {
    severity: severityOf(f.severity),
    name: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? '-',
    package: pkg?.name ?? null,
    version: pkg?.version ?? null,
    uri: f.packageVulnerabilityDetails?.sourceUrl ?? null,
    description: f.description ?? null,
  };
}

function parseSeverity(value: string): Severity {
  const upper = value.toUpperCase();
  if (!(severities as readonly string[]).includes(upper)) throw new InvalidArgumentError(`Expected one of ${severities.join(', ').toLowerCase()}.`);
  return upper as Severity;
}

function colorSeverity(out: Output, s: Severity): string {
  const text = s;
  if (s === 'CRITICAL') return out.colors.red(out.colors.bold(text));
  if (s === 'HIGH') return out.colors.red(text);
  if (s === 'MEDIUM') return out.colors.yellow(text);
  return out.colors.dim(text);
}
