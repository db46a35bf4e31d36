import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/eventstore/postgres/notifier.js';
import { createLogger } from '../../src/platform/logger.js';
import type { SqlQueryable } from '../../src/platform/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitFor } from '../support/events.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('closing the notifier', () => {
  it('waits for a horizon poll in flight, and a poll its close cut short warns nobody', async () => {
    const lines: string[] = [];
    const log = createLogger({
      destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream,
    });
    // The horizon poll's query hangs until the test lets it fail, as it does when the pool closes.
    let fail!: (error: Error) => void;
    let asked = 0;
    const sender: SqlQueryable = {
      query: (() => {
        asked += 1;
        return new Promise((_, reject) => {
          fail = reject;
        });
      }) as SqlQueryable['query'],
    };
    const notifier = createNotifier(db.connectionString, log, sender, { horizonPollMs: 10 });
    notifier.onHorizon(() => {});
    await waitFor(() => asked === 1, 5_000, 'a horizon poll in flight');
    let closed = false;
    const closing = notifier.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(closed).toBe(false); // still waiting for the poll
    fail(new Error('Connection terminated'));
    await closing;
    expect(asked).toBe(1);
    expect(lines.filter((line) => line.includes('horizon poll failed'))).toEqual([]);
  });
});
