import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { EcrError, isValidRegion, type SecretString } from '@ecrkit/core-types';

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

/** The one signing algorithm AWS accepts. */
export const algorithm = 'AWS4-HMAC-SHA256';
const maxSkewMs = 15 * 60 * 1000;
/** `AKID/YYYYMMDD/region/service/aws4_request`. */
export const credentialRe = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

// Each failure carries the code, status and wording real ECR answers with (observed: 400 for
// a bad key or signature, "Signature expired: ... - 15 min." for an old X-Amz-Date).
function incomplete(message: string): EcrError {
  return new EcrError({ kind: 'InvalidSignature', awsCode: 'IncompleteSignatureException', statusCode: 400, message });
}
function invalidSignature(message: string): EcrError {
  return new EcrError({ kind: 'InvalidSignature', awsCode: 'InvalidSignatureException', statusCode: 400, message });
}

/**
 * `InvalidSignatureException` for a credential scope whose region is not a region name (core-types'
 * `isValidRegion`): the region picks the state a request acts on, so `..`, `x` or a 200-character
 * name must not create one. Wording as AWS answers a scope with an unknown region.
 */
export function invalidRegion(region: string): EcrError {
  return invalidSignature(`Credential should be scoped to a valid region, not '${region.slice(0, 64)}'. `);
}

/** The region of a credential scope when it is a valid region name; throws {@link invalidRegion} otherwise. */
export function checkedRegion(region: string): string {
  if (!isValidRegion(region)) throw invalidRegion(region);
  return region;
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
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function safeDecode(value: string): string {
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

export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
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
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

export function formatAmzDate(ms: number): string {
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

/** A request whose headers passed every check that needs no body; only the signature is left. */
export interface SigV4Preflight {
  /** Who signed it, if the signature turns out valid. */
  readonly identity: SigV4Identity;
  /** Check the signature over the body that arrived; throws `InvalidSignatureException` when it does not match. */
  verifyPayload(body: Uint8Array): SigV4Identity;
}

/**
 * The checks of {@link verifySigV4} that need only the headers: presence and form of
 * `Authorization`, `X-Amz-Date` and its skew, the credential scope's region and service, and a
 * known access key. The server runs them before it reads a body, so a request that cannot be
 * authentic costs no body memory.
 */
export function verifySigV4Headers(request: Omit<SigV4Request, 'body'>, options: VerifySigV4Options): SigV4Preflight {
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
  checkedRegion(auth.region);
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    throw invalidSignature(`Credential should be scoped to correct service: '${options.expectedService}'. `);
  }

  const credential = options.credentialFor(auth.accessKeyId);
  if (!credential) throw unrecognizedClient();
  checkSkew(amzDate, signedAt, options.now);

  const identity: SigV4Identity = {
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    accountId: credential.accountId,
    hasSessionToken: headers.has('x-amz-security-token'),
  };
  return {
    identity,
    verifyPayload(body) {
      // Always the hash of the bytes received: a client's x-amz-content-sha256 header is signed
      // as a header, but the payload line must describe the body that actually arrived.
      const valid = signatureMatches({
        method: request.method,
        url: request.url,
        headers,
        signedHeaders: auth.signedHeaders,
        payloadHash: sha256Hex(body),
        amzDate,
        scope: auth,
        secret: credential.secretAccessKey,
        signature: auth.signature,
        keyCache: options.keyCache,
      });
      if (!valid) throw signatureMismatch();
      return identity;
    },
  };
}

/**
 * Verify an AWS Signature Version 4 `Authorization` header, as AWS does, and return who signed it.
 * Throws `EcrError` (kind `InvalidSignature`) with AWS's code and wording:
 * `MissingAuthenticationTokenException` (no header), `IncompleteSignatureException` (malformed
 * header or missing date), `UnrecognizedClientException` (unknown access key),
 * `InvalidSignatureException` (wrong signature, wrong service, a region that is not a region
 * name, or a date more than 15 minutes off).
 */
export function verifySigV4(request: SigV4Request, options: VerifySigV4Options): SigV4Identity {
  return verifySigV4Headers(request, options).verifyPayload(request.body);
}

// `UnrecognizedClientException`: the access key is not one the server knows.
function unrecognizedClient(): EcrError {
  return new EcrError({
    kind: 'InvalidSignature',
    awsCode: 'UnrecognizedClientException',
    statusCode: 400,
    message: 'The security token included in the request is invalid.',
  });
}

// `InvalidSignatureException` with AWS's wording for a signature that does not match.
function signatureMismatch(): EcrError {
  return invalidSignature(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

function checkSkew(amzDate: string, signedAt: number, now: number): void {
  if (signedAt < now - maxSkewMs) {
    throw invalidSignature(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkewMs)} (${formatAmzDate(now)} - 15 min.)`);
  }
  if (signedAt > now + maxSkewMs) {
    throw invalidSignature(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkewMs)} (${formatAmzDate(now)} + 15 min.)`);
  }
}

/** What {@link computeSignature} signs: the parts of a canonical request and its credential scope. */
export interface SignatureInput {
  method: string;
  /** The request target: raw path plus optional `?query` (`X-Amz-Signature` in it is left out). */
  url: string;
  headers: ReadonlyMap<string, readonly string[]>;
  signedHeaders: readonly string[];
  payloadHash: string;
  amzDate: string;
  scope: { date: string; region: string; service: string };
  secret: string | SecretString;
  keyCache?: SigningKeyCache;
}

/** The hex SigV4 signature of a request (header or query authentication alike). */
export function computeSignature(input: SignatureInput): string {
  return signatureBytes(input).toString('hex');
}

function signatureBytes(input: SignatureInput): Buffer {
  const q = input.url.indexOf('?');
  const path = q < 0 ? input.url : input.url.slice(0, q);
  const query = q < 0 ? '' : input.url.slice(q + 1);
  let canonicalHeaders = '';
  for (const name of input.signedHeaders) {
    const values = input.headers.get(name) ?? [];
    canonicalHeaders += `${name}:${values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`;
  }
  const canonicalRequest = `${input.method}\n${canonicalPath(path)}\n${canonicalQuery(query)}\n${canonicalHeaders}\n${input.signedHeaders.join(';')}\n${input.payloadHash}`;
  const { date, region, service } = input.scope;
  const stringToSign = `${algorithm}\n${input.amzDate}\n${date}/${region}/${service}/aws4_request\n${sha256Hex(canonicalRequest)}`;
  const secret = typeof input.secret === 'string' ? input.secret : input.secret.reveal();
  const key = (input.keyCache ?? defaultKeyCache).key(secret, date, region, service);
  return createHmac('sha256', key).update(stringToSign).digest();
}

/** Whether `signature` (hex, as sent) is the signature of `input`, compared in constant time. */
export function signatureMatches(input: SignatureInput & { signature: string }): boolean {
  if (!/^[0-9a-f]{64}$/.test(input.signature)) return false;
  return timingSafeEqual(signatureBytes(input), Buffer.from(input.signature, 'hex'));
}

const defaultKeyCache = new SigningKeyCache();
