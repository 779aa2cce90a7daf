import { invalidParameter, isEcrError, readOptions } from '@ecrkit/core-types';
import type { Api, Clock } from '@ecrkit/core-types';
import { KeyCache } from './internal/KeyCache.js';
import { QueueBudget, WaitQueue } from './internal/WaitQueue.js';
import { imageOf, registryOf, repositoryOf } from './internal/requestScope.js';
import type { RequestLike } from './RequestLike.js';
import { turnClock } from './internal/turnClock.js';

/** What one token bucket is shared by. */
export const QuotaScope = { Region: 'region', Repository: 'repository', Image: 'image' } as const;
/** What one token bucket is shared by. */
export type QuotaScope = (typeof QuotaScope)[keyof typeof QuotaScope];

/** A rate quota: a token bucket per operation and scope. */
export interface Quota {
  /** Sustained calls per second. */
  ratePerSecond: number;
  /** Bucket capacity: calls that may start back to back. Default one second's worth (`ratePerSecond`), as ECR's own buckets. */
  burst?: number;
  /** Region-wide (one registry per account and region), per repository, or per image. Default `region`. */
  scope?: QuotaScope;
}

/** Quotas by operation name; `null` lifts a default. */
export type QuotaTable = Readonly<Partial<Record<string, Quota | null>>>;

/**
 * ECR's documented default API rate quotas, per operation and scope. Operations not listed are
 * not limited. They apply to private ECR only; ECR Public's differ and are given with `publicQuotas`.
 */
export const defaultQuotas: QuotaTable = {
  GetAuthorizationToken: { ratePerSecond: 500, scope: 'region' },
  DescribeRepositories: { ratePerSecond: 1000, scope: 'region' },
  DescribeImages: { ratePerSecond: 1000, scope: 'repository' },
  BatchGetImage: { ratePerSecond: 2000, scope: 'region' },
  ListImages: { ratePerSecond: 100, scope: 'region' },
  PutImage: { ratePerSecond: 10, scope: 'region' },
  BatchDeleteImage: { ratePerSecond: 100, scope: 'region' },
  StartImageScan: { ratePerSecond: 1, scope: 'image' },
};

/** Options of {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Private ECR quotas, merged over {@link defaultQuotas}. */
  quotas?: QuotaTable;
  /** ECR Public quotas (none by default). */
  publicQuotas?: QuotaTable;
  /** Callers that may wait, across all buckets; one more is refused with `LimitExceeded`. Default 1000. */
  maxQueue?: number;
  /** Slow a bucket down when the service throttles, and recover gradually (CUBIC). Default true. */
  adaptive?: boolean;
  /** Time source; defaults to the system clock. */
  clock?: Clock;
}

// CUBIC constants as in smithy's DefaultRateLimiter (@smithy/util-retry).
const beta = 0.7;
const scaleConstant = 0.4;
const smooth = 0.8;
const minFillRate = 0.5;
const epsilon = 1e-9;

interface Cubic {
  /** Rate after the last throttle; while set, the bucket fills at min(quota, this). */
  fillRate: number;
  lastMaxRate: number;
  lastThrottleTime: number;
  timeWindow: number;
}

interface Bucket {
  key: string;
  rate: number;
  burst: number;
  tokens: number;
  last: number;
  queue: WaitQueue;
  pumping: boolean;
  wake: AbortController | undefined;
  cubic: Cubic | undefined;
  measuredRate: number;
  requestCount: number;
  lastRateBucket: number;
  /** Outcome observers of this bucket's calls, made on first use (see `observersOf`): observing a call allocates nothing. */
  observers: CallObservers | undefined;
  adaptingObservers: CallObservers | undefined;
}

/** What to attach to a call's promise: `onSuccess` is absent while successes have nothing to tell. */
export interface CallObservers {
  readonly onSuccess: (() => void) | undefined;
  readonly onFailure: ((error: unknown) => void) | undefined;
}

