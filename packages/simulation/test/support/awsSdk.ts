import * as ecr from '@aws-sdk/client-ecr';
import * as ecrPublic from '@aws-sdk/client-ecr-public';
import type { Api } from '@ecrkit/core-types';

/** What an SDK exception looked like to the caller. */
export interface SdkFailure {
  name: string;
  fault?: string;
  statusCode?: number;
  requestId?: string;
  message: string;
}

export type SdkResult = { ok: true; output: Record<string, unknown> } | { ok: false; error: SdkFailure };

export interface SdkCall {
  api: Api;
  operation: string;
  input: unknown;
  endpoint: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const defaultCredentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

type Client = { send(command: unknown): Promise<Record<string, unknown>>; destroy(): void };
type CommandClass = new (input: unknown) => unknown;
interface SdkError {
  name: string;
  message: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * The real @aws-sdk/client-ecr and @aws-sdk/client-ecr-public, in process: one cached client per
 * api, endpoint, region and key pair (`maxAttempts: 1`), commands looked up by operation name,
 * outputs without `$metadata` and failures as plain data, so tests compare them with the
 * in-process transport's.
 */
export class AwsSdk {
  readonly #clients = new Map<string, Client>();

  #clientFor(call: SdkCall & { credentials: NonNullable<SdkCall['credentials']> }): Client {
    const key = JSON.stringify([call.api, call.endpoint, call.region, call.credentials]);
    let client = this.#clients.get(key);
    if (!client) {
      const config = { endpoint: call.endpoint, region: call.region, credentials: call.credentials, maxAttempts: 1 };
      client = (call.api === 'ecr-public' ? new ecrPublic.ECRPUBLICClient(config) : new ecr.ECRClient(config)) as unknown as Client;
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Send one command through a cached SDK client; SDK failures resolve as `{ ok: false }`, an unknown operation rejects. */
  async send(call: SdkCall): Promise<SdkResult> {
    const commands = (call.api === 'ecr-public' ? ecrPublic : ecr) as unknown as Record<string, CommandClass | undefined>;
    const Command = commands[`${call.operation}Command`];
    if (!Command) throw new Error(`No command ${call.operation}`);
    try {
      const { $metadata: _metadata, ...output } = await this.#clientFor({ credentials: defaultCredentials, ...call }).send(new Command(call.input));
      return { ok: true, output };
    } catch (err) {
      const e = err as SdkError;
      return {
        ok: false,
        error: { name: e.name, fault: e.$fault, statusCode: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId, message: e.message },
      };
    }
  }

  /** Destroy the cached clients (their sockets). */
  close(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
