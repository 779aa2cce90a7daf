import { ManualClock, isEcrError, type AwsCredentials } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { CredentialCache } from './CredentialCache.js';

function counting(make: (n: number) => AwsCredentials | Error) {
  let calls = 0;
  const provider = async () => {
    calls++;
    await Promise.resolve();
    const result = make(calls);
    if (result instanceof Error) throw result;
    return result;
  };
  return { provider, calls: () => calls };
}

describe('CredentialCache', () => {
  it('keeps credentials until five minutes before they expire, then refreshes', async () => {
    const clock = new ManualClock();
    const { provider, calls } = counting((n) => ({ accessKeyId: `AKID${n}`, secretAccessKey: 's', expiration: new Date(clock.now() + 15 * 60_000) }));
    const cache = new CredentialCache(provider, clock, 'test');
    expect(cache.peek()).toBeUndefined();
    expect((await cache.get()).accessKeyId).toBe('AKID1');
    await clock.advance(9 * 60_000);
    expect(cache.peek()?.accessKeyId).toBe('AKID1');
    await clock.advance(60_000 + 1);
    expect(cache.peek()).toBeUndefined();
    expect((await cache.get()).accessKeyId).toBe('AKID2');
    expect(calls()).toBe(2);
  });

  it('never refreshes credentials without an expiry', async () => {
    const clock = new ManualClock();
    const { provider, calls } = counting(() => ({ accessKeyId: 'AKID', secretAccessKey: 's' }));
    const cache = new CredentialCache(provider, clock, 'test');
    await cache.get();
    await clock.advance(365 * 24 * 3600_000);
    expect(cache.peek()?.accessKeyId).toBe('AKID');
    expect(calls()).toBe(1);
  });

  it('lets concurrent callers share one refresh', async () => {
    const clock = new ManualClock();
    const { provider, calls } = counting((n) => ({ accessKeyId: `AKID${n}`, secretAccessKey: 's' }));
    const cache = new CredentialCache(provider, clock, 'test');
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['AKID1']));
    expect(calls()).toBe(1);
  });

  it('uses unexpired credentials when a refresh inside the window fails, and fails once they expire', async () => {
    const clock = new ManualClock();
    const expiration = new Date(clock.now() + 10 * 60_000);
    const { provider } = counting((n) => (n === 1 ? { accessKeyId: 'AKID1', secretAccessKey: 's', expiration } : new Error('secret-bearing provider message')));
    const cache = new CredentialCache(provider, clock, 'profile dev');
    await cache.get();
    await clock.advance(6 * 60_000);
    expect((await cache.get()).accessKeyId).toBe('AKID1');
    await clock.advance(5 * 60_000);
    const err = await cache.get().catch((e: unknown) => e);
    expect(isEcrError(err) && err.kind).toBe('CredentialsUnavailable');
    expect((err as Error).message).toBe('Could not resolve AWS credentials (profile dev)');
  });

  it('rejects a provider answer without keys', async () => {
    const cache = new CredentialCache(async () => ({}) as AwsCredentials, new ManualClock(), 'custom provider');
    await expect(cache.get()).rejects.toMatchObject({ kind: 'CredentialsUnavailable' });
  });
});
