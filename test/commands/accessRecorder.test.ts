import { describe, expect, it } from 'vitest';
import { createAccessRecorder } from '../../src/commands/accessLog.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { manualClock } from '../../src/platform/clock.js';

describe('access records of one process', () => {
  it('given a page polling an order, when it reads it again within the minute, then nothing is sent to the store; a new minute or another reader is recorded', async () => {
    const memory = createMemoryEventStore();
    let appends = 0;
    const store: EventStore = {
      ...memory,
      appendToStream: (...args) => {
        appends += 1;
        return memory.appendToStream(...args);
      },
    };
    const clock = manualClock('2026-12-04T12:00:05Z');
    const record = createAccessRecorder(store, clock);
    const read = { subjectId: 'ORDER1', actor: 'staff:ops', resource: 'order' };

    for (let poll = 0; poll < 5; poll++) await record(read);
    expect(appends).toBe(1);
    await record({ ...read, actor: 'staff:pharmacist' });
    expect(appends).toBe(2);
    clock.advance(60_000);
    await record(read);
    expect(appends).toBe(3);
    expect((await memory.readStream('access-ORDER1')).map((e) => e.metadata.actor)).toEqual([
      'staff:ops',
      'staff:pharmacist',
      'staff:ops',
    ]);
  });

  it('given an append that failed, when the page reads again, then the record is tried again', async () => {
    const memory = createMemoryEventStore();
    let failNext = true;
    const store: EventStore = {
      ...memory,
      appendToStream: (...args) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
        return memory.appendToStream(...args);
      },
    };
    const record = createAccessRecorder(store, manualClock('2026-12-04T12:00:05Z'));
    const read = { subjectId: 'ORDER2', actor: 'staff:ops', resource: 'order' };
    await expect(record(read)).rejects.toThrow('connection lost');
    await record(read);
    expect(await memory.readStream('access-ORDER2')).toHaveLength(1);
  });
});
