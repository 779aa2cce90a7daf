import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isEcrError } from '../EcrError.js';
import { decodeInput, decodeOutput, encodeInput, encodeOutput, fromBase64, toBase64 } from './codec.js';
import { ecrOperations } from './operationTable.generated.js';

describe('wire codec', () => {
  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 1000 })('base64 round-trips and matches Buffer', (bytes) => {
    const text = toBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(text)).toEqual(bytes);
  });

  it('rejects text that is not base64', () => {
    expect(fromBase64('ab$d')).toBeUndefined();
    expect(fromBase64('a')).toBeUndefined();
  });

  it('turns DescribeImages timestamps into Dates and back', () => {
    const pushedAt = new Date('2026-03-04T05:06:07.891Z');
    const wire = {
      imageDetails: [{ imageDigest: 'sha256:x', imagePushedAt: pushedAt.getTime() / 1000, imageScanFindingsSummary: { imageScanCompletedAt: 1700000000 } }],
      nextToken: 't',
    };
    const decoded = decodeOutput(ecrOperations.DescribeImages, wire) as {
      imageDetails: { imagePushedAt: Date; imageScanFindingsSummary: { imageScanCompletedAt: Date } }[];
    };
    expect(decoded.imageDetails[0]!.imagePushedAt).toEqual(pushedAt);
    expect(decoded.imageDetails[0]!.imageScanFindingsSummary.imageScanCompletedAt).toEqual(new Date(1700000000_000));
    expect(encodeOutput(ecrOperations.DescribeImages, decoded)).toEqual(wire);
    expect(wire.imageDetails[0]!.imagePushedAt).toBeTypeOf('number');
  });

  it('copies only the branches it converts and never mutates its argument', () => {
    const untouched = { imageDigest: 'sha256:a', imageTags: ['v1'] };
    const dated = { imageDigest: 'sha256:b', imagePushedAt: new Date(1_700_000_000_500) };
    const output = { imageDetails: [untouched, dated] };
    const wire = encodeOutput(ecrOperations.DescribeImages, output) as { imageDetails: Record<string, unknown>[] };
    expect(wire.imageDetails[0]).toBe(untouched);
    expect(wire.imageDetails[1]).toEqual({ imageDigest: 'sha256:b', imagePushedAt: 1_700_000_000.5 });
    expect(dated.imagePushedAt).toBeInstanceOf(Date);
    const plain = { imageDetails: [untouched] };
    expect(encodeOutput(ecrOperations.DescribeImages, plain)).toBe(plain);
  });

  it('reports a malformed timestamp as InvalidResponse', () => {
    try {
      decodeOutput(ecrOperations.DescribeImages, { imageDetails: [{ imagePushedAt: 'yesterday-ish' }] }, 'DescribeImages');
      expect.unreachable();
    } catch (err) {
      expect(isEcrError(err) && err.kind).toBe('InvalidResponse');
    }
  });

  it('sends UploadLayerPart blobs as base64 and reads them back', () => {
    const input = { repositoryName: 'r', uploadId: 'u', partFirstByte: 0, partLastByte: 2, layerPartBlob: new Uint8Array([1, 2, 3]) };
    const wire = encodeInput(ecrOperations.UploadLayerPart, input) as Record<string, unknown>;
    expect(wire.layerPartBlob).toBe('AQID');
    expect(decodeInput(ecrOperations.UploadLayerPart, JSON.parse(JSON.stringify(wire)))).toEqual(input);
  });
});
