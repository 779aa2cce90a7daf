import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { isEcrError } from '@ecrkit/core-types';
import { parsePolicyStatements } from './parsePolicyStatements.js';

describe('parsePolicyStatements', () => {
  it('accepts one statement object or a list, and Action as a string or a list', () => {
    expect(parsePolicyStatements(JSON.stringify({ Statement: { Effect: 'Allow', Action: 'ecr:*', Principal: '*' } }))).toEqual([
      { effect: 'Allow', actions: ['ecr:*'], principal: '*', raw: { Effect: 'Allow', Action: 'ecr:*', Principal: '*' } },
    ]);
    const [deny] = parsePolicyStatements(
      JSON.stringify({ Statement: [{ Sid: 'x', Effect: 'Deny', NotAction: ['ecr:Get*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
    );
    expect(deny).toMatchObject({ sid: 'x', effect: 'Deny', actions: [], notActions: ['ecr:Get*'], condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(parsePolicyStatements('{"Version":"2012-10-17"}')).toEqual([]);
  });

  it('refuses what is not a policy document with InvalidResponse', () => {
    for (const bad of ['', 'nope', '[]', '{"Statement":[1]}', '{"Statement":[{"Effect":"Maybe"}]}', '{"Statement":[{"Effect":"Allow","Action":5}]}']) {
      expect(() => parsePolicyStatements(bad)).toThrow(expect.objectContaining({ kind: 'InvalidResponse' }));
    }
  });

  test.prop([fc.oneof(fc.string(), fc.json())], { numRuns: 1000 })('raises nothing but EcrError on arbitrary text', (text) => {
    try {
      parsePolicyStatements(text);
    } catch (err) {
      expect(isEcrError(err)).toBe(true);
    }
  });
});
