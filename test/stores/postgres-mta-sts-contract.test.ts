import pg from 'pg';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  createPostgresMtaStsCacheStore,
  type PostgresMtaStsCacheStore,
} from '../../src/stores/postgres/index.js';
import { runMtaStsCacheContract } from '../../src/testing/index.js';
import { postgresGate, startTestPostgres, type TestPostgres, uniqueSchema } from '../support/postgres.js';

describe.skipIf(!postgresGate.available)('PostgresMtaStsCacheStore (real PostgreSQL 15)', () => {
  let server: TestPostgres;
  let shared: pg.Pool;
  beforeAll(async () => {
    server = await startTestPostgres();
    shared = new pg.Pool({ connectionString: server.url, max: 4 });
    shared.on('error', () => undefined);
  });
  afterAll(async () => {
    await shared?.end();
    await server?.destroy();
  });

  // A fresh schema per test: every store starts empty, and the migration runs each time.
  runMtaStsCacheContract(
    test,
    () => createPostgresMtaStsCacheStore({ connectionString: server.url, schema: uniqueSchema('sts') }),
    {
      name: 'own pool',
      reopen: (store) => {
        const { schema } = store as PostgresMtaStsCacheStore;
        return createPostgresMtaStsCacheStore({ connectionString: server.url, schema });
      },
    },
  );

  // The app's own pool: the store borrows connections and never ends it (the next test still uses it).
  runMtaStsCacheContract(
    test,
    () => createPostgresMtaStsCacheStore({ pool: shared, schema: uniqueSchema('stspool') }),
    {
      name: 'shared pg.Pool',
      reopen: (store) => {
        const { schema } = store as PostgresMtaStsCacheStore;
        return createPostgresMtaStsCacheStore({ pool: shared, schema });
      },
    },
  );
});
