import { describe, expect, it } from 'vitest';
import { compose } from './compose.js';
import { isEcrError } from './EcrError.js';
import type { Transport, TransportRequest } from './Transport.js';
import { withGuard } from './withGuard.js';

function recording() {
  const sent: string[] = [];
  let destroyed = 0;
  const transport: Transport = {
    send: async (request) => {
      sent.push(request.operation);
      return {} as never;
    },
    destroy: async () => {
      destroyed++;
    },
  };
  return { transport, sent, destroyedCount: () => destroyed };
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'sent';
  } catch (err) {
    return isEcrError(err) ? err.kind : `raw ${String(err)}`;
  }
}

const read: TransportRequest<'DescribeImages', 'ecr'> = { api: 'ecr', operation: 'DescribeImages', input: { repositoryName: 'web' }, region: 'us-east-1' };
const put: TransportRequest<'PutImageTagMutability', 'ecr'> = {
  api: 'ecr',
  operation: 'PutImageTagMutability',
  input: { repositoryName: 'web', imageTagMutability: 'IMMUTABLE' },
  region: 'us-east-1',
};

describe('withGuard', () => {
  it('lets reads through a read-only config and refuses writes before they reach the transport', async () => {
    const { transport, sent } = recording();
    const guarded = compose(transport, withGuard({ readOnly: true }));
    expect(await kindOf(guarded.send(read))).toBe('sent');
    expect(await kindOf(guarded.send(put))).toBe('ReadOnly');
    expect(sent).toEqual(['DescribeImages']);
    expect(await kindOf(compose(transport, withGuard()).send(put))).toBe('sent');
  });

  it('refuses unknown operations and APIs, aborted signals and garbage requests, sending nothing', async () => {
    const { transport, sent } = recording();
    const guarded = compose(transport, withGuard());
    expect(await kindOf(guarded.send({ ...read, operation: 'Nope' as 'DescribeImages' }))).toBe('UnknownOperation');
    expect(await kindOf(guarded.send({ ...read, api: 'ecr-private' as 'ecr' }))).toBe('UnknownOperation');
    expect(await kindOf(guarded.send({ ...read, operation: 42 } as never))).toBe('UnknownOperation');
    expect(await kindOf(guarded.send({ ...read, signal: AbortSignal.abort() }))).toBe('Aborted');
    expect(await kindOf(guarded.send({ ...read, signal: 'soon' as never }))).toBe('InvalidParameter');
    expect(await kindOf(guarded.send(null as never))).toBe('InvalidParameter');
    const throwing = Object.defineProperty({ ...read }, 'operation', {
      get() {
        throw new Error('boom');
      },
    });
    expect(await kindOf(guarded.send(throwing))).toBe('InvalidParameter');
    expect(sent).toEqual([]);
  });

  it('refuses every call after destroy() and destroys the transport below once', async () => {
    const { transport, sent, destroyedCount } = recording();
    const guarded = compose(transport, withGuard());
    await guarded.destroy?.();
    expect(await kindOf(guarded.send(read))).toBe('Aborted');
    expect(sent).toEqual([]);
    expect(destroyedCount()).toBe(1);
  });

  it('turns a transport that throws synchronously into a rejection', async () => {
    const guarded = compose(
      {
        send: () => {
          throw new Error('sync');
        },
      },
      withGuard(),
    );
    await expect(guarded.send(read)).rejects.toThrow('sync');
  });
});
