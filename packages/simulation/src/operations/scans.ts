import { awsError, imageNotFound, invalidParamMessage, scanNotFound } from '../internal/awsErrors.js';
import { toBasicFinding, toEnhancedFinding, severityCounts } from '../internal/findings.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import type { ImageRecord, RepositoryRecord } from '../internal/state.js';
import { imageStatus } from '../internal/storageClass.js';
import { optEnum, optInt, optList, optString, reqList, reqStruct, stringItems, structItems, type Input } from '../internal/validate.js';
import { checkRepositoryName, repositoryName } from './names.js';
import { repositoryFrom, type OpContext, type OperationHandler } from './OpContext.js';
import { scanDescription } from './shapes.js';

const dayMs = 24 * 3600_000;

function imageFromId(ctx: OpContext, repo: RepositoryRecord, input: Input): { image: ImageRecord; id: Input } {
  const id = reqStruct(input, 'imageId');
  const found = ctx.store.lookupImage(repo, id);
  if ('image' in found) return { image: found.image, id };
  if (found.failureCode === 'ImageNotFound' || found.failureCode === 'ImageTagDoesNotMatchDigest') {
    throw imageNotFound({ imageDigest: id.imageDigest as string | undefined, imageTag: id.imageTag as string | undefined }, repo.name, repo.accountId);
  }
  throw invalidParamMessage(found.failureReason, 'imageId');
}

function imageIdOut(image: ImageRecord, id: Input): { imageDigest: string; imageTag?: string } {
  return typeof id.imageTag === 'string' ? { imageDigest: image.digest, imageTag: id.imageTag } : { imageDigest: image.digest };
}

/** StartImageScan: basic scans are limited to one per image per 24 hours, as in ECR. */
export const StartImageScan: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const { image, id } = imageFromId(ctx, repo, input);
  if (image.kind === 'index')
    throw awsError('UnsupportedImageTypeException', 'The image type is not supported. Scanning is not supported for manifest lists or image indexes.');
  if (imageStatus(image, ctx.now) !== 'ACTIVE') throw awsError('ImageArchivedException', 'The specified image is archived and cannot be scanned.');
  const previous = image.scan;
  if (previous && !previous.fixture && !previous.enhanced && ctx.now - previous.startedAt < dayMs) {
    throw awsError('LimitExceededException', 'The scan quota per image has been exceeded. Wait and try again.');
  }
  const scan = ctx.store.startScan(repo, image, ctx.now);
  // A scan has just started; moto says IN_PROGRESS even though its scans are complete at once.
  const status = ctx.strict ? scan.sequence[0]! : 'IN_PROGRESS';
  const description = scanDescription(status);
  return {
    registryId: repo.accountId,
    repositoryName: repo.name,
    imageId: imageIdOut(image, id),
    imageScanStatus: description === undefined ? { status } : { status, description },
  };
};

/**
 * DescribeImageScanFindings: the scan's status, and once it is complete the findings, paginated
 * (basic `findings` or `enhancedFindings`). Each call counts as one poll for poll-driven progressions.
 */
export const DescribeImageScanFindings: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const { image, id } = imageFromId(ctx, repo, input);
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  const key = `DescribeImageScanFindings|${repo.accountId}|${repo.region}|${repo.name}|${image.digest}`;
  const position = decodePageToken(optString(input, 'nextToken'), key);
  const view = ctx.store.scanView(repo, image, ctx.now, position === undefined);
  if (!view || !image.scan) {
    throw scanNotFound({ imageDigest: id.imageDigest as string | undefined, imageTag: id.imageTag as string | undefined }, repo.name, repo.accountId);
  }
  const description = scanDescription(view.status);
  const out: Record<string, unknown> = {
    registryId: repo.accountId,
    repositoryName: repo.name,
    imageId: imageIdOut(image, id),
    imageScanStatus: description === undefined ? { status: view.status } : { status: view.status, description },
  };
  if (!view.terminal || (view.status !== 'COMPLETE' && view.status !== 'ACTIVE')) return out;
  const completedAt = view.completedAt ?? ctx.now;
  const findings = image.findings ?? [];
  const { page, next } = pageByOffset(findings, position, limit);
  const scanFindings: Record<string, unknown> = {
    imageScanCompletedAt: new Date(completedAt),
    vulnerabilitySourceUpdatedAt: new Date(completedAt - 3600_000),
    findingSeverityCounts: severityCounts(findings),
  };
  if (image.scan.enhanced) {
    const base = position ? position.k + 1 : 0;
    scanFindings.enhancedFindings = page.map((f, i) =>
      toEnhancedFinding(f, base + i, {
        accountId: repo.accountId,
        region: repo.region,
        repositoryName: repo.name,
        imageDigest: image.digest,
        imageTags: image.tags,
        pushedAt: image.pushedAt,
        observedAt: completedAt,
        ...(image.platform !== undefined ? { platform: image.platform } : {}),
      }),
    );
  } else {
    scanFindings.findings = page.map(toBasicFinding);
  }
  out.imageScanFindings = scanFindings;
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};

