import * as ecr from '@aws-sdk/client-ecr';
import * as ecrPublic from '@aws-sdk/client-ecr-public';
import { operationNames, type Api } from '@ecrkit/core-types';
import { describe, expect, it } from 'vitest';

// The transport sends `new module[`${operation}Command`](input)` for every operation of the
// table, so the table and the installed clients must name the same operations: an SDK command
// the table lacks is an operation ecrkit cannot send, a table row without a command is one this
// transport cannot send. Regenerate with tools/codegen when this fails.
const clients: Record<Api, Record<string, unknown>> = { ecr, 'ecr-public': ecrPublic };

function sdkCommands(api: Api): string[] {
  return Object.entries(clients[api])
    .filter(([name, value]) => /^[A-Z][A-Za-z0-9]*Command$/.test(name) && typeof value === 'function')
    .map(([name]) => name.slice(0, -'Command'.length))
    .sort();
}

describe.each(['ecr', 'ecr-public'] as const)('%s: the operation table and the SDK client', (api) => {
  it('name the same operations, with no gap either way', () => {
    const table: string[] = [...operationNames(api)].sort();
    const commands = sdkCommands(api);
    expect({ missingFromTable: commands.filter((op) => !table.includes(op)), missingFromSdk: table.filter((op) => !commands.includes(op)) }).toEqual({
      missingFromTable: [],
      missingFromSdk: [],
    });
    expect(table.length).toBeGreaterThanOrEqual(api === 'ecr' ? 62 : 23);
  });
});
