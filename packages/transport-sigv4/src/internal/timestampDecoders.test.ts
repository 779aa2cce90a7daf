import { operationNames, operationSpec } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';
import { timestampDecoderSource } from '../../scripts/timestampDecoderSource.js';
import { timestampDecoders } from './timestampDecoders.generated.js';

describe('timestampDecoders.generated.ts', () => {
  it('is what the generator writes from the operation table (regenerate with vitest -u)', async () => {
    await expect(timestampDecoderSource()).toMatchFileSnapshot('./timestampDecoders.generated.ts');
  });

  it('has a decoder for exactly the operations whose output has timestamps', () => {
    const withTimestamps = (['ecr', 'ecr-public'] as const).flatMap((api) =>
      operationNames(api)
        .map((op) => operationSpec(api, op)!)
        .filter((spec) => (spec.outputTimestamps?.length ?? 0) > 0)
        .map((spec) => spec.target),
    );
    expect([...timestampDecoders.keys()].sort()).toEqual(withTimestamps.sort());
  });
});
