import { EcrError } from '@ecrkit/core-types';
import {
  algorithm,
  checkedRegion,
  computeSignature,
  credentialRe,
  escapeUri,
  formatAmzDate,
  headerValues,
  missingAuthentication,
  parseAmzDate,
  safeDecode,
  signatureMatches,
  type SigningKeyCache,
  type SigV4Credential,
} from './verifySigV4.js';

// SigV4 query authentication ("presigned URLs"), as S3 serves ECR's layer downloads: the
// signature covers method, path, every query parameter but the signature, and the Host header;
// the payload is UNSIGNED-PAYLOAD. X-Amz-Expires counts from X-Amz-Date on the server's clock.

/** SigV4's ceiling for X-Amz-Expires: seven days. */
export const maxPresignedTtlSeconds = 7 * 24 * 3600;
const unsignedPayload = 'UNSIGNED-PAYLOAD';

/** What {@link presignUrl} needs: the URL to sign and who signs it, when, for how long. */
export interface PresignOptions {
  credential: SigV4Credential;
  region: string;
  service: string;
  /** Signing time, epoch milliseconds (the server's clock). */
  now: number;
  /** Lifetime from `now`, 1 s to 7 days. */
  expiresSeconds: number;
  keyCache?: SigningKeyCache;
}

/**
 * A presigned GET URL: `url` plus `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
 * `X-Amz-Expires`, `X-Amz-SignedHeaders=host` and `X-Amz-Signature`. `url` must have no query;
 * its host (with port) is the Host header clients will send.
 */
export function presignUrl(url: URL, options: PresignOptions): string {
  const amzDate = formatAmzDate(options.now);
  const scope = { date: amzDate.slice(0, 8), region: options.region, service: options.service };
  const params: [string, string][] = [
    ['X-Amz-Algorithm', algorithm],
    ['X-Amz-Credential', `${options.credential.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(options.expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = params.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join('&');
  const target = `${url.pathname}?${query}`;
  const signature = computeSignature({
    method: 'GET',
    url: target,
    headers: new Map([['host', [url.host]]]),
    signedHeaders: ['host'],
    payloadHash: unsignedPayload,
    amzDate,
    scope,
    secret: options.credential.secretAccessKey,
    keyCache: options.keyCache,
  });
  return `${url.origin}${target}&X-Amz-Signature=${signature}`;
}

/** A GET or HEAD as it arrived: method, raw target and raw headers. */
export interface PresignedRequest {
  method: string;
  url: string;
  rawHeaders: readonly string[];
}

/** Options of {@link verifyPresignedUrl}. */
export interface VerifyPresignedOptions {
  credentialFor(accessKeyId: string): SigV4Credential | undefined;
  /** The server's clock, epoch milliseconds. */
  now: number;
  keyCache?: SigningKeyCache;
}

/** Whether a request target carries SigV4 query authentication at all. */
export function hasPresignedQuery(url: string): boolean {
  const q = url.indexOf('?');
  return q >= 0 && /(?:^|&)X-Amz-(?:Algorithm|Signature|Credential)=/i.test(url.slice(q + 1));
}

// Answers are 403 as S3's are for presigned URLs, with the AWS JSON codes the rest of the server uses.
function denied(awsCode: string, message: string): EcrError {
  return new EcrError({ kind: 'AccessDenied', awsCode, statusCode: 403, message });
}

/**
 * Verify a presigned URL as S3 does and return the access key that signed it. A HEAD may use a
 * URL presigned for GET (it reveals nothing a GET would not). Throws `EcrError` with status 403:
 * `MissingAuthenticationTokenException` (no query authentication), `IncompleteSignatureException`
 * (a parameter missing or malformed), `UnrecognizedClientException` (unknown key),
 * `AccessDeniedException` (`Request has expired`, or not yet valid), `InvalidSignatureException`
 * (anything changed: path, parameters, Host).
 */
export function verifyPresignedUrl(request: PresignedRequest, options: VerifyPresignedOptions): { accessKeyId: string; region: string } {
  const q = request.url.indexOf('?');
  if (q < 0) throw forbidden(missingAuthentication());
  const params = new Map<string, string>();
  for (const part of request.url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1)));
  }
  if (![...params.keys()].some((k) => k.startsWith('X-Amz-'))) throw forbidden(missingAuthentication());
  const incomplete = (message: string) => denied('IncompleteSignatureException', message);

  if (params.get('X-Amz-Algorithm') !== algorithm) throw incomplete(`X-Amz-Algorithm must be ${algorithm}.`);
  const credential = credentialRe.exec(params.get('X-Amz-Credential') ?? '');
  if (!credential) throw incomplete("X-Amz-Credential must be 'AKID/YYYYMMDD/region/service/aws4_request'.");
  const [, accessKeyId, date, region, service] = credential as unknown as [string, string, string, string, string];
  const amzDate = params.get('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== date) throw incomplete('X-Amz-Date must be the ISO-8601 basic time of the credential scope.');
  const expiresText = params.get('X-Amz-Expires') ?? '';
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expires >= 1 && expires <= maxPresignedTtlSeconds))
    throw incomplete(`X-Amz-Expires must be a whole number of seconds from 1 to ${maxPresignedTtlSeconds}.`);
  const signedHeaders = (params.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host')) throw incomplete("X-Amz-SignedHeaders must include 'host'.");
  const signature = params.get('X-Amz-Signature');
  if (signature === undefined) throw incomplete('X-Amz-Signature is missing.');
  try {
    checkedRegion(region);
  } catch (err) {
    throw forbidden(err as EcrError);
  }

  const key = options.credentialFor(accessKeyId);
  if (!key) throw denied('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const valid = signatureMatches({
    method: request.method === 'HEAD' ? 'GET' : request.method,
    url: request.url,
    headers: headerValues(request.rawHeaders),
    signedHeaders,
    payloadHash: unsignedPayload,
    amzDate,
    scope: { date, region, service },
    secret: key.secretAccessKey,
    signature,
    keyCache: options.keyCache,
  });
  if (!valid) throw denied('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
  // Expiry is judged only for an authentic URL, so the answer tells nothing about forged ones.
  if (options.now > signedAt + expires * 1000) throw denied('AccessDeniedException', 'Request has expired');
  if (signedAt > options.now + 15 * 60 * 1000) throw denied('AccessDeniedException', 'Request is not yet valid');
  return { accessKeyId, region };
}

function forbidden(err: EcrError): EcrError {
  return denied(err.awsCode ?? 'AccessDeniedException', err.message);
}
