import { isEcrError } from '@ecrkit/core-types';
import { expect } from 'vitest';
import { verifySigV4, type SigV4Credential, type SigV4Request } from '../../src/server/verifySigV4.js';

// Shared by the SigV4 verifier tests: one known key pair, the signing time, and a helper for
// requests that must be refused.

export const signedAt = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
export const alice: SigV4Credential = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret/+=', accountId: '111111111111' };
export const credentialFor = (akid: string) => (akid === alice.accessKeyId ? alice : undefined);

/** The InvalidSignature error verifying `request` (scoped to `ecr`) at `now` fails with; throws if it verifies. */
export function failure(request: SigV4Request, now = signedAt.getTime()): { awsCode?: string; statusCode?: number; message: string } {
  try {
    verifySigV4(request, { credentialFor, now, expectedService: 'ecr' });
  } catch (err) {
    expect(isEcrError(err)).toBe(true);
    if (isEcrError(err)) {
      expect(err.kind).toBe('InvalidSignature');
      return { awsCode: err.awsCode, statusCode: err.statusCode, message: err.message };
    }
  }
  throw new Error('expected verification to fail');
}
