// A CLI writer for the state robustness suite: runs `ecrkit --state <file> tag <repo> <ref> <prefix>-<n>`
// `count` times, one whole CLI run (open, lock, load, tag, save, unlock) each, in this process, and
// prints `acked <tag>` once a run has exited 0 (the CLI acknowledges a change only after saving it).
// Usage: tagWriter.ts <state> <repo> <ref> <prefix> <count>
import { Writable } from 'node:stream';
import { main } from '../../src/main.js';

const [state, repo, ref, prefix, count] = process.argv.slice(2) as [string, string, string, string, string];
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
let failures = 0;
for (let i = 0; i < Number(count); i++) {
  const tag = `${prefix}-${i}`;
  let stderr = '';
  const err = new Writable({
    write: (chunk, _encoding, done) => {
      stderr += String(chunk);
      done();
    },
  });
  const code = await main(['--state', state, '--no-color', 'tag', repo, ref, tag], { stdout: sink(), stderr: err, env: process.env, cwd: process.cwd() });
  if (code === 0) process.stdout.write(`acked ${tag}\n`);
  else {
    failures++;
    process.stdout.write(`failed ${tag} ${code} ${JSON.stringify(stderr)}\n`);
  }
}
process.exitCode = failures === 0 ? 0 : 1;
