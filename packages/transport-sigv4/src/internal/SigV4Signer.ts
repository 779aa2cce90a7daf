import type { Hashing, PreparedKey } from './hashing.js';

/** Resolved credentials with their secrets revealed, for the signer only; never logged. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** What the signer reads from a request. `headers` are the signed headers besides `x-amz-date`, names lower-case. */
export interface SignableRequest {
  method: string;
  /** The request path as sent, without query (ecrkit never sends one). */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array;
}

/** The headers a signature adds to the request. */
export interface SignatureHeaders {
  'x-amz-date': string;
  authorization: string;
}

interface ScopeEntry {
  secret: string;
  shortDate: string;
  region: string;
  service: string;
  scope: string;
  key: PreparedKey;
}

interface HeaderLayout {
  /** Header names as given, in the request's own order. */
  given: readonly string[];
  /** Header names in canonical (sorted) order, `x-amz-date` included. */
  names: readonly string[];
  signedHeaders: string;
}

const emptyBodyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const maxCachedKeys = 32;

/**
 * AWS Signature Version 4 for header-signed requests without a query string: the one shape
 * AWS JSON 1.1 needs. Byte-identical to `@smithy/signature-v4` with `applyChecksum: false`
 * (a fast-check property proves it), at a fraction of the cost: the derived signing key is
 * cached per (secret, date, region, service), the sorted header layout per header-name set,
 * and the canonical path per path.
 */
export class SigV4Signer {
  readonly #hashing: Hashing;
  readonly #keys = new Map<string, PreparedKey>();
  readonly #layouts = new Map<string, HeaderLayout>();
  readonly #paths = new Map<string, string>();
  // The previous request's scope and layout: a client signs the same ones over and over, and
  // comparing a few strings is cheaper than building and hashing a cache key.
  #lastScope: ScopeEntry | undefined;
  #lastLayout: HeaderLayout | undefined;
  #lastSecond = Number.NaN;
  #lastLongDate = '';

  constructor(hashing: Hashing) {
    this.#hashing = hashing;
  }

  /** The signature headers for `request`, signed at `dateMs` for `region` and `service`. */
  sign(request: SignableRequest, credentials: SigningCredentials, region: string, service: string, dateMs: number): SignatureHeaders {
    const hashing = this.#hashing;
    const longDate = this.#longDate(dateMs);
    const shortDate = longDate.slice(0, 8);
    const secret = credentials.secretAccessKey;
    let entry = this.#lastScope;
    if (entry === undefined || entry.shortDate !== shortDate || entry.region !== region || entry.service !== service || entry.secret !== secret) {
      entry = {
        secret,
        shortDate,
        region,
        service,
        scope: `${shortDate}/${region}/${service}/aws4_request`,
        key: this.#signingKey(secret, shortDate, region, service),
      };
      this.#lastScope = entry;
    }
    const scope = entry.scope;
    const layout = this.#sameLayout(request.headers) ?? this.#layout(request.headers);

    let canonicalHeaders = '';
    for (const name of layout.names) {
      const value = name === 'x-amz-date' ? longDate : request.headers[name]!;
      canonicalHeaders += `${name}:${trimValue(value)}\n`;
    }
    const body = request.body;
    const payloadHash = body.length === 0 ? emptyBodyHash : hashing.sha256Hex(body);
    const canonicalRequest = `${request.method}\n${this.#canonicalPath(request.path)}\n\n${canonicalHeaders}\n${layout.signedHeaders}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${hashing.sha256Hex(canonicalRequest)}`;
    const signature = hashing.hmacHex(entry.key, stringToSign);
    return {
      'x-amz-date': longDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${layout.signedHeaders}, Signature=${signature}`,
    };
  }

  #longDate(dateMs: number): string {
    const second = Math.floor(dateMs / 1000);
    if (second !== this.#lastSecond) {
      // 2015-08-30T12:36:00.000Z -> 20150830T123600Z
      const iso = new Date(second * 1000).toISOString();
      this.#lastLongDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
      this.#lastSecond = second;
    }
    return this.#lastLongDate;
  }

  #signingKey(secret: string, shortDate: string, region: string, service: string): PreparedKey {
    const cacheKey = `${shortDate}\n${region}\n${service}\n${secret}`;
    let key = this.#keys.get(cacheKey);
    if (key === undefined) {
      const hashing = this.#hashing;
      key = hashing.prepareKey(hashing.hmac(hashing.hmac(hashing.hmac(hashing.hmac(`AWS4${secret}`, shortDate), region), service), 'aws4_request'));
      if (this.#keys.size >= maxCachedKeys) this.#keys.delete(this.#keys.keys().next().value!);
      this.#keys.set(cacheKey, key);
    }
    return key;
  }

  /** The previous layout if `headers` has the same names in the same order. */
  #sameLayout(headers: Readonly<Record<string, string>>): HeaderLayout | undefined {
    const layout = this.#lastLayout;
    if (layout === undefined) return undefined;
    const given = layout.given;
    let i = 0;
    for (const name in headers) {
      if (given[i] !== name) return undefined;
      i++;
    }
    return i === given.length ? layout : undefined;
  }

  #layout(headers: Readonly<Record<string, string>>): HeaderLayout {
    const given = Object.keys(headers);
    const cacheKey = given.join('\n');
    let layout = this.#layouts.get(cacheKey);
    if (layout === undefined) {
      if (given.some((n) => n !== n.toLowerCase() || n === 'x-amz-date')) throw new TypeError('Signed header names must be lower-case, x-amz-date excluded');
      const names = [...given, 'x-amz-date'].sort();
      layout = { given, names, signedHeaders: names.join(';') };
      if (this.#layouts.size >= maxCachedKeys) this.#layouts.delete(this.#layouts.keys().next().value!);
      this.#layouts.set(cacheKey, layout);
    }
    this.#lastLayout = layout;
    return layout;
  }

  #canonicalPath(path: string): string {
    if (path === '/') return path;
    let canonical = this.#paths.get(path);
    if (canonical === undefined) {
      canonical = canonicalPath(path);
      if (this.#paths.size >= maxCachedKeys) this.#paths.delete(this.#paths.keys().next().value!);
      this.#paths.set(path, canonical);
    }
    return canonical;
  }
}

/** Header values are trimmed and inner runs of whitespace folded, as SigV4 requires. */
function trimValue(value: string): string {
  return needsTrim.test(value)
    ? value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/^ | $/g, '')
    : value;
}
const needsTrim = /[\r\n\t]|^ | $| {2}/;

/** Remove `.` and `..` segments and empty segments, then URI-encode each character but `/` (SigV4 for non-S3 services). */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment.length === 0 || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeURIComponent(normalized)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}
