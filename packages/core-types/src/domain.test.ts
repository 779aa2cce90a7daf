import { describe, expect, it } from 'vitest';
import { catchEcrError } from '../test/arbitraries.js';
import { authorizationTokenFromWire, dockerCredentials, loginCommand, replicationStateOf, scanStateOf } from './domain.js';
import { toBase64 } from './wire/codec.js';
import { ReplicationStatus, ScanStatus } from './wire/ecr.generated.js';

describe('states', () => {
  it('classifies every scan status, and an unknown or absent one as still in progress', () => {
    const states = Object.fromEntries(Object.values(ScanStatus).map((s) => [s, scanStateOf(s)]));
    expect(states).toEqual({
      IN_PROGRESS: 'inProgress',
      PENDING: 'inProgress',
      ACTIVE: 'complete',
      COMPLETE: 'complete',
      FAILED: 'failed',
      UNSUPPORTED_IMAGE: 'failed',
      SCAN_ELIGIBILITY_EXPIRED: 'failed',
      FINDINGS_UNAVAILABLE: 'failed',
      LIMIT_EXCEEDED: 'failed',
      IMAGE_ARCHIVED: 'failed',
    });
    // A status AWS adds later must keep a waiter polling, not stop it as failed.
    expect(scanStateOf('SOME_FUTURE_STATUS')).toBe('inProgress');
    expect(scanStateOf(undefined)).toBe('inProgress');
  });

  it('classifies every replication status, and an unknown or absent one as still in progress', () => {
    const states = Object.fromEntries(Object.values(ReplicationStatus).map((s) => [s, replicationStateOf(s)]));
    expect(states).toEqual({ IN_PROGRESS: 'inProgress', COMPLETE: 'complete', FAILED: 'failed' });
    // A status AWS adds later must keep a waiter polling, not stop it as failed.
    expect(replicationStateOf('SOME_FUTURE_STATUS')).toBe('inProgress');
    expect(replicationStateOf(undefined)).toBe('inProgress');
  });
});

describe('authorization', () => {
  const wire = {
    authorizationToken: toBase64(new TextEncoder().encode('AWS:p4ssw0rd')),
    expiresAt: new Date('2024-01-01T12:00:00Z'),
    proxyEndpoint: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com',
  };

  it('decodes Docker credentials and builds a login command without the password', () => {
    const creds = dockerCredentials(authorizationTokenFromWire(wire));
    expect(creds.username).toBe('AWS');
    expect(creds.password.reveal()).toBe('p4ssw0rd');
    expect(creds.registry).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    expect(creds.expiresAt).toEqual(wire.expiresAt);
    const login = loginCommand(creds);
    expect(login.args).toEqual(['login', '--username', 'AWS', '--password-stdin', creds.registry]);
    expect(login.stdin.reveal()).toBe('p4ssw0rd');
    expect(`${login.display} ${JSON.stringify(login)}`).not.toContain('p4ssw0rd');
  });

  it('refuses incomplete or malformed data as InvalidResponse', () => {
    expect(catchEcrError(() => authorizationTokenFromWire({ ...wire, authorizationToken: undefined })).kind).toBe('InvalidResponse');
    const bad = authorizationTokenFromWire({ ...wire, authorizationToken: toBase64(new TextEncoder().encode('root:x')) });
    const err = catchEcrError(() => dockerCredentials(bad));
    expect(err.kind).toBe('InvalidResponse');
    expect(err.message).not.toContain('root:x');
  });
});
