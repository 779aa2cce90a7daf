import { Option, type Command } from 'commander';
import type { ImageReplicationStatus } from '@ecrkit/core-types';
import type { RegionReplicationOutcome, ReplicationWaitResult } from '@ecrkit/services';
import type { App, CommandContext } from '../App.js';
import type { ReplicationOutput } from '../CliOutputs.js';
import { ExitCode } from '../exitCodes.js';
import { parseList, parseSeconds } from '../internal/args.js';
import { formatDuration } from '../internal/format.js';
import type { Output } from '../Output.js';
import { startProgress } from '../Progress.js';
import { imageIdOf } from './scans.js';

/** `replication <repo> <ref> [--wait]`. */
export function registerReplicationCommands(program: Command, app: App): void {
  program
    .command('replication')
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
            out.result('replication', data, () =>
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
            'replication',
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
