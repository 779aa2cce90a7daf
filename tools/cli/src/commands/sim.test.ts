import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveFlags } from '@ecrkit/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The bin's entry by path: it is the other front door, not part of the package's API.
import { main as simMain } from '../../../../packages/simulation/src/bin/main.js';
import { captureIo } from '../../test/captureIo.js';
import { main } from '../main.js';

// `ecrkit sim serve` and `ecrkit-sim serve` are one command: the same flags, and for the same
// mistake the same exit code and the same words (each with its own prefix).

const dir = mkdtempSync(join(tmpdir(), 'ecrkit-sim-parity-'));
let takenPort: number;
const taken = createServer();
beforeAll(async () => {
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as AddressInfo).port;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => taken.close(resolve));
});

async function viaCli(args: string[]): Promise<{ code: number; message: string }> {
  const s = captureIo({ cwd: dir, env: {} });
  const code = await main(['sim', 'serve', ...args], s.io);
  return {
    code,
    message: s
      .err()
      .replace(/^error: /, '')
      .trim(),
  };
}

async function viaBin(args: string[]): Promise<{ code: number; message: string }> {
  const err: string[] = [];
  const code = await simMain(['serve', ...args], { err: (l) => err.push(l), out: () => undefined, env: {}, cwd: dir });
  return {
    code,
    message: err
      .join('\n')
      .replace(/^ecrkit-sim: /, '')
      .trim(),
  };
}

describe('the two front doors of serve', () => {
  it('declare the same flags (--state is the CLI global, with the same meaning)', async () => {
    const s = captureIo({ cwd: dir });
    await main(['sim', 'serve', '--help'], s.io);
    const help = s.out();
    for (const flag of serveFlags.filter((f) => f.name !== 'state')) expect(help).toContain(`--${flag.name}${'value' in flag ? ` ${flag.value}` : ''}`);
    expect(help).toMatch(/`ps`/);
    expect(help).toContain('default 4510');
  });

  const badSeed = join(dir, 'bad-seed.json');
  writeFileSync(badSeed, JSON.stringify({ repositories: [{ name: 'UPPER case' }] }));
  it.each([
    ['a port out of range', ['--port', '70000'], 2],
    ['verification without keys', ['--verify-sigv4'], 2],
    ['a key id without its secret', ['--access-key', 'AKID'], 2],
    ['a public URL with a path', ['--public-url', 'http://sim.example/ecr'], 2],
    ['a budget below the body cap', ['--max-body-mib', '64', '--body-budget-mib', '8'], 2],
    ['a seed file that is not valid', ['--port', '0', '--seed', badSeed], 2],
    ['a seed file that does not exist', ['--port', '0', '--seed', join(dir, 'missing.json')], 2],
  ])('%s: the same exit code and message', async (_name, args, code) => {
    const [cli, bin] = [await viaCli(args), await viaBin(args)];
    expect(cli.code).toBe(code);
    expect(bin.code).toBe(code);
    expect(cli.message).toBe(bin.message);
  });

  it('a port in use: exit 5 on both, with the same message', async () => {
    const args = ['--port', String(takenPort), '--seed', 'empty'];
    const [cli, bin] = [await viaCli(args), await viaBin(args)];
    expect([cli.code, bin.code]).toEqual([5, 5]);
    expect(cli.message).toContain(`Could not listen on 127.0.0.1:${takenPort}: `);
    expect(cli.message).toBe(bin.message);
  });
});
