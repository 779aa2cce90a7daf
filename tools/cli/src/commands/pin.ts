import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { validateRegion, validateRegistryId } from '@ecrkit/core-types';
import type { PinnedReference, PinResult, PullSecretNeed } from '@ecrkit/services/pin';
import type { App, GlobalOptions } from '../App.js';
import { CliError } from '../CliError.js';
import type { PinOutput } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { addGateOptions, thresholdsOf } from './scans.js';

interface PinOptions {
  check?: boolean;
  clusterAccount?: string;
  clusterRegion?: string;
  pullSecrets?: string;
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxLow?: number;
  ignore?: string[];
}

/** `pin <files...>`: digest-pin the ECR images of Kubernetes manifests, ECS task definitions and Lambda configurations. */
export function registerPinCommand(program: Command, app: App): void {
  addGateOptions(
    program
      .command('pin')
      .description('Pin the ECR images of Kubernetes manifests, ECS task definitions and Lambda configurations to digests, in place')
      .argument('<files...>', 'YAML or JSON files (Kubernetes, ECS task definition, Lambda configuration)')
      .option('--check', 'write nothing; exit 1 when a reference is unpinned or refused (for CI)'),
  )
    .option('--cluster-account <id>', "Kubernetes: the account the cluster's nodes pull from without a secret (default: the target registry)")
    .option('--cluster-region <region>', "Kubernetes: the region the cluster's nodes pull from without a secret (default: the target region)")
    .addOption(new Option('--pull-secrets <file>', 'write the image pull Secrets Kubernetes workloads need to this file (mode 0600, credentials included)'))
    .addHelpText(
      'after',
      `
Examples:
  $ ecrkit pin k8s/web.yaml ecs/task.json lambda/function.json
  $ ecrkit pin k8s/web.yaml ecs/task.json --check          in CI: exits 1 if an image is not pinned
  $ ecrkit pin k8s/web.yaml --max-critical 0 --max-high 5
  $ ecrkit pin k8s/web.yaml --max-medium 0 --check -o json   exits 1: web-app:v1.2.0 has a MEDIUM finding
  $ ecrkit pin k8s/web.yaml --pull-secrets secrets.yaml && kubectl apply -f secrets.yaml

Only image values change; comments, quotes, indentation and line endings stay as they were.
A reference is refused, one line each, when its image does not exist, fails the gate, or cannot
run there (a Lambda function needs a single-platform image of its Architectures; an ECS task's
runtimePlatform must be among the image's platforms; a Kubernetes workload pulling from another
account or region than the cluster needs imagePullSecrets). When anything is refused, no file is
written and the command exits 1. Images outside ECR private registries are left alone.`,
    )
    .action(
      app.action<PinOptions>(async ({ opts, out, client, session, globals, signal }, ...paths) => {
        const cluster = clusterOf(opts);
        const files = await Promise.all(paths.map(async (path) => ({ path, name: path, text: await readText(app.io.cwd, path) })));
        const c = await client();
        const s = await session();
        const { pinDeployFiles } = await import('@ecrkit/services/pin');
        const thresholds = thresholdsOf(opts);
        const result = await pinDeployFiles(
          files.map((f) => ({ name: f.name, text: f.text })),
          c,
          { signal, clientFor: (registry) => s.clientFor(registry), ...(thresholds ? { thresholds } : {}), ...(cluster ? { cluster } : {}) },
        );
        const unpinned = result.files.flatMap((f) => f.references.filter((r) => r.status === 'pinned'));
        const write = !opts.check && result.refused.length === 0;
        if (write) {
          for (const [i, file] of result.files.entries()) if (file.changed) await writeAtomically(resolve(app.io.cwd, files[i]!.path), file.text);
        }
        let secretsWritten = 0;
        if (opts.pullSecrets && !opts.check && result.pullSecrets.length > 0) {
          const documents = [];
          for (const need of result.pullSecrets) {
            const secret = await s.clientFor(need).auth.imagePullSecret(need.namespace, need.name, { signal });
            documents.push(secret.yaml);
          }
          await writeAtomically(resolve(app.io.cwd, opts.pullSecrets), documents.join('---\n'), 0o600);
          secretsWritten = documents.length;
        }
        out.result('pin', pinJson(result, opts.check === true, write), () => pinText(out, result, opts.check === true));
        for (const need of result.pullSecrets.filter((n) => !n.listed && secretsWritten === 0)) out.note(secretHint(need, globals));
        if (secretsWritten > 0)
          out.note(
            `ecrkit: wrote ${secretsWritten} image pull Secret${secretsWritten === 1 ? '' : 's'} to ${opts.pullSecrets} (credentials inside; expires in 12 hours).`,
          );
        if (result.refused.length > 0) {
          out.note(`ecrkit: ${result.refused.length} reference${result.refused.length === 1 ? '' : 's'} refused${opts.check ? '' : '; no file written'}.`);
          return ExitCode.GateFailed;
        }
        if (opts.check) {
          if (unpinned.length > 0) {
            out.note(`ecrkit: ${unpinned.length} reference${unpinned.length === 1 ? '' : 's'} not pinned; run \`ecrkit pin\` without --check to pin them.`);
            return ExitCode.GateFailed;
          }
          return ExitCode.Ok;
        }
        const changed = result.files.filter((f) => f.changed).length;
        out.note(`ecrkit: pinned ${unpinned.length} reference${unpinned.length === 1 ? '' : 's'} in ${changed} file${changed === 1 ? '' : 's'}.`);
        return ExitCode.Ok;
      }),
    );
}

