import { EcrError, isEcrError, type AwsCredentials, type AwsCredentialsProvider, type Clock } from '@ecrkit/core-types';

/** Refresh this long before the credentials expire, as the AWS SDKs do. */
const refreshBeforeExpiryMs = 5 * 60_000;

/**
 * Credentials cached until five minutes before they expire; concurrent callers share one
 * refresh. If a refresh fails while the old credentials have not yet expired, those are used.
 */
export class CredentialCache {
  readonly #provider: AwsCredentialsProvider;
  readonly #clock: Clock;
  readonly #describe: string;
  #current: AwsCredentials | undefined;
  #refreshing: Promise<AwsCredentials> | undefined;

  constructor(provider: AwsCredentialsProvider, clock: Clock, describe: string) {
    this.#provider = provider;
    this.#clock = clock;
    this.#describe = describe;
  }

  /** The cached credentials if they are fresh, without a promise (the hot path). */
  peek(): AwsCredentials | undefined {
    const current = this.#current;
    if (current === undefined) return undefined;
    const expiration = current.expiration;
    return expiration === undefined || this.#clock.now() < expiration.getTime() - refreshBeforeExpiryMs ? current : undefined;
  }

  /** Forget the cached credentials (not a refresh in flight): the next call resolves them anew. */
  invalidate(): void {
    this.#current = undefined;
  }

  /** Fresh credentials, refreshing when needed. Throws `EcrError` kind `CredentialsUnavailable`. */
  get(): Promise<AwsCredentials> {
    const fresh = this.peek();
    if (fresh !== undefined) return Promise.resolve(fresh);
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<AwsCredentials> {
    let resolved: AwsCredentials;
    try {
      resolved = await this.#provider();
    } catch (err) {
      const stale = this.#current;
      if (stale?.expiration !== undefined && this.#clock.now() < stale.expiration.getTime()) return stale;
      if (isEcrError(err)) throw err;
      // The provider's own message can name files and profiles; it stays in `cause` only.
      throw new EcrError({ kind: 'CredentialsUnavailable', message: `Could not resolve AWS credentials (${this.#describe})`, cause: err });
    }
    if (typeof resolved?.accessKeyId !== 'string' || typeof resolved.secretAccessKey !== 'string') {
      throw new EcrError({ kind: 'CredentialsUnavailable', message: `The credential provider (${this.#describe}) returned no access key` });
    }
    this.#current = resolved;
    return resolved;
  }
}
