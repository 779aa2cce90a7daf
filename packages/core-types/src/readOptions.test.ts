import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { readOptions } from './readOptions.js';

describe('readOptions', () => {
  it('reads the fields asked for, once, leaving out undefined ones', () => {
    let reads = 0;
    const options = {
      get signal() {
        reads++;
        return 'x';
      },
      pageSize: 5,
      other: true,
    };
    expect(readOptions(options, ['signal', 'pageSize', 'startingToken'])).toEqual({ signal: 'x', pageSize: 5 });
    expect(reads).toBe(1);
    expect(readOptions(undefined, ['signal'])).toEqual({});
  });

  it('refuses what is not an options object, and getters that throw, as InvalidParameter naming the field', () => {
    for (const garbage of [null, 0, 'options', [], true]) expect(catchEcrError(() => readOptions(garbage, ['signal'])).field).toBe('options');
    expect(catchEcrError(() => readOptions(7, ['signal'], 'filter')).field).toBe('filter');
    const throwing = Object.defineProperty({}, 'signal', {
      get() {
        throw new Error('boom');
      },
    });
    expect(catchEcrError(() => readOptions(throwing, ['signal'])).field).toBe('signal');
  });
});
