import { ManualClock, isEcrError } from '@ecrkit/core-types';
import type { Transport } from '@ecrkit/core-types';
import { SimulatedRegistry, createSimulatedTransport } from '@ecrkit/simulation';
import type { OperationHistoryEntry } from '@ecrkit/simulation';
import { seededRandom } from '@ecrkit/test-utils';
import { describe, expect, it } from 'vitest';
import { resilient } from '../src/resilient.js';
import { withRetry } from '../src/withRetry.js';
import { applied } from './scriptedTransport.js';

const operations = 10_000;
const workers = 50;
const transientKinds = new Set(['Throttling', 'ServiceUnavailable', 'Network']);

/**
 * A registry failing 30% of calls with transient faults: throttling, HTTP 500s and dropped
 * connections. Each rule fires with p = 1 - 0.7^(1/3), independently, so together they fail
 * 1 - (1 - p)^3 = 30% of calls.
 */
function faultyRegistry(clock: ManualClock): SimulatedRegistry {
  const p = 1 - Math.cbrt(0.7);
  const registry = new SimulatedRegistry({ clock, seed: 20260101, historyLimit: 100_000 });
  for (let g = 0; g < 10; g++) registry.withRepository(`app-${g}`).withImage(`app-${g}`, { tags: ['v1', 'latest'] });
  return registry
    .withErrorInjection({ probability: p, error: 'ThrottlingException' })
    .withErrorInjection({ probability: p, error: 'ServerException' })
    .withErrorInjection({ probability: p, fault: 'drop-connection' });
}

/**
 * Operation i, told apart in the history by (repositoryName, maxResults): ten groups of 1000.
 * Every 20th targets a missing repository, so its right answer is the terminal RepositoryNotFound.
 */
function operation(i: number) {
  const group = Math.floor(i / 1000);
  const missing = i % 20 === 0;
  return {
    request: {
      api: 'ecr' as const,
      operation: i % 2 === 0 ? ('DescribeImages' as const) : ('ListImages' as const),
      region: 'us-east-1',
      input: { repositoryName: missing ? `missing-${group}` : `app-${group}`, maxResults: (i % 1000) + 1 },
    },
    expected: missing ? 'RepositoryNotFound' : 'ok',
  };
}

async function runAll(transport: Transport, clock: ManualClock): Promise<string[]> {
  const outcomes: string[] = new Array<string>(operations);
  let next = 0;
  const pool = Array.from({ length: workers }, async () => {
    while (next < operations) {
      const i = next++;
      const { request } = operation(i);
      outcomes[i] = await transport.send(request).then(
        () => 'ok',
        (error: unknown) => (isEcrError(error) ? error.kind : 'non-EcrError'),
      );
    }
  });
  await clock.runAll();
  await Promise.all(pool);
  return outcomes;
}

function attemptsByOperation(history: OperationHistoryEntry[]): Map<string, OperationHistoryEntry[]> {
  const byKey = new Map<string, OperationHistoryEntry[]>();
  for (const entry of history) {
    const input = entry.input as { repositoryName: string; maxResults: number };
    const key = `${input.repositoryName}|${input.maxResults}`;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  return byKey;
}

function outcomeKind(entry: OperationHistoryEntry): string {
  return entry.outcome === 'success' ? 'ok' : entry.outcome.kind;
}

describe('fault injection from the simulation: 30% transient faults', () => {
  it('withRetry (maxRetries 3) gets at least 99% of 10,000 operations through and never retries a terminal error', async () => {
    const clock = new ManualClock();
    const registry = faultyRegistry(clock);
    const transport = applied(createSimulatedTransport(registry), withRetry({ maxRetries: 3, clock, random: seededRandom(7) }));
    const outcomes = await runAll(transport, clock);

    const right = outcomes.filter((outcome, i) => outcome === operation(i).expected).length;
    expect(right / operations).toBeGreaterThanOrEqual(0.99);
    // Whatever went wrong was a transient fault that outlasted four attempts, nothing else.
    for (const [i, outcome] of outcomes.entries()) if (outcome !== operation(i).expected) expect(transientKinds.has(outcome)).toBe(true);

    const history = registry.getOperationHistory();
    const faults = history.filter((e) => e.outcome !== 'success' && transientKinds.has(outcomeKind(e))).length;
    expect(faults / history.length).toBeGreaterThan(0.27);
    expect(faults / history.length).toBeLessThan(0.33);

    const attempts = attemptsByOperation(history);
    expect(attempts.size).toBe(operations);
    let retriedTerminal = 0;
    for (const entries of attempts.values()) {
      expect(entries.length).toBeLessThanOrEqual(4);
      // Only transient faults are followed by another attempt.
      for (const entry of entries.slice(0, -1)) if (!transientKinds.has(outcomeKind(entry))) retriedTerminal++;
    }
    expect(retriedTerminal).toBe(0);
    const terminalAnswers = history.filter((e) => outcomeKind(e) === 'RepositoryNotFound').length;
    expect(terminalAnswers).toBeGreaterThan(400);
  });

  it('resilient() with every layer at its defaults (breaker on, fixed-rate limiter) does the same through the whole stack', async () => {
    const clock = new ManualClock();
    const registry = faultyRegistry(clock);
    const transport = resilient(createSimulatedTransport(registry), {
      clock,
      random: seededRandom(11),
      config: { maxRetries: 3, requestTimeoutMs: 5_000 },
      rateLimit: { adaptive: false },
      instrumentation: false,
    });
    const outcomes = await runAll(transport, clock);
    const right = outcomes.filter((outcome, i) => outcome === operation(i).expected).length;
    expect(right / operations).toBeGreaterThanOrEqual(0.99);
    let retriedTerminal = 0;
    for (const entries of attemptsByOperation(registry.getOperationHistory()).values()) {
      expect(entries.length).toBeLessThanOrEqual(4);
      for (const entry of entries.slice(0, -1)) if (!transientKinds.has(outcomeKind(entry))) retriedTerminal++;
    }
    expect(retriedTerminal).toBe(0);
    // 30% of attempts fail, but under 1% of calls do once retried: the breaker, counting calls, never opens.
    expect(transport.handles.breaker?.state('us-east-1/ecr')).toBe('closed');
    expect(outcomes.filter((o) => o === 'CircuitOpen')).toEqual([]);
  });
});
