import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { EcrError, type SecretString } from '@ecrkit/core-types';

/** A key pair the server accepts, and the account its requests act in. */
export interface SigV4Credential {
  accessKeyId: string;
  secretAccessKey: string | SecretString;
  /** The account the key belongs to; the registry's default account when absent. */
  accountId?: string;
}

/** What the verifier needs of a request, as it arrived on the socket. */
export interface SigV4Request {
  method: string;
  /** The request target as sent: raw path plus optional `?query`. */
  url: string;
  /** Node's `rawHeaders`: alternating names and values, in arrival order. */
  rawHeaders: readonly string[];
  body: Uint8Array;
}

/** Who signed a request and for which scope. */
export interface SigV4Identity {
  accessKeyId: string;
  region: string;
  service: string;
  accountId: string | undefined;
  /** Whether the request carried `x-amz-security-token` (accepted, not checked). */
  hasSessionToken: boolean;
}

/** The parsed `Authorization` header of a SigV4 request. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const algorithm = 'AWS4-HMAC-SHA256';
const maxSkewMs = 15 * 60 * 1000;
const credentialRe = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

// Each failure carries the code, status and wording real ECR answers with (observed: 400 for
// a bad key or signature, "Signature expired: ... - 15 min." for an old X-Amz-Date).
function incomplete(message: string): EcrError {
  return new EcrError({ kind: 'InvalidSignature', awsCode: 'IncompleteSignatureException', statusCode: 400, message });
}
function invalidSignature(message: string): EcrError {
  return new EcrError({ kind: 'InvalidSignature', awsCode: 'InvalidSignatureException', statusCode: 400, message });
}

/** `MissingAuthenticationTokenException` for an unsigned request to a server that requires signatures. */
export function missingAuthentication(): EcrError {
  return new EcrError({
    kind: 'InvalidSignature',
    awsCode: 'MissingAuthenticationTokenException',
    statusCode: 403,
    message: 'Missing Authentication Token',
  });
}

