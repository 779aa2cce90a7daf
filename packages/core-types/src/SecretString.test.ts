import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretString, secret } from './SecretString.js';

const value = 'AKIA-very-secret-value';

describe('SecretString', () => {
  const s = new SecretString(value);
  const holder = { user: 'AWS', password: s, nested: [{ token: s }] };

  it.each<[string, () => string]>([
    ['toString', () => s.toString()],
    ['String()', () => String(s)],
    ['a template string', () => `${s}`],
    ['concatenation', () => `x${s}`],
    ['JSON.stringify', () => JSON.stringify(holder)],
    ['util.inspect', () => inspect(holder, { depth: 10 })],
    ['util.inspect with showHidden', () => inspect(s, { showHidden: true })],
    ['util.format %s %o %O %j', () => format('%s %o %O %j', s, holder, holder, holder)],
    ['console-like formatting', () => format('login with', s, holder)],
    ['an Error message', () => new Error(`failed for ${s}`).message],
  ])('is redacted in %s', (_name, render) => {
    const out = render();
    expect(out).not.toContain(value);
    expect(out).toContain('[redacted]');
  });

  it('reveals the value only on request', () => {
    expect(s.reveal()).toBe(value);
    expect(secret(s)).toBe(s);
    expect(secret('x').reveal()).toBe('x');
    expect(s.equals(new SecretString(value))).toBe(true);
    expect(s.equals(new SecretString(`${value}x`))).toBe(false);
    expect(new SecretString('').isEmpty).toBe(true);
  });
});
