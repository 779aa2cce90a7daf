// Garbage in, EcrError out: every function and class that core-types exports, fed nulls, numbers
// where strings go, symbols, odd objects and throwing getters, either answers or throws an
// EcrError, never a TypeError or RangeError. The exports are enumerated, so a new one is covered.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import * as coreTypes from '../src/index.js';

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

const garbage = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1, 1.5, Number.NaN, '', 'x', true, [], {}, Symbol('s'), () => 1, 10n, [null], { kind: null }),
  fc.constant(throwingMarker),
  fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }),
);

const isClass = (f: (...args: never[]) => unknown) => /^class[\s{]/.test(Function.prototype.toString.call(f));
const describeArg = (x: unknown) =>
  typeof x === 'symbol' ? (x === throwingMarker ? 'throwing getters' : 'symbol') : x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;

const exported = Object.entries(coreTypes).filter((entry): entry is [string, (...args: unknown[]) => unknown] => typeof entry[1] === 'function');

describe('garbage arguments to every core-types export', () => {
  test('the exports are enumerated (the test below covers each)', () => {
    expect(exported.length).toBeGreaterThan(60);
  });

  for (const [name, fn] of exported) {
    const construct = isClass(fn);
    test.prop([fc.array(garbage, { minLength: 0, maxLength: 4 })], { numRuns: 40 })(`${name} answers or throws an EcrError`, async (args) => {
      const real = args.map((x) => (x === throwingMarker ? throwingGetters() : x));
      try {
        const out = construct ? new (fn as unknown as new (...a: unknown[]) => unknown)(...real) : fn(...real);
        if (out instanceof Promise) await out;
      } catch (error) {
        expect(coreTypes.isEcrError(error), `${name}(${args.map(describeArg).join(', ')}) threw ${String(error)}`).toBe(true);
      }
    });
  }
});