/**
 * Parse `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/ecr/aws4_request, SignedHeaders=..., Signature=...`.
 * Returns `undefined` for anything else; never throws.
 */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  if (!header?.startsWith(algorithm)) return undefined;
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of header.slice(algorithm.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'Credential') credential = value;
    else if (key === 'SignedHeaders') signedHeaders = value;
    else if (key === 'Signature') signature = value;
  }
  const scope = credential === undefined ? null : credentialRe.exec(credential);
  if (!scope || signedHeaders === undefined || signature === undefined) return undefined;
  return {
    accessKeyId: scope[1]!,
    date: scope[2]!,
    region: scope[3]!,
    service: scope[4]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** The region of a signed request's credential scope, without verifying anything (the fast path). */
export function regionFromAuthorization(header: string | undefined): { region: string; accessKeyId: string } | undefined {
  if (!header) return undefined;
  const start = header.indexOf('Credential=');
  if (start < 0) return undefined;
  const end = header.indexOf(',', start);
  const match = credentialRe.exec(header.slice(start + 11, end < 0 ? undefined : end).trim());
  return match ? { accessKeyId: match[1]!, region: match[3]! } : undefined;
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 requires.
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

// Non-S3 services normalise dot segments and encode the (already encoded) path once more,
// exactly as @smithy/signature-v4's getCanonicalPath does with uriEscapePath on.
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query.length === 0) return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeUri(safeDecode(key)), escapeUri(safeDecode(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = map.get(name);
    if (list) list.push(rawHeaders[i + 1]!);
    else map.set(name, [rawHeaders[i + 1]!]);
  }
  return map;
}

/** SigV4's `YYYYMMDDTHHMMSSZ`, or `undefined` when the text is not one. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A cache of derived signing keys: four HMACs per (secret, date, region, service) instead of per request. */
export class SigningKeyCache {
  readonly #keys = new Map<string, Buffer>();

  key(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const id = `${date}/${region}/${service}/${secretAccessKey}`;
    let key = this.#keys.get(id);
    if (!key) {
      const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
      const kRegion = createHmac('sha256', kDate).update(region).digest();
      const kService = createHmac('sha256', kRegion).update(service).digest();
      key = createHmac('sha256', kService).update('aws4_request').digest();
      if (this.#keys.size > 1000) this.#keys.clear();
      this.#keys.set(id, key);
    }
    return key;
  }
}

/** Options for {@link verifySigV4}. */
export interface VerifySigV4Options {
  /** Find the credential for an access key id; `undefined` means the key is unknown. */
  credentialFor(accessKeyId: string): SigV4Credential | undefined;
  /** The server's clock, epoch milliseconds; `X-Amz-Date` must lie within 15 minutes of it. */
  now: number;
  /** The signing name the target API requires (`ecr`, `ecr-public`); unchecked when absent. */
  expectedService?: string;
  keyCache?: SigningKeyCache;
}

/**
 * Verify an AWS Signature Version 4 `Authorization` header, as AWS does, and return who signed it.
 * Throws `EcrError` (kind `InvalidSignature`) with AWS's code and wording:
 * `MissingAuthenticationTokenException` (no header), `IncompleteSignatureException` (malformed
 * header or missing date), `UnrecognizedClientException` (unknown access key),
 * `InvalidSignatureException` (wrong signature, wrong service, or a date more than 15 minutes off).
 */
export function verifySigV4(request: SigV4Request, options: VerifySigV4Options): SigV4Identity {
  const headers = headerValues(request.rawHeaders);
  const authHeader = headers.get('authorization')?.[0];
  if (authHeader === undefined) throw missingAuthentication();
  const auth = parseAuthorization(authHeader);
  if (!auth) {
    throw incomplete(
      authHeader.startsWith(algorithm)
        ? "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and a credential scope of the form 'AKID/YYYYMMDD/region/service/aws4_request'."
        : `Unsupported authorization type; only ${algorithm} is accepted.`,
    );
  }
  if (!auth.signedHeaders.includes('host')) throw incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");

  const amzDate = headers.get('x-amz-date')?.[0]?.trim();
  if (amzDate === undefined) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate.slice(0, 32)}'.`);
  if (amzDate.slice(0, 8) !== auth.date) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    throw invalidSignature(`Credential should be scoped to correct service: '${options.expectedService}'. `);
  }

  const credential = options.credentialFor(auth.accessKeyId);
  if (!credential) {
    throw new EcrError({
      kind: 'InvalidSignature',
      awsCode: 'UnrecognizedClientException',
      statusCode: 400,
      message: 'The security token included in the request is invalid.',
    });
  }

  if (signedAt < options.now - maxSkewMs) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(options.now - maxSkewMs)} (${formatAmzDate(options.now)} - 15 min.)`,
    );
  }
  if (signedAt > options.now + maxSkewMs) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(options.now + maxSkewMs)} (${formatAmzDate(options.now)} + 15 min.)`,
    );
  }

  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const query = q < 0 ? '' : request.url.slice(q + 1);
  let canonicalHeaders = '';
  for (const name of auth.signedHeaders) {
    const values = headers.get(name) ?? [];
    canonicalHeaders += `${name}:${values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`;
  }
  // Always the hash of the bytes received: a client's x-amz-content-sha256 header is signed
  // as a header, but the payload line must describe the body that actually arrived.
  const payloadHash = sha256Hex(request.body);
  const canonicalRequest = `${request.method}\n${canonicalPath(path)}\n${canonicalQuery(query)}\n${canonicalHeaders}\n${auth.signedHeaders.join(';')}\n${payloadHash}`;
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `${algorithm}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;

  const secretValue = typeof credential.secretAccessKey === 'string' ? credential.secretAccessKey : credential.secretAccessKey.reveal();
  const key = (options.keyCache ?? defaultKeyCache).key(secretValue, auth.date, auth.region, auth.service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const provided = /^[0-9a-f]{64}$/.test(auth.signature) ? Buffer.from(auth.signature, 'hex') : undefined;
  if (!provided || !timingSafeEqual(expected, provided)) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return {
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    accountId: credential.accountId,
    hasSessionToken: headers.has('x-amz-security-token'),
  };
}

const defaultKeyCache = new SigningKeyCache();
