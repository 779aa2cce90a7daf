import { awsError } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { BackfillImage, ReplicationBackfillRecord } from '../internal/registrySettings.js';
import { optEnum, optInt, optString, regionPattern, registryIdPattern, reqString, reqStruct } from '../internal/validate.js';
import { createRepositoryFor } from './creationTemplates.js';
import { targetAccount, type OpContext, type OperationHandler } from './OpContext.js';

// A backfill replicates the images already in the registry to one destination of its
// replication configuration. It is PREPARING for one step of the replication progression's
// `stepMs`, IN_PROGRESS for another step while images are copied one by one, then COMPLETE (or
// FAILED when every replication failed, as for a destination in `failRegions`). Copies land in
// the destination as they complete, whether or not anyone is looking (settleBackfills runs with
// every call). StopReplicationBackfill answers STOPPING; the backfill reports STOPPED afterwards.

type Phase = 'PREPARING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED' | 'STOPPING' | 'STOPPED';

function phaseOf(b: ReplicationBackfillRecord, now: number): Phase {
  const at = b.stoppedAt !== undefined ? Math.min(now, b.stoppedAt) : now;
  const elapsed = at - b.startedAt;
  if (b.stoppedAt !== undefined) return 'STOPPED';
  if (elapsed < b.stepMs) return 'PREPARING';
  if (elapsed < 2 * b.stepMs) return 'IN_PROGRESS';
  return b.images.length > 0 && b.images.every((i) => i.status === 'FAILED') ? 'FAILED' : 'COMPLETE';
}

/** How many images are done by `now` (none while preparing, all after the second step). */
function dueCount(b: ReplicationBackfillRecord, now: number): number {
  const at = b.stoppedAt !== undefined ? Math.min(now, b.stoppedAt) : now;
  const elapsed = at - b.startedAt - b.stepMs;
  if (elapsed <= 0) return 0;
  return Math.min(b.images.length, Math.floor((b.images.length * elapsed) / b.stepMs));
}

/** Replicate what is due of one backfill; returns whether it is finished (or stopped). */
function settle(ctx: OpContext, accountId: string, region: string, b: ReplicationBackfillRecord): boolean {
  const due = dueCount(b, ctx.now);
  for (; b.settled < due; b.settled++) {
    const item = b.images[b.settled]!;
    if (b.failing) {
      item.status = 'FAILED';
      item.failureCode = 'REPLICATION_FAILED';
      continue;
    }
    const source = ctx.store.findRepository(accountId, region, item.repositoryName);
    const image = source?.byDigest.get(item.imageDigest);
    if (!source || !image) {
      item.status = 'FAILED';
      item.failureCode = 'IMAGE_NOT_FOUND';
      continue;
    }
    const { registryId, region: destRegion } = b.destination;
    const dest =
      ctx.store.findRepository(registryId, destRegion, item.repositoryName) ??
      createRepositoryFor(ctx, registryId, destRegion, item.repositoryName, 'REPLICATION');
    ctx.store.copyImage(source, dest, image, image.tags, ctx.now);
    item.status = 'COMPLETE';
  }
  return b.stoppedAt !== undefined || (b.settled >= b.images.length && ctx.now - b.startedAt >= 2 * b.stepMs);
}

/** Bring every open backfill up to the call's time; cheap when none is open. */
export function settleBackfills(ctx: OpContext): void {
  if (ctx.store.openBackfills === 0) return;
  let open = 0;
  for (const [key, settings] of ctx.store.settings) {
    const [accountId, region] = key.split('\n') as [string, string];
    for (const b of settings.backfills) {
      if (b.stoppedAt === undefined && b.settled >= b.images.length && ctx.now - b.startedAt >= 2 * b.stepMs) continue;
      if (!settle(ctx, accountId, region, b)) open++;
    }
  }
  ctx.store.openBackfills = open;
}

function progressShape(b: ReplicationBackfillRecord, phase: Phase): Record<string, unknown> | undefined {
  if (phase === 'PREPARING' || (phase === 'STOPPED' && b.stoppedAt! - b.startedAt < b.stepMs)) return undefined;
  const settled = b.images.slice(0, b.settled);
  const failed = settled.filter((i) => i.status === 'FAILED');
  return {
    totalReplicationCount: b.images.length,
    completedReplicationCount: settled.length - failed.length,
    failedReplicationCount: failed.length,
    failureCodes: [...new Set(failed.map((i) => i.failureCode!))],
  };
}

function summaryShape(b: ReplicationBackfillRecord, now: number): Record<string, unknown> {
  const phase = phaseOf(b, now);
  const out: Record<string, unknown> = { replicationBackfillId: b.id, destination: { ...b.destination }, status: phase };
  if (phase === 'FAILED') out.failureCode = 'REPLICATION_FAILED';
  const progress = progressShape(b, phase);
  if (progress) out.progress = progress;
  out.startedAt = new Date(b.startedAt);
  if (phase === 'COMPLETE' || phase === 'FAILED') out.endedAt = new Date(b.startedAt + 2 * b.stepMs);
  if (phase === 'STOPPED') out.endedAt = new Date(b.stoppedAt!);
  return out;
}

