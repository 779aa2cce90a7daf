import { EcrError } from '@ecrkit/core-types';

/** One statement of a repository (IAM resource) policy, normalised. */
export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** `"*"` or the principal object as written. */
  principal?: unknown;
  /** `Action`, always as a list (empty when the statement uses `NotAction`). */
  actions: string[];
  notActions?: string[];
  condition?: Record<string, unknown>;
  /** The statement exactly as in the document. */
  raw: Record<string, unknown>;
}

function asList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/**
 * Parse an IAM policy document's statements. `Statement` may be one object or a list, and
 * `Action` a string or a list (IAM grammar).
 *
 * @throws EcrError kind `InvalidResponse` when the text is not a policy document.
 */
export function parsePolicyStatements(text: string): PolicyStatement[] {
  const bad = (why: string) =>
    new EcrError({ kind: 'InvalidResponse', operation: 'GetRepositoryPolicy', message: `The repository policy is not a policy document: ${why}` });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('not a JSON object');
  const raw = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw bad(`statement ${i} is not an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw bad(`statement ${i} has no Effect of Allow or Deny`);
    const actions = asList(st.Action);
    const notActions = asList(st.NotAction);
    if (st.Action !== undefined && !actions) throw bad(`statement ${i} has a malformed Action`);
    const statement: PolicyStatement = { effect: st.Effect, actions: actions ?? [], raw: st };
    if (typeof st.Sid === 'string') statement.sid = st.Sid;
    if (st.Principal !== undefined) statement.principal = st.Principal;
    if (notActions) statement.notActions = notActions;
    if (typeof st.Condition === 'object' && st.Condition !== null) statement.condition = st.Condition as Record<string, unknown>;
    return statement;
  });
}
