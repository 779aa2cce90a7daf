import type { ServerResponse } from 'node:http';
import type { EcrError } from '@ecrkit/core-types';
import { DistributionCode } from '../../operations/distribution.js';

/** An error as the registry protocol sends it: HTTP status, distribution code, message. */
export interface DistributionFailure {
  status: number;
  code: string;
  message: string;
}

const distributionCodes = new Set<string>(Object.values(DistributionCode));

/**
 * The one table from the registry's errors to the distribution spec's answers, with the status
 * codes ECR answers with: codes raised by the `/v2/` operations pass through with their status;
 * ECR wire codes shared with the AWS API are translated (a missing repository is `404
 * NAME_UNKNOWN`, an immutable tag `400 TAG_INVALID` with ECR's wording); throttling is `429
 * TOOMANYREQUESTS`, server failures `500 UNKNOWN`, an unavailable service `503 UNAVAILABLE`, a
 * body over the server's limits `413 SIZE_INVALID`.
 */
export function distributionFailure(err: EcrError): DistributionFailure {
  const awsCode = err.awsCode ?? '';
  if (distributionCodes.has(awsCode)) return { status: err.statusCode ?? 400, code: awsCode, message: err.message };
  switch (awsCode) {
    case 'RepositoryNotFoundException':
      return { status: 404, code: DistributionCode.NameUnknown, message: err.message };
    case 'ImageNotFoundException':
      return { status: 404, code: DistributionCode.ManifestUnknown, message: err.message };
    case 'LayersNotFoundException':
      return { status: 404, code: DistributionCode.BlobUnknown, message: err.message };
    case 'ImageTagAlreadyExistsException':
      return { status: 400, code: DistributionCode.TagInvalid, message: err.message };
    case 'ImageDigestDoesNotMatchException':
      return { status: 400, code: DistributionCode.DigestInvalid, message: err.message };
    case 'AccessDeniedException':
      return { status: 403, code: DistributionCode.Denied, message: err.message };
    case 'ThrottlingException':
      return { status: 429, code: DistributionCode.TooManyRequests, message: err.message };
    case 'ServiceUnavailableException':
      return { status: 503, code: 'UNAVAILABLE', message: err.message };
    case 'RequestEntityTooLargeException':
      return { status: 413, code: DistributionCode.SizeInvalid, message: err.message };
    default: {
      const status = err.statusCode ?? 500;
      return status >= 500
        ? { status, code: 'UNKNOWN', message: 'An internal error occurred in the simulated registry' }
        : { status, code: DistributionCode.Unsupported, message: err.message };
    }
  }
}

/** Send `{"errors":[{"code","message"}]}` (unless an answer already started), with extra headers such as `WWW-Authenticate`. */
export function sendFailure(res: ServerResponse, failure: DistributionFailure, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ errors: [{ code: failure.code, message: failure.message }] });
  res.writeHead(failure.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answer an `EcrError` in the distribution spec's form, with `Retry-After` when it says when to retry. */
export function sendEcrFailure(res: ServerResponse, err: EcrError): void {
  const retry: Record<string, string> = err.retryAfterMs !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) } : {};
  sendFailure(res, distributionFailure(err), retry);
}
