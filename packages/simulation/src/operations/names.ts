import { invalidParam } from '../internal/awsErrors.js';
import { isValidPublicRepositoryName, isValidRepositoryName } from '@ecrkit/core-types';
import { reqString, type Input } from '../internal/validate.js';
import type { OpContext } from './OpContext.js';

const privatePatternText = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*';
const publicPatternText = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';

/** Check a repository name against the API's rules (private: 2-256 characters; public: 2-205). */
export function checkRepositoryName(name: string, isPublic: boolean, path = 'repositoryName'): string {
  const max = isPublic ? 205 : 256;
  if (name.length < 2) throw invalidParam(path, 'Member must have length greater than or equal to 2');
  if (name.length > max) throw invalidParam(path, `Member must have length less than or equal to ${max}`);
  const valid = isPublic ? isValidPublicRepositoryName(name) : isValidRepositoryName(name);
  if (!valid) throw invalidParam(path, `must satisfy regular expression '${isPublic ? publicPatternText : privatePatternText}'`);
  return name;
}

/** The `repositoryName` member, checked for the call's API. */
export function repositoryName(ctx: OpContext): (input: Input) => string {
  return (input) => checkRepositoryName(reqString(input, 'repositoryName'), ctx.api === 'ecr-public');
}