function clusterOf(opts: PinOptions): { registryId: string; region: string } | undefined {
  if (opts.clusterAccount === undefined && opts.clusterRegion === undefined) return undefined;
  if (opts.clusterAccount === undefined || opts.clusterRegion === undefined) {
    throw new CliError('--cluster-account and --cluster-region go together', {
      exitCode: ExitCode.Usage,
      hint: 'Pass both, or neither for the target registry.',
    });
  }
  validateRegistryId(opts.clusterAccount, 'cluster-account');
  validateRegion(opts.clusterRegion, 'cluster-region');
  return { registryId: opts.clusterAccount, region: opts.clusterRegion };
}

async function readText(cwd: string, path: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new CliError(`${path} ${reason}`, { exitCode: ExitCode.Usage, cause: error });
  }
}

/** Write through a temporary file renamed over the target, keeping the target's mode (or `mode` for a new file). */
async function writeAtomically(path: string, text: string, mode?: number): Promise<void> {
  const temp = `${path}.${randomUUID().slice(0, 8)}.tmp`;
  const existing = await stat(path).catch(() => undefined);
  try {
    await writeFile(temp, text, { mode: mode ?? existing?.mode ?? 0o644 });
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function secretHint(need: PullSecretNeed, globals: GlobalOptions): string {
  const profile = globals.accountProfiles[need.registryId];
  const target = globals.target === 'sim' ? '' : `--target aws ${profile ? `--profile ${profile} ` : ''}`;
  return (
    `ecrkit: ${need.namespace} needs the image pull Secret ${need.name} for ${need.registryId}/${need.region}: ` +
    `ecrkit ${target}--region ${need.region} --registry-id ${need.registryId} pull-secret ${need.namespace} --name ${need.name} --reveal | kubectl apply -f - (or pass --pull-secrets FILE)`
  );
}

/** One line per reference: what happened, where, and why. */
function referenceLine(out: Output, file: string, r: PinnedReference, check: boolean): string {
  const where = `${file}:${r.line}  ${r.location}`;
  switch (r.status) {
    case 'pinned':
      return check
        ? `${out.colors.yellow('unpinned')}  ${where}: ${r.image} (is ${shortDigest(r.digest)})`
        : `${out.colors.green('pinned')}    ${where}: ${r.image} -> ${r.pinned}`;
    case 'already-pinned':
      return `${out.colors.green('ok')}        ${where}: ${r.image}`;
    case 'refused':
      return `${out.colors.red('refused')}   ${where}: ${r.image} ${r.reason}`;
    default:
      return `${out.colors.dim('skipped')}   ${where}: ${r.image} (${r.reason})`;
  }
}

function pinText(out: Output, result: PinResult, check: boolean): string {
  return result.files.flatMap((f) => f.references.map((r) => `${referenceLine(out, f.name, r, check)}\n`)).join('');
}

function pinJson(result: PinResult, check: boolean, written: boolean): PinOutput {
  return {
    check,
    written: written ? result.files.filter((f) => f.changed).map((f) => f.name) : [],
    refused: result.refused.length,
    files: result.files.map((f) => ({
      file: f.name,
      format: f.format,
      changed: f.changed,
      references: f.references.map((r) => ({
        line: r.line,
        location: r.location,
        image: r.image,
        status: r.status,
        ...(r.pinned ? { imageUri: r.pinned } : {}),
        ...(r.digest ? { imageDigest: r.digest } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    })),
    pullSecrets: result.pullSecrets.map((s) => ({
      namespace: s.namespace,
      name: s.name,
      registryId: s.registryId,
      region: s.region,
      listed: s.listed,
      for: s.for,
    })),
  };
}
