import type pg from 'pg';
import { describe, expectTypeOf, test } from 'vitest';
import {
  createPostgresWhitelistStore,
  type PgPoolLike,
  type PostgresWhitelistStore,
  type PostgresWhitelistStoreOptions,
} from '../../src/stores/postgres/index.js';
import type { WhitelistAuditRecord, WhitelistStore } from '../../src/whitelist/index.js';

describe('forced-tls/stores/postgres types', () => {
  test("a pg.Pool is accepted as it is, without @types/pg in the library's public types", () => {
    expectTypeOf<pg.Pool>().toExtend<PgPoolLike>();
    expectTypeOf<{ pool: pg.Pool }>().toExtend<PostgresWhitelistStoreOptions>();
  });

  test('the store is a WhitelistStore with revision() and audit()', () => {
    expectTypeOf(createPostgresWhitelistStore).returns.toEqualTypeOf<PostgresWhitelistStore>();
    expectTypeOf<PostgresWhitelistStore>().toExtend<WhitelistStore>();
    expectTypeOf<PostgresWhitelistStore['revision']>().returns.resolves.toEqualTypeOf<string>();
    expectTypeOf<PostgresWhitelistStore['audit']>().returns.resolves.toEqualTypeOf<
      readonly WhitelistAuditRecord[]
    >();
  });
});
