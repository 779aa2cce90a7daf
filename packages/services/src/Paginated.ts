import { EcrError, abortError, invalidParameter, operationSpec, validateMaxResults, readOptions } from '@ecrkit/core-types';
import type { Api, CallOptions, InputOf, OperationName, OutputOf } from '@ecrkit/core-types';
import { signalOf } from './internal/options.js';

/** Options every list operation takes: `CallOptions` (its `signal` aborts the listing), and paging. */
export interface PageOptions extends CallOptions {
  /** Items per request (`maxResults`); the service default when left out. */
  pageSize?: number;
  /** Resume from a `nextToken` an earlier listing returned. */
  startingToken?: string;
}

/**
 * The result of every list operation: an async iterable of items that fetches pages lazily, one
 * request per page, and never stops at the first page. Iterating again starts again.
 *
 * @example
 * for await (const image of client.images.describe('web-app')) console.log(image.imageDigest);
 * const firstTen = await client.images.list('web-app').toArray({ limit: 10 });
 */
export interface Paginated<T, P = unknown> extends AsyncIterable<T> {
  /** The raw page outputs, as the API returned them. */
  pages(): AsyncIterable<P>;
  /** Every item (or the first `limit`), fetching only the pages needed. */
  toArray(options?: { limit?: number }): Promise<T[]>;
}

/** Builds a {@link Paginated} from a page source and an item extractor. */
export class PaginatedList<T, P> implements Paginated<T, P> {
  readonly #pages: () => AsyncGenerator<P, void, undefined>;
  readonly #items: (page: P) => Promise<readonly T[]> | readonly T[];

  constructor(pages: () => AsyncGenerator<P, void, undefined>, items: (page: P) => Promise<readonly T[]> | readonly T[]) {
    this.#pages = pages;
    this.#items = items;
  }

  pages(): AsyncIterable<P> {
    return { [Symbol.asyncIterator]: () => this.#pages() };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.#pages()) {
      for (const item of await this.#items(page)) yield item;
    }
  }

  async toArray(options: { limit?: number } = {}): Promise<T[]> {
    const limit = readOptions(options, ['limit']).limit as number | undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new EcrError({ kind: 'InvalidParameter', field: 'limit', message: `Invalid parameter 'limit': must be a non-negative integer` });
    }
    const out: T[] = [];
    if (limit === 0) return out;
    for await (const item of this) {
      out.push(item);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }
}

/** A {@link Paginated} over values already in hand (or one call that returns them all). */
export function singlePage<T, P>(fetch: () => Promise<P>, items: (page: P) => readonly T[]): Paginated<T, P> {
  return new PaginatedList<T, P>(async function* () {
    yield await fetch();
  }, items);
}

/** The page-size range of each operation's `maxResults`, from the service models. */
const pageSizeRanges: Partial<Record<string, { min: number; max: number }>> = {
  GetLifecyclePolicyPreview: { min: 1, max: 100 },
  ListImageReferrers: { min: 1, max: 50 },
};

/** Operations that page (`nextToken`, `maxResults`) although the models declare no paginator for them. */
const undeclaredPagination: Partial<Record<string, NonNullable<ReturnType<typeof operationSpec>>['pagination']>> = {
  ListImageReferrers: { inputToken: 'nextToken', outputToken: 'nextToken', limitKey: 'maxResults', resultKeys: ['referrers'] },
};

/** Sends one request; the services' context provides it. Typed per operation, as `Transport.send` is. */
export type PageSender = <O extends OperationName, A extends Api = 'ecr'>(
  api: A,
  operation: O,
  input: InputOf<O, A>,
  signal?: AbortSignal,
) => Promise<OutputOf<O, A>>;

/** Reads a dotted path (`imageScanFindings.findings`) from a page. */
function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * The one generic paginator, driven by the operation table's pagination spec (token and
 * page-size fields, result keys). It copies `input` for every request instead of writing the
 * token into it, treats a repeated `nextToken` as `InvalidResponse` (a server bug that would
 * otherwise loop forever), and sends nothing further once the consumer stops. Without `items`,
 * the items are read from the table's result keys and typed as the caller declares `T`.
 *
 * @throws EcrError kind `InvalidParameter` (before any request) for a bad `pageSize`.
 */
export function paginate<O extends OperationName, A extends Api = 'ecr', T = unknown>(
  send: PageSender,
  api: A,
  operation: O,
  input: InputOf<O, A>,
  options: PageOptions = {},
  items?: (page: OutputOf<O, A>) => Promise<readonly T[]> | readonly T[],
): Paginated<T, OutputOf<O, A>> {
  if (typeof send !== 'function') throw invalidParameter('send', 'must be a function that sends one page request');
  const found =
    operationSpec(api, operation)?.pagination ??
    (api === 'ecr' && typeof operation === 'string' && Object.hasOwn(undeclaredPagination, operation) ? undeclaredPagination[operation] : undefined);
  if (!found)
    throw invalidParameter(
      'operation',
      `${typeof operation === 'string' ? operation : 'it'} is not a paginated operation of ${api === 'ecr-public' ? 'ecr-public' : 'ecr'}`,
    );
  const spec = found;
  const range = pageSizeRanges[operation] ?? { min: 1, max: 1000 };
  const read = readOptions(options, ['signal', 'pageSize', 'startingToken']);
  validateMaxResults(read.pageSize, range, 'pageSize');
  if (read.startingToken !== undefined && (typeof read.startingToken !== 'string' || read.startingToken === '')) {
    throw new EcrError({ kind: 'InvalidParameter', field: 'startingToken', message: `Invalid parameter 'startingToken': must be a non-empty string` });
  }
  const signal = signalOf(read.signal);
  const pageSize = read.pageSize as number | undefined;
  const startingToken = read.startingToken as string | undefined;
  type Page = OutputOf<O, A>;
  // Object.assign, not spread: TypeScript will not spread the unresolved `InputOf<O, A>`.
  const base: InputOf<O, A> = Object.assign({}, input);
  const extract =
    items ??
    ((page: Page): readonly T[] =>
      spec.resultKeys.flatMap((key) => {
        const list = readPath(page, key);
        return Array.isArray(list) ? (list as T[]) : [];
      }));

  async function* pages(): AsyncGenerator<Page, void, undefined> {
    const seen = new Set<string>();
    let token = startingToken;
    if (token !== undefined) seen.add(token);
    for (;;) {
      if (signal?.aborted) throw abortError(signal, operation);
      // The table names the page-size and token fields at run time, so the types cannot see them.
      const paging: Record<string, unknown> = {};
      if (pageSize !== undefined) paging[spec.limitKey] = pageSize;
      if (token !== undefined) paging[spec.inputToken] = token;
      const page = await send(api, operation, Object.assign({}, base, paging), signal);
      yield page;
      const next = readPath(page, spec.outputToken);
      if (next === undefined || next === null || next === '') return;
      if (typeof next !== 'string') {
        throw new EcrError({ kind: 'InvalidResponse', operation, message: `${operation} returned a ${spec.outputToken} that is not a string` });
      }
      if (seen.has(next)) {
        throw new EcrError({
          kind: 'InvalidResponse',
          operation,
          message: `${operation} returned a ${spec.outputToken} it had already returned; stopping instead of looping`,
        });
      }
      seen.add(next);
      token = next;
    }
  }
  return new PaginatedList<T, Page>(pages, extract);
}
