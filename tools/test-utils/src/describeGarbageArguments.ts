// Garbage in, EcrError out: every function and class a package exports, fed nulls, numbers where
// strings go, symbols, odd objects and objects whose every read throws, either answers or throws
// an EcrError, never a TypeError or RangeError. The exports are enumerated, so a new one is
// covered the day it is added. (core-types runs its own copy: it cannot depend on this package.)
import { ecrConfig, isEcrError, type EcrConfig } from '@ecrkit/core-types';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';

/** An object every read of which throws (`has` says yes, so `in` checks pass). */
const throwingGetters = () =>
  new Proxy(
    {},
    {
      get() {
        throw new TypeError('getter says no');
      },
      has() {
        return true;
      },
    },
  );

// Built inside the test: fast-check itself would trip over a proxy that throws on every read.
const throwingMarker = Symbol('throwing getters');

/** Garbage for one argument. */
export const garbageArgument = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1, 1.5, Number.NaN, '', 'x', true, [], {}, Symbol('s'), () => 1, 10n, [null], { kind: null }),
  fc.constant(throwingMarker),
  fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }),
);

const isClass = (f: (...args: never[]) => unknown) => /^class[\s{]/.test(Function.prototype.toString.call(f));
const describeArg = (x: unknown) =>
  typeof x === 'symbol' ? (x === throwingMarker ? 'throwing getters' : 'symbol') : x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;

/** The arguments to pass for ones drawn from {@link garbageArgument}: each marker becomes an object whose every read throws. */
export function realArguments(drawn: readonly unknown[]): unknown[] {
  return drawn.map((x) => (x === throwingMarker ? throwingGetters() : x));
}

/** Drawn arguments as a failure message shows them (their kinds, not their values). */
export function describeGarbage(drawn: readonly unknown[]): string {
  return drawn.map(describeArg).join(', ');
}

/**
 * One property test per exported function or class of `exports` (a module namespace): called
 * (or constructed) with 0–4 garbage arguments, it returns, resolves, or throws/rejects an
 * `EcrError`. What it returns is released (`destroy()`, `close()` or `stop()`: a transport, a
 * server), and a promise still pending after
 * `settleMs` counts as answered.
 */
export function describeGarbageArguments(
  name: string,
  exports: Record<string, unknown>,
  options: { numRuns?: number; settleMs?: number; skip?: readonly string[] } = {},
): void {
  const { numRuns = 40, settleMs = 200, skip = [] } = options;
  const functions = Object.entries(exports).filter(
    (entry): entry is [string, (...args: unknown[]) => unknown] => typeof entry[1] === 'function' && !skip.includes(entry[0]),
  );
  describe(`garbage arguments to every ${name} export`, () => {
    test('the exports are enumerated', () => {
      expect(functions.length).toBeGreaterThan(0);
    });
    for (const [fnName, fn] of functions) {
      const construct = isClass(fn);
      test.prop([fc.array(garbageArgument, { minLength: 0, maxLength: 4 })], { numRuns })(`${fnName} answers or throws an EcrError`, async (args) => {
        const real = realArguments(args);
        let out: unknown;
        try {
          out = construct ? new (fn as unknown as new (...a: unknown[]) => unknown)(...real) : fn(...real);
          if (out instanceof Promise) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            out = await Promise.race([out, new Promise((resolve) => (timer = setTimeout(resolve, settleMs)))]).finally(() => clearTimeout(timer));
          }
        } catch (error) {
          expect(isEcrError(error), `${fnName}(${describeGarbage(args)}) threw ${String(error)}`).toBe(true);
        }
        await release(out);
      });
    }
  });
}

/** Release what a call returned: transports destroy, servers close or stop. */
export async function release(out: unknown): Promise<void> {
  if (typeof out !== 'object' || out === null) return;
  for (const name of ['destroy', 'close', 'stop']) {
    const method = (out as Record<string, unknown>)[name];
    if (typeof method === 'function') {
      await Promise.resolve(method.call(out)).catch(() => undefined);
      return;
    }
  }
}

/**
 * A property test of `send()` on the transport `make` builds from a config: garbage requests, and
 * requests whose fields are garbage, reject with an `EcrError` only. The config's endpoint is a
 * closed local port, so nothing garbage could describe leaves the machine.
 */
export function describeGarbageRequests(
  name: string,
  make: (config: EcrConfig) => { send(request: never): Promise<unknown>; destroy?(): Promise<void> },
  numRuns = 150,
): void {
  describe(`send() of ${name} with a garbage request`, () => {
    const transport = make(
      ecrConfig()
        .region('us-east-1')
        .endpointUrl('http://127.0.0.1:9')
        .auth({ type: 'static', accessKeyId: 'AKIDGARBAGE', secretAccessKey: 'garbage-secret' })
        .maxRetries(0)
        .build(),
    );
    afterAll(() => transport.destroy?.());
    const request = fc.oneof(
      garbageArgument,
      fc.record(
        {
          api: fc.oneof(fc.constantFrom('ecr', 'ecr-public'), garbageArgument),
          operation: fc.oneof(fc.constantFrom('ListImages', 'PutImage', 'Nope'), garbageArgument),
          region: fc.oneof(fc.constant('us-east-1'), garbageArgument),
          input: garbageArgument,
        },
        { requiredKeys: [] },
      ),
    );
    test.prop([request], { numRuns })('rejects with an EcrError only', async (req) => {
      try {
        await transport.send(req as never);
      } catch (error) {
        expect(isEcrError(error), `send(${typeof req}) threw ${String(error)}`).toBe(true);
      }
    });
  });
}
