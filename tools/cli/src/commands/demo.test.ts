import { expect, test } from 'vitest';
import { commandName } from './demo.js';

test("the demo's closing hint names the CLI as the reader can run it", () => {
  // `npm start` and `npx ecrkit` in the repository: the bin is linked there, not on the PATH.
  expect(commandName({ npm_command: 'start' })).toBe('npx ecrkit');
  expect(commandName({ npm_command: 'exec' })).toBe('npx ecrkit');
  // A global install puts `ecrkit` on the PATH.
  expect(commandName({})).toBe('ecrkit');
});
