import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catchEcrError, expectOnlyEcrError } from '../test/arbitraries.js';
import { parseImageConfig } from './imageConfig.js';

const diff = `sha256:${'1'.repeat(64)}`;
const config = {
  architecture: 'arm64',
  variant: 'v8',
  os: 'linux',
  created: '2024-01-27T00:30:56.150879963Z',
  author: 'someone',
  config: {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    Cmd: ['/bin/sh'],
    Entrypoint: null,
    WorkingDir: '/',
    Labels: { 'org.opencontainers.image.version': '3.19' },
    ExposedPorts: { '80/tcp': {} },
    ArgsEscaped: true,
    Healthcheck: { Test: ['CMD', 'true'], Interval: 30_000_000_000, Retries: 3 },
  },
  history: [
    { created: '2024-01-27T00:30:56Z', created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created: '2024-01-27T00:30:56Z', created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true },
  ],
  rootfs: { type: 'layers', diff_ids: [diff] },
  unknownKey: 1,
};

describe('parseImageConfig', () => {
  it('parses os, architecture, created, config, history and rootfs', () => {
    const c = parseImageConfig(JSON.stringify(config));
    expect(c.os).toBe('linux');
    expect(c.architecture).toBe('arm64');
    expect(c.variant).toBe('v8');
    expect(c.created?.toISOString()).toBe('2024-01-27T00:30:56.150Z');
    expect(c.config?.Cmd).toEqual(['/bin/sh']);
    expect(c.config?.Entrypoint).toBeUndefined();
    expect(c.config?.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(c.config?.Healthcheck).toEqual({ Test: ['CMD', 'true'], Interval: 30_000_000_000, Retries: 3 });
    expect(c.history?.[1]).toEqual({ created: new Date('2024-01-27T00:30:56Z'), created_by: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', empty_layer: true });
    expect(c.rootfs).toEqual({ type: 'layers', diff_ids: [diff] });
    expect(c).not.toHaveProperty('unknownKey');
  });

  it('reads Windows os.version', () => {
    const c = parseImageConfig(JSON.stringify({ ...config, os: 'windows', 'os.version': '10.0.20348.2227' }));
    expect(c.osVersion).toBe('10.0.20348.2227');
  });

  it.each<[string, unknown, RegExp]>([
    ['no rootfs', { ...config, rootfs: undefined }, /rootfs must be an object/],
    ['no os', { ...config, os: 1 }, /os must be a string/],
    ['a bad diff id', { ...config, rootfs: { type: 'layers', diff_ids: ['sha256:x'] } }, /diff_ids\[0\]/],
    ['a bad timestamp', { ...config, created: 'yesterday' }, /RFC 3339/],
    ['a bad history entry', { ...config, history: [{ empty_layer: 'yes' }] }, /history\[0\]\.empty_layer/],
  ])('refuses %s', (_name, doc, message) => {
    const err = catchEcrError(() => parseImageConfig(JSON.stringify(doc)));
    expect(err.field).toBe('imageConfig');
    expect(err.message).toMatch(message);
  });

  test.prop(
    [
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      ),
    ],
    { numRuns: 1000 },
  )('throws only EcrError for any text or JSON', (text) => {
    expectOnlyEcrError(() => parseImageConfig(text));
  });

  test.prop(
    [
      fc.record(
        {
          os: fc.oneof(fc.string(), fc.jsonValue()),
          architecture: fc.oneof(fc.string(), fc.jsonValue()),
          created: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
            fc.jsonValue(),
          ),
          config: fc.oneof(fc.dictionary(fc.constantFrom('Env', 'Cmd', 'Labels', 'ExposedPorts', 'Healthcheck', 'User'), fc.jsonValue()), fc.jsonValue()),
          history: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('created', 'created_by', 'empty_layer'), fc.jsonValue())), fc.jsonValue()),
          rootfs: fc.oneof(fc.record({ type: fc.string(), diff_ids: fc.array(fc.oneof(fc.constant(diff), fc.string())) }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    ],
    { numRuns: 1000 },
  )('near-config documents throw only EcrError', (doc) => {
    expectOnlyEcrError(() => parseImageConfig(JSON.stringify(doc)));
  });
});
