// Every benchmark client by kind, as { send(): Promise<parsed body>, close() }. Each kind loads
// only what it needs when asked (cold.mjs times that loading): the transports from the BUILT
// packages, the unsigned references from rawClients.mjs.
export async function makeClient(kind, url) {
  if (kind === 'sdk' || kind === 'sigv4') {
    const { ecrConfig } = await import('@ecrkit/core-types');
    const create = kind === 'sdk' ? (await import('@ecrkit/transport-sdk')).createSdkTransport : (await import('@ecrkit/transport-sigv4')).createSigV4Transport;
    const config = ecrConfig()
      .region('us-east-1')
      .endpointUrl(url)
      .auth({ type: 'static', accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'benchmark-secret-key-000000000000000000' })
      .build();
    const transport = create(config);
    const input = { repositoryName: 'web-app', maxResults: 20 };
    return { send: () => transport.send({ api: 'ecr', operation: 'DescribeImages', input, region: 'us-east-1' }), close: () => transport.destroy() };
  }
  const raw = await import('./rawClients.mjs');
  const make = {
    undici: (u) => raw.undiciRequest(u),
    'undici-noparse': (u) => raw.undiciRequest(u, { parse: false }),
    'undici-pool': raw.undiciPoolDispatch,
    http: raw.nodeHttp,
  }[kind];
  if (make === undefined) throw new Error(`unknown client kind: ${kind}`);
  return make(url);
}
