import { describe, expect, it } from 'vitest';
import { rejection, setup } from '../test/fixtures.js';

describe('AccountSettingsService', () => {
  it('reads the default, puts a value and reads it back', async () => {
    const f = setup();
    expect(await f.client.accountSettings.get('BASIC_SCAN_TYPE_VERSION')).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'AWS_NATIVE' });
    expect(await f.client.accountSettings.put('BASIC_SCAN_TYPE_VERSION', 'CLAIR')).toEqual({ name: 'BASIC_SCAN_TYPE_VERSION', value: 'CLAIR' });
    expect((await f.client.accountSettings.get('BASIC_SCAN_TYPE_VERSION')).value).toBe('CLAIR');
  });

  it('refuses an empty or over-long name or value before any request', async () => {
    const f = setup();
    expect(await rejection(f.client.accountSettings.get(''))).toMatchObject({ kind: 'InvalidParameter', field: 'name' });
    expect(await rejection(f.client.accountSettings.get('N'.repeat(65)))).toMatchObject({ kind: 'InvalidParameter', field: 'name' });
    expect(await rejection(f.client.accountSettings.put('REGISTRY_POLICY_SCOPE', ''))).toMatchObject({ kind: 'InvalidParameter', field: 'value' });
    expect(f.ops()).toEqual([]);
  });

  it('a value the setting does not take is the registry’s InvalidParameter', async () => {
    const f = setup();
    expect(await rejection(f.client.accountSettings.put('REGISTRY_POLICY_SCOPE', 'V9'))).toMatchObject({
      kind: 'InvalidParameter',
      awsCode: 'InvalidParameterException',
    });
  });
});
