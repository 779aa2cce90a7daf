import { awsError, invalidParam } from '../internal/awsErrors.js';
import { accountSettingValues, type RegistrySettings } from '../internal/registrySettings.js';
import { reqString } from '../internal/validate.js';
import type { OpContext, OperationHandler } from './OpContext.js';

/** The caller's registry-level settings in the call's region. */
export function settingsOf(ctx: OpContext, accountId = ctx.accountId): RegistrySettings {
  return ctx.store.registrySettings(accountId, ctx.region);
}

/** An account setting's value: the one put, else its default (which differs in lenient mode where moto differs). */
export function accountSetting(ctx: OpContext, name: string, accountId = ctx.accountId): string {
  const spec = accountSettingValues[name]!;
  return settingsOf(ctx, accountId).accountSettings[name] ?? (ctx.strict ? spec.strict : spec.lenient);
}

// With scope V1 a registry policy may only grant what replication and pull through cache need;
// V2 (the default for accounts created since the end of 2024) allows every ECR action.
const v1Actions = new Set(['ecr:ReplicateImage', 'ecr:CreateRepository', 'ecr:BatchImportUpstreamImage', 'ecr:*']);

/** A registry policy as ECR accepts it: an IAM policy document whose every action is an ECR action the scope allows. */
export function checkRegistryPolicy(text: string, scope: string): void {
  const invalid = () => invalidParam('PolicyText', 'Invalid registry policy provided');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid();
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) throw invalid();
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw invalid();
    const s = statement as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw invalid();
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw invalid();
    const actions = typeof s.Action === 'string' ? [s.Action] : s.Action;
    if (!Array.isArray(actions) || actions.length === 0) throw invalid();
    for (const action of actions) {
      if (typeof action !== 'string' || !action.startsWith('ecr:')) throw invalid();
      if (scope === 'V1' && !v1Actions.has(action)) throw invalid();
    }
  }
}

export const PutRegistryPolicy: OperationHandler = (ctx, input) => {
  const policyText = reqString(input, 'policyText', { max: 10240 });
  checkRegistryPolicy(policyText, accountSetting(ctx, 'REGISTRY_POLICY_SCOPE'));
  settingsOf(ctx).policyText = policyText;
  return { registryId: ctx.accountId, policyText };
};

function registryPolicyNotFound(registryId: string) {
  return awsError('RegistryPolicyNotFoundException', `Registry policy does not exist in the registry with id '${registryId}'`);
}

export const GetRegistryPolicy: OperationHandler = (ctx) => {
  const policyText = settingsOf(ctx).policyText;
  if (policyText === undefined) throw registryPolicyNotFound(ctx.accountId);
  return { registryId: ctx.accountId, policyText };
};

export const DeleteRegistryPolicy: OperationHandler = (ctx) => {
  const settings = settingsOf(ctx);
  const policyText = settings.policyText;
  if (policyText === undefined) throw registryPolicyNotFound(ctx.accountId);
  delete settings.policyText;
  return { registryId: ctx.accountId, policyText };
};

function settingName(input: Record<string, unknown>): string {
  const name = reqString(input, 'name', { min: 1, max: 64 });
  if (!Object.hasOwn(accountSettingValues, name)) {
    throw invalidParam('name', `Member must satisfy enum value set: [${Object.keys(accountSettingValues).join(', ')}]`);
  }
  return name;
}

export const GetAccountSetting: OperationHandler = (ctx, input) => {
  const name = settingName(input);
  return { name, value: accountSetting(ctx, name) };
};

export const PutAccountSetting: OperationHandler = (ctx, input) => {
  const name = settingName(input);
  const value = reqString(input, 'value');
  const allowed = accountSettingValues[name]!.values;
  if (!allowed.includes(value)) throw invalidParam('value', `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  settingsOf(ctx).accountSettings[name] = value;
  return { name, value };
};
