import { Option, type Command } from 'commander';
import type { ImageReplicationStatus } from '@ecrkit/core-types';
import type { RegionReplicationOutcome, ReplicaReport, ReplicationVerification, ReplicationWaitResult } from '@ecrkit/services';
import type { App, CommandContext } from '../App.js';
import type { ReplicationOutput, ReplicationVerifyOutput } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { parseList, parseSeconds } from '../internal/args.js';
import { formatAge, formatDuration, shortDigest } from '../internal/format.js';
import type { Output } from '../Output.js';
import { startProgress } from '../Progress.js';
import { imageIdOf } from './scans.js';

/** `replication [status] <repo> <ref> [--wait]` and `replication verify <repo> <ref> [--wait]`. */
export function registerReplicationCommands(program: Command, app: App): void {
  const replication = program
    .command('replication')
    .description("An image's cross-region replication: its status per destination (the default), or `verify` that every replica is the same")
    .addHelpText('after', '\nExamples:\n  $ ecrkit replication web-app v1.2.0 --wait\n  $ ecrkit replication verify web-app v1.2.0 --wait');
  replication
    // The default subcommand, so `ecrkit replication <repo> <ref>` reads as it always has.
    .command('status', { isDefault: true })
    .description("Show an image's cross-region replication per destination; --wait until it is complete everywhere")
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-w, --wait', 'wait until every destination is complete (or one failed)')
    .option('--regions <list>', 'with --wait: only these destination regions, comma-separated', parseList)
    .addOption(new Option('--timeout <seconds>', 'how long to wait').default(300, '300').argParser(parseSeconds))
    .addHelpText(
      'after',
      '\nExamples:\n  $ ecrkit replication web-app v1.2.0\n  $ ecrkit replication web-app v1.2.0 --wait --regions us-west-2,eu-west-1\n\nWith --wait, exits 5 when a destination failed or the wait timed out.',
    )
    .action(
      app.action<{ wait?: boolean; regions?: string[]; timeout: number }>(
        async (ctx, repo, ref) => {
          const { opts, out, client, about, signal } = ctx;
          about({ repository: repo, reference: ref });
          const c = await client();
          if (!opts.wait) {
            const status = await c.replication.getStatus(repo!, ref!, { signal });
            const data: ReplicationOutput = { repositoryName: repo!, imageId: status.imageId, replicationStatuses: status.destinations };
            out.result('replication status', data, () =>
              data.replicationStatuses.length === 0
                ? `${repo}:${ref} has no replication destinations (no replication rule of the registry matches ${repo}).\n`
                : out.table(data.replicationStatuses, [
                    { header: 'REGION', cell: (d) => out.colors.bold(d.region ?? '-') },
                    { header: 'REGISTRY', cell: (d) => d.registryId ?? '-' },
                    { header: 'STATUS', cell: (d) => statusCell(out, d.status) },
                    { header: 'FAILURE', cell: (d) => d.failureCode ?? '' },
                  ]),
            );
            return;
          }
          const result = await waitForReplication(ctx, repo!, ref!, opts.regions ?? [], opts.timeout * 1000);
          out.result(
            'replication status',
            { repositoryName: repo!, imageId: imageIdOf(ref!), replicationStatuses: result.regions.flatMap(statusesOf), complete: result.complete },
            () =>
              out.table(result.regions, [
                { header: 'REGION', cell: (r) => out.colors.bold(r.region) },
                { header: 'REGISTRY', cell: (r) => r.registryIds.join(',') || '-' },
                { header: 'STATUS', cell: (r) => statusCell(out, r.status) },
                { header: 'FAILURE', cell: (r) => r.failureCode ?? '' },
              ]),
          );
          return result.complete ? ExitCode.Ok : ExitCode.Service;
        },
        // Replication progresses in the simulation as it is polled; keep what happened.
        { mutating: (opts) => opts.wait === true },
      ),
    );

  replication
    .command('verify')
    .description(
      'Check that an image really is the same in every destination the replication rules send it to: digest, tags, platform manifests, referrers, repository settings',
    )
    .argument('<repo>', 'repository name')
    .argument('<ref>', 'tag or digest')
    .option('-w, --wait', 'verify again until no destination is pending (or --timeout passes)')
    .addOption(new Option('--timeout <seconds>', 'with --wait: how long to wait').default(300, '300').argParser(parseSeconds))
    .addHelpText(
      'after',
      `
Examples:
  $ ecrkit replication verify web-app v1.2.0       exits 6 on fresh demo data: the replicas are still pending
  $ ecrkit replication verify web-app v1.2.0 --wait --timeout 600 -o json
  $ ecrkit replication verify web-app v1.2.0 --wait --query 'destinations[].[region, state]' --output text

Each destination is consistent, pending (with its age), missing, diverged or not-applicable
(no rule sends the repository there). Exits 0 when every destination that applies is
consistent, 1 when one is missing or diverged, 6 when one is still pending (also after --wait
timed out).`,
    )
    .action(
      app.action<{ wait?: boolean; timeout: number }>(
        async ({ opts, out, client, session, about, signal }, repo, ref) => {
          about({ repository: repo, reference: ref });
          const c = await client();
          const s = await session();
          const progress = opts.wait ? startProgress(out, `Verifying the replicas of ${repo}:${ref} ...`) : undefined;
          let result: ReplicationVerification;
          try {
            result = await c.replication.verify(repo!, ref!, {
              signal,
              clientFor: (destination) => s.clientFor(destination),
              ...(opts.wait
                ? {
                    wait: true,
                    timeoutMs: opts.timeout * 1000,
                    ...(s.pollIntervalMs ? { pollIntervalMs: s.pollIntervalMs, maxPollIntervalMs: s.pollIntervalMs * 4 } : {}),
                    onProgress: (p) => progress?.update(`Verifying the replicas of ${repo}:${ref}: ${replicaSummary(p.destinations)}`),
                  }
                : {}),
            });
          } catch (error) {
            progress?.fail(`Verifying the replicas of ${repo}:${ref} stopped`);
            throw error;
          }
          progress?.stop();
          out.result('replication verify', verificationJson(result), () => verificationText(out, ref!, result));
          if (result.outcome === 'inconsistent') return ExitCode.GateFailed;
          return result.outcome === 'pending' ? ExitCode.Pending : ExitCode.Ok;
        },
        // DescribeImageReplicationStatus moves poll-driven replications of the simulation along.
        { mutating: true },
      ),
    );
}

