import { awsError, imageNotFound, invalidParamMessage } from '../internal/awsErrors.js';
import { homeOf, wildcardMatch } from '../internal/RegistryStore.js';
import type { SigningRuleRecord } from '../internal/registrySettings.js';
import type { ImageRecord, RepositoryRecord } from '../internal/state.js';
import { optList, reqEnum, reqList, reqString, reqStruct, structItems } from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, type OpContext, type OperationHandler } from './OpContext.js';
import { settingsOf } from './registryPolicy.js';

/** How long managed signing takes on the registry's clock before a status is COMPLETE. */
export const signingMs = 5000;

const profileArnPattern = /^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$/;
const filterPattern = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;

function configurationShape(rules: readonly SigningRuleRecord[]): Record<string, unknown> {
  return {
    rules: rules.map((r) =>
      r.repositoryFilters
        ? { signingProfileArn: r.signingProfileArn, repositoryFilters: r.repositoryFilters.map((f) => ({ ...f })) }
        : { signingProfileArn: r.signingProfileArn },
    ),
  };
}

function notFound(registryId: string) {
  return awsError('SigningConfigurationNotFoundException', `Signing configuration does not exist in the registry with id '${registryId}'`);
}

export const PutSigningConfiguration: OperationHandler = (ctx, input) => {
  const config = reqStruct(input, 'signingConfiguration');
  const rules = structItems(reqList(config, 'rules', { max: 10 }, 'signingConfiguration.rules'), 'signingConfiguration.rules').map((rule, i) => {
    const path = `signingConfiguration.rules.${i + 1}.member`;
    const out: SigningRuleRecord = {
      signingProfileArn: reqString(rule, 'signingProfileArn', { max: 200, pattern: profileArnPattern }, `${path}.signingProfileArn`),
    };
    const filters = optList(rule, 'repositoryFilters', { max: 100 }, `${path}.repositoryFilters`);
    if (filters) {
      out.repositoryFilters = structItems(filters, `${path}.repositoryFilters`).map((f, j) => {
        const fpath = `${path}.repositoryFilters.${j + 1}.member`;
        const filter = reqString(f, 'filter', { min: 1, max: 256, pattern: filterPattern }, `${fpath}.filter`);
        return { filter, filterType: reqEnum(f, 'filterType', ['WILDCARD_MATCH'] as const, `${fpath}.filterType`) };
      });
    }
    return out;
  });
  if (new Set(rules.map((r) => r.signingProfileArn)).size !== rules.length) {
    throw invalidParamMessage('Invalid parameter: a signing profile can only be used by one signing rule', 'signingConfiguration.rules');
  }
  settingsOf(ctx).signingRules = rules;
  return { signingConfiguration: configurationShape(rules) };
};

export const GetSigningConfiguration: OperationHandler = (ctx) => {
  const rules = settingsOf(ctx).signingRules;
  if (!rules) throw notFound(ctx.accountId);
  return { registryId: ctx.accountId, signingConfiguration: configurationShape(rules) };
};

export const DeleteSigningConfiguration: OperationHandler = (ctx) => {
  const settings = settingsOf(ctx);
  const rules = settings.signingRules;
  if (!rules) throw notFound(ctx.accountId);
  delete settings.signingRules;
  return { registryId: ctx.accountId, signingConfiguration: configurationShape(rules) };
};

/**
 * Start managed signing for a pushed image: one signing job per rule whose filters match the
 * repository (a rule without filters matches every repository). Referrers (signatures, SBOMs)
 * are not signed themselves.
 */
export function signOnPush(ctx: OpContext, repo: RepositoryRecord, image: ImageRecord): void {
  if (repo.public || image.subjectDigest) return;
  const rules = ctx.store.registrySettings(homeOf(repo), repo.region).signingRules;
  if (!rules) return;
  const profiles = rules
    .filter((r) => !r.repositoryFilters || r.repositoryFilters.length === 0 || r.repositoryFilters.some((f) => wildcardMatch(f.filter, repo.name)))
    .map((r) => r.signingProfileArn);
  if (profiles.length > 0) image.signing = profiles.map((signingProfileArn) => ({ signingProfileArn, startedAt: ctx.now, stepMs: signingMs }));
}

/** DescribeImageSigningStatus: IN_PROGRESS for `signingMs` after the push, then COMPLETE; no statuses for an image no rule matched. */
export const DescribeImageSigningStatus: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const id = reqStruct(input, 'imageId');
  const found = ctx.store.lookupImage(repo, id);
  if (!('image' in found)) {
    if (found.failureCode === 'ImageNotFound' || found.failureCode === 'ImageTagDoesNotMatchDigest') {
      throw imageNotFound({ imageDigest: id.imageDigest as string | undefined, imageTag: id.imageTag as string | undefined }, repo.name, repo.accountId);
    }
    throw invalidParamMessage(found.failureReason, 'imageId');
  }
  const image = found.image;
  return {
    repositoryName: repo.name,
    imageId: typeof id.imageTag === 'string' ? { imageDigest: image.digest, imageTag: id.imageTag } : { imageDigest: image.digest },
    registryId: repo.accountId,
    signingStatuses: (image.signing ?? []).map((s) => ({
      signingProfileArn: s.signingProfileArn,
      status: ctx.now - s.startedAt >= s.stepMs ? 'COMPLETE' : 'IN_PROGRESS',
    })),
  };
};