const noObservers: CallObservers = { onSuccess: undefined, onFailure: undefined };

/**
 * Token buckets per operation and scope, with a bounded FIFO queue of waiting callers and
 * CUBIC adaptation to throttling, on an injected clock.
 *
 * Guarantee (non-adaptive): in any time window of length W, at most `burst + ratePerSecond × W / 1000`
 * calls of one bucket are let through; with `burst: 1`, at most `ratePerSecond` in any 1 s window.
 *
 * Adaptation follows smithy's `DefaultRateLimiter`: on `Throttling` the bucket's rate drops to 0.7 ×
 * the measured sending rate, then grows along a cubic curve back towards the quota, never above it
 * and never above twice the measured rate. Differences: time comes from the clock, waits are
 * abortable, the quota caps the curve, and before any rate has been measured the quota stands in
 * for it (smithy would fall to 0.5/s on a throttle in the first half second). smithy's class is not
 * used because it reads `Date.now()` and a static `setTimeout`, and its waits cannot be aborted.
 */
export class RateLimiter {
  readonly #quotas: Record<Api, QuotaTable>;
  readonly #clock: Clock;
  readonly #adaptive: boolean;
  readonly #budget: QueueBudget;
  readonly #buckets = new Map<string, Bucket>();
  readonly #keys = new KeyCache(':');
  #lastRepositoryKey: { api: string; operation: string; region: string; registry: string; repository: string; key: string } | undefined;

  constructor(options: RateLimitOptions = {}) {
    const o = readOptions(options, ['quotas', 'publicQuotas', 'maxQueue', 'adaptive', 'clock']) as RateLimitOptions;
    this.#quotas = { ecr: { ...defaultQuotas, ...o.quotas }, 'ecr-public': { ...o.publicQuotas } };
    this.#clock = o.clock ?? turnClock;
    this.#adaptive = o.adaptive ?? true;
    const maxQueue = o.maxQueue ?? 1000;
    if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) throw invalidParameter('maxQueue', 'must be a non-negative integer');
    this.#budget = new QueueBudget(maxQueue, 'Rate limiter');
    for (const [api, table] of Object.entries(this.#quotas)) {
      for (const [operation, quota] of Object.entries(table)) {
        if (quota === null || quota === undefined) continue;
        if (!(typeof quota === 'object' && quota.ratePerSecond > 0 && Number.isFinite(quota.ratePerSecond) && (quota.burst ?? 1) >= 1)) {
          throw invalidParameter(`${api === 'ecr' ? 'quotas' : 'publicQuotas'}.${operation}`, 'needs ratePerSecond > 0 and burst >= 1');
        }
      }
    }
  }

  /** Callers waiting, across all buckets. */
  get queued(): number {
    return this.#budget.waiting;
  }

  /** The bucket key of a request, or `undefined` when its operation has no quota. */
  keyOf(request: RequestLike): string | undefined {
    const quota = this.#quotas[request.api][request.operation];
    if (!quota) return undefined;
    switch (quota.scope ?? 'region') {
      case 'region':
        return this.#keys.get(request.api, request.operation, request.region);
      case 'repository': {
        const registry = registryOf(request);
        const repository = repositoryOf(request) ?? '';
        // The previous repository-scoped key, checked before the cache: callers tend to stay on one repository.
        const last = this.#lastRepositoryKey;
        if (
          last !== undefined &&
          last.repository === repository &&
          last.operation === request.operation &&
          last.region === request.region &&
          last.registry === registry &&
          last.api === request.api
        ) {
          return last.key;
        }
        const key = this.#keys.get(request.api, request.operation, request.region, registry, repository);
        this.#lastRepositoryKey = { api: request.api, operation: request.operation, region: request.region, registry, repository, key };
        return key;
      }
      case 'image':
        // Not cached: images are unbounded and rarely scanned (1/s), and swept buckets must not leave keys behind.
        return `${this.#keys.get(request.api, request.operation, request.region, registryOf(request), repositoryOf(request) ?? '')}:${imageOf(request)}`;
    }
  }

