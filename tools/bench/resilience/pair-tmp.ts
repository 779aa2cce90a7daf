import { fork } from 'node:child_process';
const [a, b, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 21);
function start(spec: string) {
  const child = fork('/work/wt/pipeline/tools/bench/resilience/pairvariant-tmp.ts', [spec], {
    execArgv: ['--conditions=@ecrkit/source', '--import', 'tsx'],
    cwd: '/work/wt/pipeline/tools/bench/resilience',
  });
  const next = () => new Promise<any>((r) => child.once('message', r));
  return {
    ready: next(),
    async round(calls: number) {
      const p = next();
      child.send({ calls });
      return p;
    },
    close() {
      child.send('exit');
    },
  };
}
const A = start(a!),
  B = start(b!);
await A.ready;
await B.ready;
for (let i = 0; i < 4; i++) {
  await A.round(4000);
  await B.round(4000);
}
const ratios: number[] = [];
const as: number[] = [];
const bs: number[] = [];
for (let i = 0; i < rounds; i++) {
  const x = await A.round(4000);
  const y = await B.round(4000);
  ratios.push(y.cpuUs / x.cpuUs - 1);
  as.push(x.cpuUs);
  bs.push(y.cpuUs);
}
const med = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)]!;
console.log(`${a} ${med(as).toFixed(2)} vs ${b} ${med(bs).toFixed(2)}: ${(med(ratios) * 100).toFixed(1)}% (+${(med(bs) - med(as)).toFixed(2)} us)`);
A.close();
B.close();
