import { isValidDigest } from '@ecrkit/core-types';
import { invalidParam } from '../internal/awsErrors.js';
import { decodePageToken, encodePageToken, pageBySeq } from '../internal/pagination.js';
import { referrersOf } from '../internal/referrers.js';
import { optEnum, optInt, optList, optString, optStruct, reqString, reqStruct, stringItems } from '../internal/validate.js';
import { repositoryName } from './names.js';
import { repositoryFrom, type OperationHandler } from './OpContext.js';

/**
 * ListImageReferrers: the images of the repository whose manifest names the subject digest as
 * its `subject` (signatures, SBOMs, attestations), in push order, filtered by artifact type and
 * status (ACTIVE unless the filter says otherwise). A subject the repository does not hold simply
 * has no referrers, as in the OCI referrers API.
 */
export const ListImageReferrers: OperationHandler = (ctx, input) => {
  const repo = repositoryFrom(ctx, input, repositoryName(ctx));
  const subject = reqStruct(input, 'subjectId');
  const digest = reqString(subject, 'imageDigest', {}, 'subjectId.imageDigest');
  if (!isValidDigest(digest)) throw invalidParam('subjectId.imageDigest', "must satisfy regular expression 'sha256:[a-f0-9]{64}'");
  const filter = optStruct(input, 'filter');
  const typesList = filter ? optList(filter, 'artifactTypes', { min: 1, max: 5 }, 'filter.artifactTypes') : undefined;
  const artifactTypes = typesList ? stringItems(typesList, 'filter.artifactTypes', { min: 1, max: 255 }) : undefined;
  const artifactStatus = filter ? optEnum(filter, 'artifactStatus', ['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'] as const, 'filter.artifactStatus') : undefined;
  const limit = optInt(input, 'maxResults', { min: 1, max: 50 }) ?? 20;
  const all = referrersOf(repo, digest, { ...(artifactTypes ? { artifactTypes } : {}), ...(artifactStatus ? { artifactStatus } : {}), now: ctx.now });
  const key = `ListImageReferrers|${repo.accountId}|${repo.region}|${repo.name}|${digest}|${(artifactTypes ?? []).join(',')}|${artifactStatus ?? 'ACTIVE'}`;
  const withSeq = all.map((r) => ({ seq: r.image.seq, r }));
  const { page, next } = pageBySeq(withSeq, decodePageToken(optString(input, 'nextToken'), key), limit, () => true);
  const out: Record<string, unknown> = {
    referrers: page.map(({ r }) => {
      const referrer: Record<string, unknown> = { digest: r.digest, mediaType: r.mediaType };
      if (r.artifactType !== undefined) referrer.artifactType = r.artifactType;
      referrer.size = r.size;
      if (r.annotations) referrer.annotations = r.annotations;
      referrer.artifactStatus = r.artifactStatus;
      return referrer;
    }),
  };
  if (next) out.nextToken = encodePageToken(next, key);
  return out;
};
