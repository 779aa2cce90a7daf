import { validatePolicyDocument } from '@ecrkit/core-types';
import { parsePolicyStatements } from './parsePolicyStatements.js';
import type { PolicyStatement } from './parsePolicyStatements.js';
import { callOptions } from './internal/options.js';
import type { ServiceContext } from './internal/ServiceContext.js';

/** The registry's permissions policy (cross-account replication, pull through cache): its text and parsed statements. */
export interface RegistryPolicy {
  registryId?: string;
  text: string;
  statements: PolicyStatement[];
}

function policyFrom(out: { registryId?: string; policyText?: string }): RegistryPolicy {
  const text = out.policyText ?? '';
  return { ...(out.registryId !== undefined ? { registryId: out.registryId } : {}), text, statements: parsePolicyStatements(text) };
}

/**
 * The registry policy of the caller's registry in the client's region (ECR takes no registry id
 * for these calls: a registry policy is always the caller's own).
 */
export class RegistryPolicyService {
  readonly #ctx: ServiceContext;

  /** @internal Built by `createClient`. */
  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * The registry policy (GetRegistryPolicy).
   *
   * @throws EcrError kind `RegistryPolicyNotFound` when the registry has none.
   */
  async get(options: { signal?: AbortSignal } = {}): Promise<RegistryPolicy> {
    return policyFrom(await this.#ctx.send('ecr', 'GetRegistryPolicy', {}, callOptions(options).signal));
  }

  /**
   * Set the registry policy (PutRegistryPolicy), replacing any other.
   *
   * @throws EcrError kind `InvalidParameter` before any request when the text is not a policy
   * document of at most 10,240 characters; the registry's own `InvalidParameter` when it refuses
   * the policy's actions (with `REGISTRY_POLICY_SCOPE` V1, only replication and pull through cache actions).
   * @example
   * await client.registryPolicy.put(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:ReplicateImage', 'ecr:CreateRepository'], Resource: '*' }] }));
   */
  async put(policyText: string, options: { signal?: AbortSignal } = {}): Promise<RegistryPolicy> {
    validatePolicyDocument(policyText, 'policyText');
    return policyFrom(await this.#ctx.send('ecr', 'PutRegistryPolicy', { policyText }, callOptions(options).signal));
  }

  /**
   * Delete the registry policy (DeleteRegistryPolicy); returns the policy deleted.
   *
   * @throws EcrError kind `RegistryPolicyNotFound` when the registry has none.
   */
  async delete(options: { signal?: AbortSignal } = {}): Promise<RegistryPolicy> {
    return policyFrom(await this.#ctx.send('ecr', 'DeleteRegistryPolicy', {}, callOptions(options).signal));
  }
}
