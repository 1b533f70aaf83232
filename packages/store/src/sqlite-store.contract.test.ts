import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from '@ngb/plugin-sdk/testing/contracts';
import { afterAll } from 'vitest';
import { createSqliteStore } from './index';

const directory = mkdtempSync(join(tmpdir(), 'ngb-store-contract-'));
let counter = 0;
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeStoreContract('SQLite file', (seams) => {
  counter += 1;
  return createSqliteStore({ path: join(directory, `store-${counter}.db`), ...seams });
});

describeStoreContract('SQLite :memory:', (seams) => createSqliteStore({ path: ':memory:', ...seams }));
