import { describe, expect, it } from 'vitest';
import { ManualClock, ecrConfig } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import { RegionalClientPool } from './RegionalClientPool.js';
import { rejection } from '../test/fixtures.js';

function pool() {
  const registry = new SimulatedRegistry({ clock: new ManualClock() });
  registry
    .withRepository('app', { region: 'us-east-1' })
    .withRepository('app', { region: 'eu-west-1' })
    .withImage('app', { region: 'eu-west-1', tags: ['eu'] });
  const created: string[] = [];
  const destroyed: string[] = [];
  const p = new RegionalClientPool(ecrConfig().region('us-east-1').registryId('123456789012').build(), {
    transportFor: (region): Transport => {
      created.push(region);
      const inner = createSimulatedTransport(registry);
      return { send: (r) => inner.send(r), destroy: async () => void destroyed.push(region) };
    },
  });
  return { registry, pool: p, created, destroyed };
}

describe('RegionalClientPool', () => {
  it('creates one client per region on first use, even under many concurrent first callers', async () => {
    const { registry, pool: p, created } = pool();
    const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const client = p.get(regions[i % 3]!);
        return { client, repos: await client.repositories.list().toArray() };
      }),
    );
    expect(created.sort()).toEqual([...regions].sort());
    for (const r of regions) expect(new Set(results.filter((x) => x.client.region === r).map((x) => x.client)).size).toBe(1);
    expect(results.find((x) => x.client.region === 'ap-south-1')?.repos).toEqual([]);
    expect(p.regions().sort()).toEqual([...regions].sort());
    expect(new Set(registry.getOperationHistory().map((e) => e.region))).toEqual(new Set(regions));
  });

  it('each client speaks for its own region', async () => {
    const { pool: p } = pool();
    expect((await p.get('eu-west-1').images.list('app').toArray()).map((i) => i.imageTag)).toEqual(['eu']);
    expect(await p.get().images.list('app').toArray()).toEqual([]);
    expect(p.get('eu-west-1').registryUri).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
  });

  it('refuses a malformed region without creating a transport', () => {
    const { pool: p, created } = pool();
    expect(() => p.get('moon-base')).toThrow(expect.objectContaining({ kind: 'InvalidParameter', field: 'region' }));
    expect(created).toEqual([]);
    expect(() => new RegionalClientPool(ecrConfig().region('us-east-1').build(), {} as never)).toThrow(expect.objectContaining({ field: 'transportFor' }));
  });

  it('destroy() destroys every transport it created and refuses further use', async () => {
    const { pool: p, destroyed } = pool();
    const eu = p.get('eu-west-1');
    p.get('us-east-1');
    await p.destroy();
    expect(destroyed.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(() => p.get('eu-west-1')).toThrow(expect.objectContaining({ kind: 'Aborted' }));
    expect(await rejection(eu.images.list('app').toArray())).toMatchObject({ kind: 'Aborted' });
  });
});
