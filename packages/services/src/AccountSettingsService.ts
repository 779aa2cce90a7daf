import { invalidParameter } from '@ecrkit/core-types';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/**
 * The account settings ECR knows today; others pass through to the registry, which decides.
 * `BASIC_SCAN_TYPE_VERSION`: `AWS_NATIVE` or `CLAIR`; `REGISTRY_POLICY_SCOPE`: `V1` or `V2`;
 * `BLOB_MOUNTING`: `ENABLED` or `DISABLED`.
 */
export type AccountSettingName = 'BASIC_SCAN_TYPE_VERSION' | 'REGISTRY_POLICY_SCOPE' | 'BLOB_MOUNTING' | (string & {});

/** One account setting and its value. */
export interface AccountSetting {
  name: string;
  value: string;
}

function requireText(value: unknown, field: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw invalidParameter(field, `must be a string of 1–${max} characters`);
  }
}

/** ECR account settings of the caller's registry in the client's region (GetAccountSetting, PutAccountSetting). */
export class AccountSettingsService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * A setting's value: the one put, else ECR's default.
   *
   * @throws EcrError kind `InvalidParameter` before any request for a name that is not 1–64
   * characters; the registry's `InvalidParameter` for a name it does not know.
   */
  async get(name: AccountSettingName, options: { signal?: AbortSignal } = {}): Promise<AccountSetting> {
    requireText(name, 'name', 64);
    const out = await this.#ctx.send('ecr', 'GetAccountSetting', { name }, callOptions(options).signal);
    return { name: out.name ?? name, value: out.value ?? '' };
  }

  /**
   * Set a setting (PutAccountSetting).
   *
   * @throws EcrError kind `InvalidParameter` before any request for an empty or over-long name or
   * value; the registry's `InvalidParameter` for a value the setting does not take.
   * @example
   * await client.accountSettings.put('BASIC_SCAN_TYPE_VERSION', 'AWS_NATIVE');
   */
  async put(name: AccountSettingName, value: string, options: { signal?: AbortSignal } = {}): Promise<AccountSetting> {
    requireText(name, 'name', 64);
    requireText(value, 'value', 64);
    const out = await this.#ctx.send('ecr', 'PutAccountSetting', { name, value }, callOptions(options).signal);
    return { name: out.name ?? name, value: out.value ?? value };
  }
}