function readDestination(input: Record<string, unknown>): { region: string; registryId: string } {
  const d = reqStruct(input, 'destination');
  return {
    region: reqString(d, 'region', { min: 2, max: 25, pattern: regionPattern, patternText: '[0-9a-z-]{2,25}' }, 'destination.region'),
    registryId: reqString(d, 'registryId', { pattern: registryIdPattern, patternText: '[0-9]{12}' }, 'destination.registryId'),
  };
}

export const StartReplicationBackfill: OperationHandler = (ctx, input) => {
  const accountId = targetAccount(ctx, input);
  const destination = readDestination(input);
  const region = ctx.store.region(accountId, ctx.region);
  const rules = region.replicationRules.filter((r) => r.destinations.some((d) => d.region === destination.region && d.registryId === destination.registryId));
  if (rules.length === 0) {
    throw awsError(
      'ValidationException',
      `The destination ${destination.registryId} in ${destination.region} is not in the replication configuration of the registry with id '${accountId}'`,
    );
  }
  const settings = ctx.store.registrySettings(accountId, ctx.region);
  settleBackfills(ctx);
  const running = settings.backfills.find(
    (b) =>
      b.destination.region === destination.region &&
      b.destination.registryId === destination.registryId &&
      ['PREPARING', 'IN_PROGRESS'].includes(phaseOf(b, ctx.now)),
  );
  if (running) {
    throw awsError(
      'ReplicationBackfillInProgressException',
      `A replication backfill to ${destination.registryId} in ${destination.region} is already in progress: '${running.id}'`,
    );
  }
  const images: BackfillImage[] = [];
  for (const repo of region.repositoryList) {
    const applies = rules.some(
      (r) => !r.repositoryFilters || r.repositoryFilters.length === 0 || r.repositoryFilters.some((f) => repo.name.startsWith(f.filter)),
    );
    if (!applies) continue;
    for (const image of repo.images) images.push({ repositoryName: repo.name, imageDigest: image.digest });
  }
  const progression = ctx.store.replicationProgression;
  const backfill: ReplicationBackfillRecord = {
    id: ctx.store.rng.uuid(),
    destination,
    startedAt: ctx.now,
    stepMs: progression.stepMs,
    images,
    failing: progression.failRegions.includes(destination.region),
    settled: 0,
  };
  settings.backfills.push(backfill);
  ctx.store.openBackfills++;
  return { replicationBackfillId: backfill.id, registryId: accountId, destination: { ...destination }, status: 'PREPARING', startedAt: new Date(ctx.now) };
};

function findBackfill(ctx: OpContext, accountId: string, id: string): ReplicationBackfillRecord {
  settleBackfills(ctx);
  const backfill = ctx.store.registrySettings(accountId, ctx.region).backfills.find((b) => b.id === id);
  if (!backfill)
    throw awsError('ReplicationBackfillNotFoundException', `The replication backfill with id '${id}' does not exist in the registry with id '${accountId}'`);
  return backfill;
}

export const StopReplicationBackfill: OperationHandler = (ctx, input) => {
  const accountId = targetAccount(ctx, input);
  const id = reqString(input, 'replicationBackfillId');
  const backfill = findBackfill(ctx, accountId, id);
  const phase = phaseOf(backfill, ctx.now);
  if (phase !== 'PREPARING' && phase !== 'IN_PROGRESS') {
    throw awsError('ReplicationBackfillInvalidStatusException', `The replication backfill with id '${id}' cannot be stopped because its status is ${phase}`);
  }
  backfill.stoppedAt = ctx.now;
  settleBackfills(ctx);
  return {
    registryId: accountId,
    replicationBackfillId: id,
    destination: { ...backfill.destination },
    status: 'STOPPING',
    startedAt: new Date(backfill.startedAt),
  };
};

export const ListReplicationBackfills: OperationHandler = (ctx, input) => {
  const accountId = targetAccount(ctx, input);
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  settleBackfills(ctx);
  const backfills = ctx.store.registrySettings(accountId, ctx.region).backfills;
  const key = `ListReplicationBackfills|${accountId}|${ctx.region}`;
  const { page, next } = pageByOffset(backfills, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { registryId: accountId, backfills: page.map((b) => summaryShape(b, ctx.now)) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

/** DescribeReplicationBackfillResults: the backfill's state and one result per image whose replication ended. */
export const DescribeReplicationBackfillResults: OperationHandler = (ctx, input) => {
  const accountId = targetAccount(ctx, input);
  const id = reqString(input, 'replicationBackfillId');
  const filter = optEnum(input, 'resultStatusFilter', ['COMPLETE', 'FAILED'] as const);
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  const backfill = findBackfill(ctx, accountId, id);
  const results = backfill.images.slice(0, backfill.settled).filter((i) => filter === undefined || i.status === filter);
  const key = `DescribeReplicationBackfillResults|${accountId}|${ctx.region}|${id}|${filter ?? ''}`;
  const { page, next } = pageByOffset(results, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { registryId: accountId, ...summaryShape(backfill, ctx.now) };
  out.results = page.map((i) => {
    const result: Record<string, unknown> = { repositoryName: i.repositoryName, imageId: { imageDigest: i.imageDigest }, status: i.status };
    if (i.failureCode) result.failureCode = i.failureCode;
    return result;
  });
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};
