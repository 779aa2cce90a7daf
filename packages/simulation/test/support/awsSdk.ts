import { Worker } from 'node:worker_threads';
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

export interface SignRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

const defaultCredentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

/**
 * The real @aws-sdk/client-ecr, @aws-sdk/client-ecr-public and @smithy/signature-v4, run in a
 * worker thread without vitest's resolve conditions (see awsSdkWorker.cjs).
 */
export class AwsSdk {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (result: SdkResult) => void>();
  #next = 0;

  constructor() {
    this.#worker = new Worker(new URL('./awsSdkWorker.cjs', import.meta.url), { execArgv: [] });
    this.#worker.on('message', ({ id, ...result }: { id: number } & SdkResult) => {
      this.#pending.get(id)?.(result as SdkResult);
      this.#pending.delete(id);
    });
  }

  #call(message: Record<string, unknown>): Promise<SdkResult> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ id, ...message });
    });
  }

  /** Send one command through a cached SDK client (`maxAttempts: 1`); never rejects. */
  send(call: SdkCall): Promise<SdkResult> {
    return this.#call({ kind: 'send', credentials: defaultCredentials, ...call });
  }

  /** Sign a request with @smithy/signature-v4; returns the signed headers. */
  async sign(
    request: SignRequest,
    options: { region: string; service: string; signingDate: Date; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } },
  ): Promise<{ headers: Record<string, string>; path: string }> {
    const result = await this.#call({
      kind: 'sign',
      request: { query: {}, ...request },
      region: options.region,
      service: options.service,
      signingDate: options.signingDate.getTime(),
      credentials: options.credentials ?? defaultCredentials,
    });
    if (!result.ok) throw new Error(result.error.message);
    return result.output as { headers: Record<string, string>; path: string };
  }

  close(): Promise<number> {
    return this.#worker.terminate();
  }
}
