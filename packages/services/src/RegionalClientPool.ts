import { EcrError, ecrConfig, invalidParameter, toEcrConfig, validateRegion } from '@ecrkit/core-types';
import type { EcrConfig, Transport } from '@ecrkit/core-types';
import { EcrClient } from './createClient.js';
import type { ClientOptions } from './createClient.js';

/** Options of a {@link RegionalClientPool}: how to make a transport per region, and the client options every client shares. */
export interface RegionalClientPoolOptions extends Omit<ClientOptions, 'transport'> {
  /** Creates the transport of a region; called once per region. The pool owns what it returns. */
  transportFor: (region: string) => Transport;
}

/**
 * One {@link EcrClient} per region, created on first use. Creation is synchronous, so any number
 * of concurrent first callers of a region get the same client and `transportFor` runs once.
 *
 * @example
 * const pool = new RegionalClientPool(config, { transportFor: () => resilient(createSigV4Transport(config), { config, guard: false }) });
 * await pool.get('eu-west-1').images.describe('web-app').toArray();
 * await pool.destroy();
 */
export class RegionalClientPool {
  readonly #config: EcrConfig;
  readonly #options: RegionalClientPoolOptions;
  readonly #clients = new Map<string, { client: EcrClient; transport: Transport }>();
  #destroyed = false;

  constructor(config: EcrConfig, init: RegionalClientPoolOptions) {
    if (typeof init !== 'object' || init === null) throw invalidParameter('options', 'must be an object with transportFor');
    let options: RegionalClientPoolOptions;
    try {
      options = { ...init }; // each option read once
    } catch {
      throw invalidParameter('options', 'could not be read');
    }
    if (typeof options.transportFor !== 'function') {
      throw new EcrError({
        kind: 'InvalidParameter',
        field: 'transportFor',
        message: `Invalid parameter 'transportFor': must be a function from region to Transport`,
      });
    }
    this.#config = toEcrConfig(config);
    this.#options = options;
  }

  /**
   * The client of `region` (default: the config's region), created on first use.
   *
   * @throws EcrError kind `InvalidParameter` for a malformed region; `Aborted` after `destroy()`.
   */
  get(region: string = this.#config.region): EcrClient {
    if (this.#destroyed) throw new EcrError({ kind: 'Aborted', message: 'The client pool was destroyed' });
    const existing = this.#clients.get(region);
    if (existing) return existing.client;
    validateRegion(region);
    const { transportFor, ...clientOptions } = this.#options;
    const transport = transportFor(region);
    const client = new EcrClient(ecrConfig().from(this.#config).region(region).build(), { ...clientOptions, transport, ownsTransport: false });
    this.#clients.set(region, { client, transport });
    return client;
  }

  /** The regions with a client, in creation order. */
  regions(): string[] {
    return [...this.#clients.keys()];
  }

  /** Destroy every client and the transports the pool created. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    const entries = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(
      entries.map(async ({ client, transport }) => {
        await client.destroy();
        await transport.destroy?.();
      }),
    );
  }
}
