// Shared test setup: a SimulatedRegistry on a ManualClock, the in-process transport, and a client.
import { ManualClock, ecrConfig } from '@ecrkit/core-types';
import type { EcrConfig, EcrConfigBuilder } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import type { SimulatedRegistryOptions } from '@ecrkit/simulation';
import { createClient } from '../src/createClient.js';
import type { ClientOptions, EcrClient } from '../src/createClient.js';

export const accountId = '123456789012';
export const region = 'us-east-1';

export interface Fixture {
  clock: ManualClock;
  registry: SimulatedRegistry;
  config: EcrConfig;
  client: EcrClient;
  /** Operation names the registry received, in order (optionally only these operations). */
  ops(filter?: { operation?: string | string[]; api?: 'ecr' | 'ecr-public' }): string[];
}

export function setup(
  options: { registry?: SimulatedRegistryOptions; client?: Partial<ClientOptions>; config?: (b: EcrConfigBuilder) => EcrConfigBuilder } = {},
): Fixture {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const registry = new SimulatedRegistry({ clock, seed: 7, ...options.registry });
  const transport = createSimulatedTransport(registry);
  let builder = ecrConfig().region(region).registryId(accountId);
  if (options.config) builder = options.config(builder);
  const config = builder.build();
  const client = createClient(config, { transport, clock, random: () => 0, ...options.client });
  return {
    clock,
    registry,
    config,
    client,
    ops: (filter = {}) => registry.getOperationHistory(filter).map((e) => e.operation),
  };
}

/** Settle a promise that sleeps on the manual clock: run the clock until it is done. */
export async function settle<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; !done; i++) {
    if (i > 1000) throw new Error('settle: the promise neither settled nor slept on the clock');
    await clock.runAll();
    if (!done && clock.pending === 0) await new Promise((r) => setImmediate(r));
  }
  return promise;
}

/** The first rejection reason of a promise (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
