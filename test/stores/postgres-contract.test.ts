import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  createPostgresWhitelistStore,
  type PostgresWhitelistStore,
} from '../../src/stores/postgres/index.js';
import { runWhitelistStoreContract } from '../../src/testing/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';

describe.skipIf(!postgresGate.available)('PostgresWhitelistStore (real PostgreSQL 15)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.destroy());

  // A fresh schema per test: every store starts empty, and the migration runs each time.
  runWhitelistStoreContract(
    test,
    () => createPostgresWhitelistStore({ connectionString: server.url, schema: uniqueSchema('contract') }),
    {
      reopen: (store) => {
        const { schema } = store as PostgresWhitelistStore;
        return createPostgresWhitelistStore({ connectionString: server.url, schema });
      },
    },
  );
});