function replicaSummary(destinations: readonly ReplicaReport[]): string {
  return destinations
    .filter((d) => d.state !== 'not-applicable')
    .map((d) => `${d.region} ${d.state}`)
    .join(', ');
}

function stateCell(out: Output, d: ReplicaReport): string {
  if (d.state === 'consistent') return out.colors.green(d.state);
  if (d.state === 'pending') return out.colors.yellow(`pending${d.pendingForMs !== undefined ? ` for ${formatAge(d.pendingForMs)}` : ''}`);
  if (d.state === 'not-applicable') return out.colors.dim(d.state);
  return out.colors.red(d.state);
}

function verificationText(out: Output, ref: string, r: ReplicationVerification): string {
  const head = `${r.repositoryName}:${ref} (${shortDigest(r.imageDigest)}) from ${r.source.registryId}/${r.source.region}\n`;
  if (r.destinations.length === 0) return `${head}The registry has no replication rules: nothing to verify.\n`;
  const table = out.table(r.destinations, [
    { header: 'REGION', cell: (d) => out.colors.bold(d.region) },
    { header: 'REGISTRY', cell: (d) => d.registryId },
    { header: 'STATE', cell: (d) => stateCell(out, d) },
    { header: 'STATUS', cell: (d) => (d.replicationStatus ?? '-').toLowerCase().replace(/_/g, ' ') },
  ]);
  // Problems as lines of their own: digests make them too wide for a table cell.
  const problems = r.destinations.flatMap((d) => d.problems.map((p) => `  ${d.registryId}/${d.region}: ${p}\n`));
  const verdict =
    r.outcome === 'consistent'
      ? out.colors.green('Consistent everywhere it replicates to.')
      : r.outcome === 'pending'
        ? out.colors.yellow(`Still pending${r.timedOut ? ` after ${formatDuration(r.elapsedMs)}` : ''}: verify again later, or with --wait.`)
        : out.colors.red('Inconsistent: a replica is missing or differs from the source.');
  return `${head}${table}${problems.join('')}${verdict}\n`;
}

