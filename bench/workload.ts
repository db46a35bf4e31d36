// The append workload's events, shared by our store's rounds and the peer's process.

export const metadata = {
  correlationId: 'bench',
  causationId: null,
  actor: 'bench',
  occurredAt: '2026-11-21T00:00:00.000Z',
};

export const payload = {
  ndc: '00074055402',
  quantity: 2,
  daysSupply: 28,
  note: 'benchmark event with a realistic payload size',
};
