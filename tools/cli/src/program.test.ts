import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test/captureIo.js';
import { App } from './App.js';
import { main } from './main.js';
import { createProgram } from './program.js';

const io = () => captureIo();

function leafCommands(command: Command, path: string[] = []): string[][] {
  if (command.commands.length === 0) return [path];
  return command.commands.flatMap((c) => leafCommands(c, [...path, c.name()]));
}

describe('help', () => {
  const commands = leafCommands(createProgram(new App(io().io)));

  it('covers every command of the issue', () => {
    const names = commands.map((c) => c.join(' '));
    for (const expected of [
      'repos',
      'repo',
      'images',
      'describe',
      'manifest',
      'config',
      'layers',
      'tag',
      'untag',
      'delete',
      'scan',
      'findings',
      'lifecycle preview',
      'login',
      'get-login-password',
      'pull-secret',
      'replication status',
      'replication verify',
      'deployable',
      'pin',
      'similar',
      'public repos',
      'public images',
      'sim serve',
      'demo',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(commands.map((c) => [c.join(' ')]))('`%s --help` has examples and the exit codes, and exits 0', async (name) => {
    const s = io();
    const code = await main([...name.split(' '), '--help'], s.io);
    expect(code).toBe(0);
    expect(s.out()).toContain(`Usage: ecrkit ${name}`);
    expect(s.out()).toContain('Examples:');
    expect(s.out()).toContain('Exit codes: 0 ok, 1 gate failed, 2 usage, 3 not found, 4 auth, 5 service/transport');
  });

  it('the root help lists targets and every exit code', async () => {
    const s = io();
    expect(await main(['--help'], s.io)).toBe(0);
    for (const text of [
      'Targets:',
      'Exit codes:',
      '  1  a gate failed',
      '  2  usage error',
      '  3  not found',
      '  4  authentication',
      '  5  service or transport',
      '  6  not finished yet',
    ]) {
      expect(s.out()).toContain(text);
    }
  });

  it('--version exits 0', async () => {
    const s = io();
    expect(await main(['--version'], s.io)).toBe(0);
    expect(s.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
