import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

const profile = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/release';

describe('ImageSigningService', () => {
  it('reports one status per signing profile whose rule covers the image, and none otherwise', async () => {
    const f = setup();
    f.registry.withImage('web-app', { tags: ['v1'] }).withImage('other', { tags: ['v1'] });
    f.registry.applySync({
      api: 'ecr',
      operation: 'PutSigningConfiguration',
      input: { signingConfiguration: { rules: [{ signingProfileArn: profile, repositoryFilters: [{ filter: 'web-*', filterType: 'WILDCARD_MATCH' }] }] } },
    });
    f.registry.withImage('web-app', { tags: ['v2'] });
    const status = await f.client.signing.getStatus('web-app', 'v2');
    expect(status).toMatchObject({ repositoryName: 'web-app', imageId: { imageTag: 'v2' }, registryId: '123456789012' });
    expect(status.signingStatuses).toEqual([expect.objectContaining({ signingProfileArn: profile })]);
    expect((await f.client.signing.getStatus('other', 'v1')).signingStatuses).toEqual([]);
  });

  it('a missing image is ImageNotFound; a bad reference is refused before any request', async () => {
    const f = setup();
    f.registry.withRepository('web-app');
    expect(await rejection(f.client.signing.getStatus('web-app', 'v9'))).toMatchObject({ kind: 'ImageNotFound' });
    f.registry.clearOperationHistory();
    expect(await rejection(f.client.signing.getStatus('web-app', '-bad'))).toMatchObject({ kind: 'InvalidParameter', field: 'imageId.imageTag' });
    expect(f.ops()).toEqual([]);
  });
});
