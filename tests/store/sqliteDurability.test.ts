// A7: the SQLite adapter's own connection runs a write-ahead log with synchronous = FULL, so a
// commit that returned is on disk (NORMAL would lose the last commits on a power cut in WAL
// mode). Read back with PRAGMA on the connection the adapter opened: synchronous is set per
// connection, so a second connection could not see it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sqlite from 'node:sqlite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';

const opened = vi.hoisted(() => [] as Sqlite.DatabaseSync[]);

vi.mock('node:sqlite', async (importOriginal) => {
  const sqlite = await importOriginal<typeof Sqlite>();
  class SeenDatabase extends sqlite.DatabaseSync {
    constructor(...args: ConstructorParameters<typeof sqlite.DatabaseSync>) {
      super(...args);
      opened.push(this);
    }
  }
  return { ...sqlite, DatabaseSync: SeenDatabase };
});

const dir = mkdtempSync(join(tmpdir(), 'freehold-sqlite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('A7: SQLite adapter (node:sqlite) durability', () => {
  it('A7: opens its store in WAL mode with synchronous = FULL', async () => {
    const store = createSqliteChainStore(join(dir, 'store.sqlite'));
    expect(opened).toHaveLength(1);
    const db = opened[0]!;
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    await store.close();
  });
});
