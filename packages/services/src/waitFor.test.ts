import { describe, expect, it } from 'vitest';
import { ManualClock, isEcrError } from '@ecrkit/core-types';
import { waitFor } from './waitFor.js';
import type { WaiterState } from './waitFor.js';

function poller(states: string[], clock: ManualClock) {
  const polledAt: number[] = [];
  let i = 0;
  return {
    polledAt,
    poll: async () => {
      polledAt.push(clock.now());
      return states[Math.min(i++, states.length - 1)]!;
    },
  };
}

const acceptor = (s: string): WaiterState => (s === 'done' ? 'SUCCESS' : s === 'failed' ? 'FAILURE' : 'RETRY');

describe('waitFor', () => {
  it('polls at once, then backs off 1 s, 2 s, 4 s … capped at 30 s (no jitter)', async () => {
    const clock = new ManualClock(0);
    const states = [...Array<string>(8).fill('running'), 'done'];
    const p = poller(states, clock);
    const run = waitFor({ poll: p.poll, acceptor, clock, random: () => 0, timeoutKind: 'ScanTimeout', description: 'x' });
    await clock.runAll();
    const result = await run;
    expect(result).toMatchObject({ state: 'SUCCESS', result: 'done', attempts: 9 });
    const gaps = p.polledAt.slice(1).map((t, i) => t - p.polledAt[i]!);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitter shortens each delay by at most 20 %', async () => {
    const clock = new ManualClock(0);
    const p = poller(['running', 'running', 'running', 'done'], clock);
    const run = waitFor({ poll: p.poll, acceptor, clock, random: () => 0.999, timeoutKind: 'ScanTimeout', description: 'x' });
    await clock.runAll();
    await run;
    const gaps = p.polledAt.slice(1).map((t, i) => t - p.polledAt[i]!);
    expect(gaps).toEqual([800, 1600, 3201]);
  });

  it('ends with the given timeout kind, after a last poll at the deadline', async () => {
    const clock = new ManualClock(0);
    const p = poller(['running'], clock);
    const run = waitFor({
      poll: p.poll,
      acceptor,
      clock,
      random: () => 0,
      timeoutMs: 10_000,
      timeoutKind: 'ReplicationTimeout',
      description: 'replication',
      describeLast: (s) => s,
    });
    const outcome = run.catch((e: unknown) => e);
    await clock.runAll();
    const err = await outcome;
    expect(isEcrError(err) && err.kind).toBe('ReplicationTimeout');
    expect((err as Error).message).toContain('last state: running');
    expect(p.polledAt).toEqual([0, 1000, 3000, 7000, 10000]);
  });

  it('returns FAILURE without throwing', async () => {
    const clock = new ManualClock(0);
    const p = poller(['running', 'failed'], clock);
    const run = waitFor({ poll: p.poll, acceptor, clock, random: () => 0, timeoutKind: 'ScanTimeout', description: 'x' });
    await clock.runAll();
    expect(await run).toMatchObject({ state: 'FAILURE', attempts: 2, elapsedMs: 1000 });
  });

  it('an abort during a sleep ends the wait at once with Aborted', async () => {
    const clock = new ManualClock(0);
    const p = poller(['running'], clock);
    const controller = new AbortController();
    const progress: number[] = [];
    const run = waitFor({
      poll: p.poll,
      acceptor,
      clock,
      signal: controller.signal,
      onProgress: (pr) => progress.push(pr.nextDelayMs),
      random: () => 0,
      timeoutKind: 'ScanTimeout',
      description: 'x',
    }).catch((e: unknown) => e);
    await clock.advance(1500);
    controller.abort();
    const err = await run;
    expect(isEcrError(err) && err.kind).toBe('Aborted');
    expect(p.polledAt).toEqual([0, 1000]);
    expect(progress).toEqual([1000, 2000]);
    expect(clock.pending).toBe(0);
  });

  it('refuses negative or non-finite durations', async () => {
    const clock = new ManualClock(0);
    await expect(waitFor({ poll: async () => 'done', acceptor, clock, timeoutMs: -1, timeoutKind: 'ScanTimeout', description: 'x' })).rejects.toMatchObject({
      kind: 'InvalidParameter',
      field: 'timeoutMs',
    });
    await expect(
      waitFor({ poll: async () => 'done', acceptor, clock, pollIntervalMs: Number.POSITIVE_INFINITY, timeoutKind: 'ScanTimeout', description: 'x' }),
    ).rejects.toMatchObject({ field: 'pollIntervalMs' });
  });
});
