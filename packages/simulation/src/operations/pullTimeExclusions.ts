import { awsError } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageByOffset } from '../internal/pagination.js';
import { optInt, optString, reqString } from '../internal/validate.js';
import type { OperationHandler } from './OpContext.js';
import { settingsOf } from './registryPolicy.js';

const principalPattern = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)\/[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;
/** How many principals a registry may exclude (the simulation's choice; the reference names no number). */
export const maxPullTimeExclusions = 25;

function readPrincipal(input: Record<string, unknown>): string {
  return reqString(input, 'principalArn', { max: 200, pattern: principalPattern });
}

export const RegisterPullTimeUpdateExclusion: OperationHandler = (ctx, input) => {
  const principalArn = readPrincipal(input);
  const exclusions = settingsOf(ctx).pullTimeExclusions;
  if (exclusions.some((e) => e.principalArn === principalArn)) {
    throw awsError(
      'ExclusionAlreadyExistsException',
      `The principal '${principalArn}' is already excluded from pull time updates in the registry with id '${ctx.accountId}'`,
    );
  }
  if (exclusions.length >= maxPullTimeExclusions) {
    throw awsError('LimitExceededException', `The registry with id '${ctx.accountId}' already has ${maxPullTimeExclusions} pull time update exclusions`);
  }
  exclusions.push({ principalArn, createdAt: ctx.now });
  return { principalArn, createdAt: new Date(ctx.now) };
};

export const DeregisterPullTimeUpdateExclusion: OperationHandler = (ctx, input) => {
  const principalArn = readPrincipal(input);
  const exclusions = settingsOf(ctx).pullTimeExclusions;
  const index = exclusions.findIndex((e) => e.principalArn === principalArn);
  if (index < 0) {
    throw awsError(
      'ExclusionNotFoundException',
      `The principal '${principalArn}' is not excluded from pull time updates in the registry with id '${ctx.accountId}'`,
    );
  }
  exclusions.splice(index, 1);
  return { principalArn };
};

/** ListPullTimeUpdateExclusions: principal ARNs in the order they were registered. */
export const ListPullTimeUpdateExclusions: OperationHandler = (ctx, input) => {
  const limit = optInt(input, 'maxResults', { min: 1, max: 1000 }) ?? 100;
  const exclusions = settingsOf(ctx).pullTimeExclusions;
  const key = `ListPullTimeUpdateExclusions|${ctx.accountId}|${ctx.region}`;
  const { page, next } = pageByOffset(exclusions, decodePageToken(optString(input, 'nextToken'), key), limit);
  const out: Record<string, unknown> = { pullTimeUpdateExclusions: page.map((e) => e.principalArn) };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};
