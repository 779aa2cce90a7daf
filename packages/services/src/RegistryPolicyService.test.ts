import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'replicate',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: ['ecr:ReplicateImage', 'ecr:CreateRepository'],
      Resource: '*',
    },
  ],
});

describe('RegistryPolicyService', () => {
  it('put, get and delete the registry policy, with its statements parsed', async () => {
    const f = setup();
    expect(await rejection(f.client.registryPolicy.get())).toMatchObject({ kind: 'RegistryPolicyNotFound' });
    const put = await f.client.registryPolicy.put(policy);
    expect(put).toMatchObject({ registryId: '123456789012', text: policy });
    expect(put.statements).toEqual([expect.objectContaining({ sid: 'replicate', effect: 'Allow', actions: ['ecr:ReplicateImage', 'ecr:CreateRepository'] })]);
    expect((await f.client.registryPolicy.get()).text).toBe(policy);
    expect((await f.client.registryPolicy.delete()).text).toBe(policy);
    expect(await rejection(f.client.registryPolicy.delete())).toMatchObject({ kind: 'RegistryPolicyNotFound' });
    expect(f.ops()).toEqual(['GetRegistryPolicy', 'PutRegistryPolicy', 'GetRegistryPolicy', 'DeleteRegistryPolicy', 'DeleteRegistryPolicy']);
  });

  it.each([
    ['not JSON', '{nope', 'must be a JSON policy document'],
    ['an array', '[]', 'must be a JSON object'],
    ['no statement', '{"Version":"2012-10-17"}', 'must have a Statement'],
    ['too long', JSON.stringify({ Statement: [{ Sid: 'x'.repeat(10_300) }] }), 'length must be 1–10240'],
    ['not a string', 42, 'must be a string'],
  ])('put refuses %s before any request, naming policyText and the rule', async (_name, text, rule) => {
    const f = setup();
    const err = await rejection(f.client.registryPolicy.put(text as string));
    expect(err).toMatchObject({ kind: 'InvalidParameter', field: 'policyText' });
    expect((err as Error).message).toContain(rule);
    expect(f.ops()).toEqual([]);
  });

  it("the registry's own rule stands: with scope V1 only replication and pull-through actions", async () => {
    const f = setup();
    await f.client.accountSettings.put('REGISTRY_POLICY_SCOPE', 'V1');
    const pull = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] });
    expect(await rejection(f.client.registryPolicy.put(pull))).toMatchObject({ kind: 'InvalidParameter', awsCode: 'InvalidParameterException' });
  });

  it('a read-only config refuses put and delete before sending', async () => {
    const f = setup({ config: (b) => b.readOnly(true) });
    expect(await rejection(f.client.registryPolicy.put(policy))).toMatchObject({ kind: 'ReadOnly' });
    expect(await rejection(f.client.registryPolicy.delete())).toMatchObject({ kind: 'ReadOnly' });
    expect(f.ops()).toEqual([]);
  });
});
