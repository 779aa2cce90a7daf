import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { compose } from './compose.js';
import type { Transport, TransportDecorator } from './Transport.js';

const tagging =
  (name: string, log: string[]): TransportDecorator =>
  (next) => ({
    send(request) {
      log.push(name);
      return next.send(request);
    },
    destroy: () => next.destroy?.() ?? Promise.resolve(),
  });

describe('compose', () => {
  it('wraps from the inside out: the last decorator runs first, the transport last', async () => {
    const log: string[] = [];
    const transport: Transport = {
      send: async () => {
        log.push('transport');
        return {} as never;
      },
    };
    const pipeline = compose(transport, tagging('inner', log), tagging('middle', log), tagging('outer', log));
    await pipeline.send({ api: 'ecr', operation: 'DescribeRepositories', input: {}, region: 'us-east-1' });
    expect(log).toEqual(['outer', 'middle', 'inner', 'transport']);
  });

  it('returns the transport itself when there is nothing to wrap it in', () => {
    const transport: Transport = { send: async () => ({}) as never };
    expect(compose(transport)).toBe(transport);
  });

  it('refuses what is not a transport or a decorator, as InvalidParameter', () => {
    const transport: Transport = { send: async () => ({}) as never };
    expect(catchEcrError(() => compose(null as never)).field).toBe('transport');
    expect(catchEcrError(() => compose({} as never)).field).toBe('transport');
    expect(catchEcrError(() => compose(transport, 5 as never)).field).toBe('decorators[0]');
    expect(
      catchEcrError(() =>
        compose(
          transport,
          (next) => next,
          () => null as never,
        ),
      ).field,
    ).toBe('decorators[1]');
  });
});