  /** The rate a bucket currently fills at (calls per second), or `undefined` for an unknown key. */
  currentRate(key: string): number | undefined {
    const bucket = this.#buckets.get(key);
    return bucket ? this.#fillRate(bucket) : undefined;
  }

  /**
   * Take a token for a request. Returns `undefined` when one was free (no promise, no wait), or a
   * promise that resolves when the caller's turn comes; it rejects with `Aborted` if the request's
   * signal fires while it waits and with `LimitExceeded` (category terminal) if the queue is full.
   * `key` saves recomputing {@link keyOf} when the caller already has it.
   */
  acquire(request: RequestLike, key: string | undefined = this.keyOf(request)): Promise<void> | undefined {
    if (key === undefined) return undefined;
    const bucket = this.#bucket(key, request);
    const now = this.#clock.now();
    this.#refill(bucket, now);
    if (bucket.queue.length === 0 && bucket.tokens >= 1 - epsilon) {
      bucket.tokens -= 1;
      if (this.#adaptive) this.#measure(bucket, now / 1000);
      return undefined;
    }
    const turn = bucket.queue.enqueue(request, () => {
      if (bucket.queue.length === 0) bucket.wake?.abort();
    });
    if (!bucket.pumping) void this.#pump(bucket);
    return turn;
  }

  /**
   * The observers to attach to a call of bucket `key` (after {@link acquire}): on failure, a
   * `Throttling` answer (or any other answer from the service) feeds the adaptive rate; on
   * success, only once the bucket has been throttled is there anything to feed, so `onSuccess`
   * is absent otherwise. Local failures (aborts, queues) tell the rate nothing. Made once per bucket.
   */
  observersOf(key: string): CallObservers {
    const bucket = this.#buckets.get(key);
    if (!this.#adaptive || bucket === undefined) return noObservers;
    bucket.observers ??= {
      onSuccess: undefined,
      onFailure: (error: unknown) => {
        if (isEcrError(error) && (error.kind === 'Throttling' || error.statusCode !== undefined)) this.#recordTo(bucket, error.kind === 'Throttling');
      },
    };
    if (bucket.cubic === undefined) return bucket.observers;
    bucket.adaptingObservers ??= { onSuccess: () => this.#recordTo(bucket, false), onFailure: bucket.observers.onFailure };
    return bucket.adaptingObservers;
  }

  /** Feed a call's outcome to the adaptive rate: `throttled` for a `Throttling` answer. */
  record(request: RequestLike, throttled: boolean, key: string | undefined = this.keyOf(request)): void {
    if (!this.#adaptive) return;
    const bucket = key === undefined ? undefined : this.#buckets.get(key);
    if (bucket) this.#recordTo(bucket, throttled);
  }

  #recordTo(bucket: Bucket, throttled: boolean): void {
    // A success changes nothing until the bucket has been throttled; skip even reading the clock.
    if (!throttled && !bucket.cubic) return;
    const nowMs = this.#clock.now();
    this.#refill(bucket, nowMs);
    const now = nowMs / 1000;
    if (throttled) {
      const measured = bucket.measuredRate > 0 ? bucket.measuredRate : bucket.rate;
      const lastMaxRate = Math.min(measured, this.#fillRate(bucket));
      const timeWindow = Math.cbrt((lastMaxRate * (1 - beta)) / scaleConstant);
      bucket.cubic = { fillRate: Math.max(lastMaxRate * beta, minFillRate), lastMaxRate, lastThrottleTime: now, timeWindow };
    } else {
      const cubic = bucket.cubic;
      if (!cubic) return;
      let rate = scaleConstant * (now - cubic.lastThrottleTime - cubic.timeWindow) ** 3 + cubic.lastMaxRate;
      if (bucket.measuredRate > 0) rate = Math.min(rate, 2 * bucket.measuredRate);
      cubic.fillRate = Math.max(rate, minFillRate);
      // Back at the quota: the bucket is an ordinary one again.
      if (cubic.fillRate >= bucket.rate) bucket.cubic = undefined;
    }
    bucket.tokens = Math.min(bucket.tokens, this.#capacity(bucket));
    if (bucket.queue.length > 0) bucket.wake?.abort();
  }

  #fillRate(bucket: Bucket): number {
    return bucket.cubic ? Math.min(bucket.rate, bucket.cubic.fillRate) : bucket.rate;
  }

  #capacity(bucket: Bucket): number {
    return bucket.cubic ? Math.max(1, Math.min(bucket.burst, bucket.cubic.fillRate)) : bucket.burst;
  }

  #bucket(key: string, request: RequestLike): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket) return bucket;
    if (this.#buckets.size >= 1024) this.#sweep();
    const quota = this.#quotas[request.api][request.operation] as Quota;
    const burst = quota.burst ?? quota.ratePerSecond;
    const now = this.#clock.now();
    bucket = {
      key,
      rate: quota.ratePerSecond,
      burst,
      tokens: burst,
      last: now,
      queue: new WaitQueue(this.#budget),
      pumping: false,
      wake: undefined,
      cubic: undefined,
      measuredRate: 0,
      requestCount: 0,
      lastRateBucket: Math.floor(now / 1000),
      observers: undefined,
      adaptingObservers: undefined,
    };
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** Forget buckets that a fresh one would equal (full, idle, not adapted), so per-image keys don't pile up. */
  #sweep(): void {
    for (const [key, bucket] of this.#buckets) {
      this.#refill(bucket);
      if (!bucket.pumping && !bucket.cubic && bucket.queue.length === 0 && bucket.tokens >= bucket.burst - epsilon) this.#buckets.delete(key);
    }
  }

  #refill(bucket: Bucket, now: number = this.#clock.now()): void {
    if (now > bucket.last) {
      bucket.tokens = Math.min(this.#capacity(bucket), bucket.tokens + ((now - bucket.last) / 1000) * this.#fillRate(bucket));
    }
    bucket.last = Math.max(bucket.last, now);
  }

  // smithy's measured sending rate: an exponentially smoothed count per half second, counted as
  // calls are let through (smithy counts responses; what it estimates is the rate of sending).
  #measure(bucket: Bucket, nowSeconds: number): void {
    const timeBucket = Math.floor(nowSeconds * 2) / 2;
    bucket.requestCount++;
    if (timeBucket > bucket.lastRateBucket) {
      const current = bucket.requestCount / (timeBucket - bucket.lastRateBucket);
      bucket.measuredRate = current * smooth + bucket.measuredRate * (1 - smooth);
      bucket.requestCount = 0;
      bucket.lastRateBucket = timeBucket;
    }
  }

  /** Hand out tokens to waiters in order, sleeping on the clock until the next one is due. */
  async #pump(bucket: Bucket): Promise<void> {
    bucket.pumping = true;
    try {
      while (bucket.queue.length > 0) {
        this.#refill(bucket);
        while (bucket.queue.length > 0 && bucket.tokens >= 1 - epsilon) {
          bucket.tokens -= 1;
          bucket.queue.release();
          if (this.#adaptive) this.#measure(bucket, bucket.last / 1000);
        }
        if (bucket.queue.length === 0) break;
        // The small slack keeps float noise (0.7 / 10 * 1000 = 70.00000000000001) from adding a millisecond.
        const waitMs = Math.ceil(((1 - bucket.tokens) / this.#fillRate(bucket)) * 1000 - 1e-6);
        const wake = new AbortController();
        bucket.wake = wake;
        await this.#clock.sleep(Math.max(1, waitMs), wake.signal).catch(() => undefined);
        bucket.wake = undefined;
      }
    } finally {
      bucket.pumping = false;
    }
  }
}
