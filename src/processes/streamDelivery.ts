/**
 * Delivers a batch of events with streams side by side and each stream in order: at most `width`
 * streams are in hand at once, and a stream's next event is delivered only after its previous one
 * finished. Events of different streams carry no order a handler may rely on; events of one stream
 * do (an order's `PaymentReceived` before its `OrderCancelled`).
 *
 * After the first failure no new event starts; the ones in flight finish, then the failure is
 * thrown, so the caller never retries a batch while part of it is still being delivered.
 */
export const deliverByStream = async <E extends { streamName: string }>(
  events: readonly E[],
  width: number,
  deliver: (event: E) => Promise<unknown>,
): Promise<void> => {
  const streams = new Map<string, E[]>();
  for (const event of events) {
    const queue = streams.get(event.streamName);
    if (queue) queue.push(event);
    else streams.set(event.streamName, [event]);
  }
  const queues = [...streams.values()];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < queues.length) {
      const queue = queues[next++]!;
      for (const event of queue) {
        if (failure) return;
        try {
          await deliver(event);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, queues.length)) }, worker));
  if (failure) throw failure.error;
};
