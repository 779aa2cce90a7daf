import { describe, expect, it } from 'vitest';
import { EcrError, ErrorKind, SecretString } from '@ecrkit/core-types';
import { CliError } from './CliError.js';
import { ExitCode, exitCodeFor } from './exitCodes.js';
import { createColors } from './internal/colors.js';
import { renderError } from './renderError.js';

describe('exitCodeFor', () => {
  it('maps error kinds to the documented codes', () => {
    const code = (kind: ErrorKind) => exitCodeFor(new EcrError({ kind, message: 'x' }));
    expect(code('InvalidParameter')).toBe(ExitCode.Usage);
    expect(code('RepositoryNotFound')).toBe(ExitCode.NotFound);
    expect(code('ImageNotFound')).toBe(ExitCode.NotFound);
    expect(code('ScanNotFound')).toBe(ExitCode.NotFound);
    expect(code('LifecyclePolicyNotFound')).toBe(ExitCode.NotFound);
    expect(code('AccessDenied')).toBe(ExitCode.Auth);
    expect(code('CredentialsUnavailable')).toBe(ExitCode.Auth);
    expect(code('ExpiredToken')).toBe(ExitCode.Auth);
    expect(code('InvalidSignature')).toBe(ExitCode.Auth);
    expect(code('Throttling')).toBe(ExitCode.Service);
    expect(code('Network')).toBe(ExitCode.Service);
    expect(code('ImageTagAlreadyExists')).toBe(ExitCode.Service);
    expect(code('ScanTimeout')).toBe(ExitCode.Service);
    expect(code('Aborted')).toBe(ExitCode.Interrupted);
    expect(exitCodeFor(new CliError('bad', { exitCode: ExitCode.Usage }))).toBe(ExitCode.Usage);
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.Service);
  });

  it('gives every kind a code in the documented set', () => {
    for (const kind of Object.values(ErrorKind)) {
      expect([2, 3, 4, 5, 130]).toContain(exitCodeFor(new EcrError({ kind, message: 'x' })));
    }
  });
});

describe('renderError', () => {
  const colors = createColors(false);

  it('is one line naming the problem and what to do', () => {
    const text = renderError(new EcrError({ kind: 'RepositoryNotFound', message: "The repository with name 'nope' does not exist" }), { colors, debug: false });
    expect(text).toBe("error: The repository with name 'nope' does not exist. Run `ecrkit repos` to list the repositories.\n");
  });

  it('names the repository in hints when known', () => {
    const text = renderError(new EcrError({ kind: 'ImageNotFound', message: 'no such image' }), { colors, debug: false, context: { repository: 'web-app' } });
    expect(text).toContain('`ecrkit images web-app`');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('adds details and the stack only with debug, never a secret', () => {
    const secret = new SecretString('hunter2-secret');
    const error = new EcrError({ kind: 'Network', message: 'no response', cause: { password: secret } });
    expect(renderError(error, { colors, debug: false })).not.toContain('at ');
    const debug = renderError(error, { colors, debug: true });
    expect(debug).toContain('kind');
    expect(debug).toMatch(/\n\s+at /);
    expect(debug).not.toContain('hunter2-secret');
  });
});
