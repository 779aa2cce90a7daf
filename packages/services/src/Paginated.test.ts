import { describe, expect, it } from 'vitest';
import { isEcrError } from '@ecrkit/core-types';
import type { Api, OperationName } from '@ecrkit/core-types';
import { paginate } from './Paginated.js';
import type { PageSender } from './Paginated.js';

// A tiny scripted sender: only for what the simulation cannot produce (a misbehaving server).
function scripted(pages: Record<string, unknown>[]): { send: PageSender; calls: Record<string, unknown>[] } {
  const calls: Record<string, unknown>[] = [];
  const send = async (_api: Api, _op: OperationName, input: Record<string, unknown>): Promise<unknown> => {
    calls.push(structuredClone(input));
    const page = pages[calls.length - 1];
    if (!page) throw new Error('no more scripted pages');
    return page;
  };
  // Untyped on purpose: a misbehaving server's pages do not match the operation's output type.
  return { send: send as PageSender, calls };
}

describe('paginate', () => {
  it('fails with InvalidResponse when the server repeats a nextToken, instead of looping', async () => {
    const { send, calls } = scripted([
      { imageIds: [{ imageTag: 'a' }], nextToken: 't1' },
      { imageIds: [{ imageTag: 'b' }], nextToken: 't2' },
      { imageIds: [{ imageTag: 'c' }], nextToken: 't1' },
    ]);
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const item of paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' })) seen.push(item);
    })().catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('InvalidResponse');
    expect(seen).toHaveLength(3);
    expect(calls.map((c) => c.nextToken)).toEqual([undefined, 't1', 't2']);
  });

  it('treats a nextToken equal to the starting token as repeated', async () => {
    const { send } = scripted([{ imageIds: [], nextToken: 'start' }]);
    await expect(paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' }, { startingToken: 'start' }).toArray()).rejects.toMatchObject({
      kind: 'InvalidResponse',
    });
  });

  it('rejects a non-string nextToken as InvalidResponse', async () => {
    const { send } = scripted([{ imageIds: [], nextToken: 42 }]);
    await expect(paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' }).toArray()).rejects.toMatchObject({ kind: 'InvalidResponse' });
  });

  it('copies the input: the caller object never receives a token or page size', async () => {
    const { send, calls } = scripted([{ imageIds: [{ imageTag: 'a' }], nextToken: 'n' }, { imageIds: [{ imageTag: 'b' }] }]);
    const input = { repositoryName: 'app' };
    const items = await paginate(send, 'ecr', 'ListImages', input, { pageSize: 1 }).toArray();
    expect(items).toEqual([{ imageTag: 'a' }, { imageTag: 'b' }]);
    expect(input).toEqual({ repositoryName: 'app' });
    expect(calls).toEqual([
      { repositoryName: 'app', maxResults: 1 },
      { repositoryName: 'app', maxResults: 1, nextToken: 'n' },
    ]);
  });

  it('merges every result key of a page (findings and enhanced findings)', async () => {
    const { send } = scripted([
      { imageScanFindings: { findings: [{ name: 'CVE-1' }], enhancedFindings: [{ title: 'CVE-2' }] }, nextToken: 'n' },
      { imageScanFindings: { findings: [{ name: 'CVE-3' }] } },
    ]);
    const items = await paginate(send, 'ecr', 'DescribeImageScanFindings', { repositoryName: 'app', imageId: { imageTag: 'v1' } }).toArray();
    expect(items).toEqual([{ name: 'CVE-1' }, { title: 'CVE-2' }, { name: 'CVE-3' }]);
  });

  it('refuses a bad page size before any request', () => {
    const { send, calls } = scripted([]);
    for (const pageSize of [0, 1001, 1.5, Number.NaN]) {
      expect(() => paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' }, { pageSize })).toThrow(
        expect.objectContaining({ kind: 'InvalidParameter', field: 'pageSize' }),
      );
    }
    expect(() => paginate(send, 'ecr', 'GetLifecyclePolicyPreview', { repositoryName: 'app' }, { pageSize: 101 })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter' }),
    );
    expect(calls).toHaveLength(0);
  });

  it('refuses a non-paginated operation', () => {
    const { send } = scripted([]);
    expect(() => paginate(send, 'ecr', 'PutImage', { repositoryName: 'app', imageManifest: '{}' })).toThrow(
      expect.objectContaining({ kind: 'InvalidParameter' }),
    );
  });

  it('toArray({ limit: 0 }) sends nothing and a negative limit is refused', async () => {
    const { send, calls } = scripted([{ imageIds: [{ imageTag: 'a' }] }]);
    const list = paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' });
    expect(await list.toArray({ limit: 0 })).toEqual([]);
    await expect(list.toArray({ limit: -1 })).rejects.toMatchObject({ kind: 'InvalidParameter', field: 'limit' });
    expect(calls).toHaveLength(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const { send, calls } = scripted([{ imageIds: [] }]);
    const controller = new AbortController();
    controller.abort();
    await expect(paginate(send, 'ecr', 'ListImages', { repositoryName: 'app' }, { signal: controller.signal }).toArray()).rejects.toMatchObject({
      kind: 'Aborted',
    });
    expect(calls).toHaveLength(0);
  });
});
