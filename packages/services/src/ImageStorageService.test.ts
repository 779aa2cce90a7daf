import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

describe('ImageStorageService', () => {
  it('archives an image (BatchGetImage then fails it as archived) and restores it (ACTIVATING, then pullable)', async () => {
    const f = setup();
    f.registry.configureStorageClass({ restoreMs: 60_000 }).withImage('web-app', { tags: ['v1'] });
    expect(await f.client.storage.archive('web-app', 'v1')).toMatchObject({ repositoryName: 'web-app', imageId: { imageTag: 'v1' }, imageStatus: 'ARCHIVED' });
    const archived = await rejection(f.client.images.get('web-app', 'v1'));
    expect(archived).toMatchObject({ kind: 'ImageNotFound' });
    expect((archived as Error).message).toContain('archived');
    expect((await f.client.storage.restore('web-app', 'v1')).imageStatus).toBe('ACTIVATING');
    await f.clock.advance(60_000);
    expect((await f.client.images.get('web-app', 'v1')).digest).toMatch(/^sha256:/);
  });

  it('refuses a bad reference before any request; a missing image is ImageNotFound', async () => {
    const f = setup();
    f.registry.withRepository('web-app');
    expect(await rejection(f.client.storage.archive('web-app', { imageDigest: 'sha256:zz' }))).toMatchObject({
      kind: 'InvalidParameter',
      field: 'imageId.imageDigest',
    });
    expect(f.ops()).toEqual([]);
    expect(await rejection(f.client.storage.restore('web-app', 'v1'))).toMatchObject({ kind: 'ImageNotFound' });
  });

  it('a read-only config refuses to archive', async () => {
    const f = setup({ config: (b) => b.readOnly(true) });
    expect(await rejection(f.client.storage.archive('web-app', 'v1'))).toMatchObject({ kind: 'ReadOnly' });
  });
});
