// The peer row's store, Emmett's PostgreSQL event store, in a process of its own: it sets pg's
// type parsers process-wide (int8 as BigInt, its own JSON parsing), which would change what our
// store and the raw anchor parse if it shared their process. Connects to EMMETT_DATABASE_URL,
// answers each round asked for over IPC with its appends a second, and exits when told to.
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { throughput } from './support.js';
import { metadata, payload } from './workload.js';

export type PeerRound = { writers: number; size: number; seconds: number };

/** The same events as our store's rounds, in the peer's shape: it makes each event's id itself. */
const batch = (size: number) =>
  Array.from({ length: size }, () => ({ type: 'BenchEventRecorded', data: payload, metadata }));

const store = getPostgreSQLEventStore(process.env.EMMETT_DATABASE_URL!);

const answer = async (round: PeerRound | 'close') => {
  if (round === 'close') {
    await store.close();
    process.exit(0);
  }
  const rate = await throughput(round.writers, round.seconds, (w, i) =>
    store.appendToStream(`bench-${w}x${i % 500}`, batch(round.size)).then(() => {}),
  );
  process.send!({ rate });
};

// Its tables (emt_*) are made by the first append; then it is ready.
store.appendToStream('bench-emmett-warm', batch(1)).then(
  () => {
    process.on('message', (round: PeerRound | 'close') => void answer(round));
    process.send!({ ready: true });
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