function verificationJson(r: ReplicationVerification): ReplicationVerifyOutput {
  return {
    repositoryName: r.repositoryName,
    imageDigest: r.imageDigest,
    imageTags: r.imageTags,
    ...(r.pushedAt ? { imagePushedAt: r.pushedAt } : {}),
    source: r.source,
    outcome: r.outcome,
    timedOut: r.timedOut,
    attempts: r.attempts,
    elapsedMs: r.elapsedMs,
    destinations: r.destinations.map((d) => ({
      region: d.region,
      registryId: d.registryId,
      state: d.state,
      ...(d.replicationStatus ? { status: d.replicationStatus } : {}),
      ...(d.failureCode ? { failureCode: d.failureCode } : {}),
      ...(d.pendingForMs !== undefined ? { pendingForMs: d.pendingForMs } : {}),
      problems: d.problems,
    })),
  };
}

/** Wait for replication with a live progress line on stderr. */
export async function waitForReplication(
  ctx: Pick<CommandContext<unknown>, 'out' | 'client' | 'session' | 'signal'>,
  repo: string,
  ref: string,
  regions: readonly string[],
  timeoutMs: number,
  polling?: { pollIntervalMs: number; maxPollIntervalMs: number },
): Promise<ReplicationWaitResult> {
  const c = await ctx.client();
  const s = await ctx.session();
  const poll = polling ?? (s.pollIntervalMs ? { pollIntervalMs: s.pollIntervalMs, maxPollIntervalMs: s.pollIntervalMs * 4 } : {});
  const progress = startProgress(ctx.out, `Replicating ${repo}:${ref} ...`);
  try {
    const result = await c.replication.waitForReplication(repo, ref, regions, {
      timeoutMs,
      signal: ctx.signal,
      ...poll,
      onProgress: (p) => progress.update(`Replicating ${repo}:${ref}: ${regionsText(p.regions)}`),
    });
    if (result.complete)
      progress.succeed(`Replicated ${repo}:${ref} to ${result.regions.map((r) => r.region).join(', ')} in ${formatDuration(result.elapsedMs)}`);
    else progress.fail(`Replication of ${repo}:${ref} failed: ${regionsText(result.regions)}`);
    return result;
  } catch (error) {
    progress.fail(`Waiting for the replication of ${repo}:${ref} stopped`);
    throw error;
  }
}

function regionsText(regions: readonly RegionReplicationOutcome[]): string {
  return regions.length ? regions.map((r) => `${r.region} ${r.status.toLowerCase().replace(/_/g, ' ')}`).join(', ') : 'waiting for destinations';
}

function statusCell(out: Output, status: string | undefined): string {
  if (status === 'COMPLETE') return out.colors.green('complete');
  if (status === 'FAILED') return out.colors.red('failed');
  return out.colors.yellow((status ?? 'unknown').toLowerCase().replace(/_/g, ' '));
}

/** A region's outcome as the API's per-destination statuses (one per registry; MISSING is not reported yet, so IN_PROGRESS). */
function statusesOf(r: RegionReplicationOutcome): ImageReplicationStatus[] {
  const status = r.status === 'MISSING' ? 'IN_PROGRESS' : r.status;
  const registryIds = r.registryIds.length ? r.registryIds : [undefined];
  return registryIds.map((registryId) => ({
    region: r.region,
    ...(registryId ? { registryId } : {}),
    status,
    ...(r.failureCode ? { failureCode: r.failureCode } : {}),
  }));
}