const scanTypes = ['BASIC', 'ENHANCED'] as const;
const frequencies = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN', 'MANUAL'] as const;

export const GetRegistryScanningConfiguration: OperationHandler = (ctx) => {
  const region = ctx.store.region(ctx.accountId, ctx.region);
  return {
    registryId: ctx.accountId,
    scanningConfiguration: {
      scanType: region.scanType,
      rules: region.scanningRules.map((r) => ({ scanFrequency: r.scanFrequency, repositoryFilters: r.repositoryFilters.map((f) => ({ ...f })) })),
    },
  };
};

export const PutRegistryScanningConfiguration: OperationHandler = (ctx, input) => {
  const scanType = optEnum(input, 'scanType', scanTypes);
  const rulesList = optList(input, 'rules', { max: 2 });
  const rules = (rulesList ? structItems(rulesList, 'rules') : []).map((rule, i) => {
    const path = `rules.${i + 1}.member`;
    const scanFrequency = optEnum(rule, 'scanFrequency', frequencies, `${path}.scanFrequency`);
    if (scanFrequency === undefined)
      throw invalidParamMessage(
        `Invalid parameter at '${path}.scanFrequency' failed to satisfy constraint: 'Member must not be null'`,
        `${path}.scanFrequency`,
      );
    const filters = optList(rule, 'repositoryFilters', { max: 100 }, `${path}.repositoryFilters`) ?? [];
    const repositoryFilters = structItems(filters, `${path}.repositoryFilters`).map((f, j) => {
      const fpath = `${path}.repositoryFilters.${j + 1}.member`;
      const filter = optString(f, 'filter', { min: 1, max: 255, pattern: /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/ }, `${fpath}.filter`);
      if (filter === undefined)
        throw invalidParamMessage(`Invalid parameter at '${fpath}.filter' failed to satisfy constraint: 'Member must not be null'`, `${fpath}.filter`);
      optEnum(f, 'filterType', ['WILDCARD'] as const, `${fpath}.filterType`);
      return { filter, filterType: 'WILDCARD' as const };
    });
    if (scanFrequency === 'CONTINUOUS_SCAN' && scanType !== 'ENHANCED') {
      throw awsError('ValidationException', 'CONTINUOUS_SCAN scan frequency is only supported for ENHANCED scan type');
    }
    return { scanFrequency, repositoryFilters };
  });
  const region = ctx.store.region(ctx.accountId, ctx.region);
  region.scanType = scanType ?? 'BASIC';
  region.scanningRules = rules;
  return {
    registryScanningConfiguration: {
      scanType: region.scanType,
      rules: rules.map((r) => ({ scanFrequency: r.scanFrequency, repositoryFilters: r.repositoryFilters.map((f) => ({ ...f })) })),
    },
  };
};

/**
 * BatchGetRepositoryScanningConfiguration: each repository's effective scanning, from the
 * registry's rules (the matching rule that scans most, with its matching filters) or, with none,
 * the repository's own scan-on-push setting; `scanOnPush` is always the repository's own setting.
 * Unknown repositories are failures, not errors.
 */
export const BatchGetRepositoryScanningConfiguration: OperationHandler = (ctx, input) => {
  const names = stringItems(reqList(input, 'repositoryNames', { min: 1, max: 25 }), 'repositoryNames').map((n, i) =>
    checkRepositoryName(n, false, `repositoryNames.${i + 1}.member`),
  );
  const scanningConfigurations: unknown[] = [];
  const failures: unknown[] = [];
  for (const name of names) {
    const repo = ctx.store.findRepository(ctx.accountId, ctx.region, name);
    if (!repo) {
      failures.push({ repositoryName: name, failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' });
      continue;
    }
    const { scanFrequency, appliedScanFilters } = ctx.store.repositoryScanning(repo);
    scanningConfigurations.push({
      repositoryArn: ctx.store.repositoryArn(repo),
      repositoryName: repo.name,
      scanOnPush: repo.scanOnPush,
      scanFrequency,
      appliedScanFilters,
    });
  }
  return { scanningConfigurations, failures };
};
