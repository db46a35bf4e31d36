/** The parts of a vendor rate the choice depends on (the Shippo SDK's `Rate` fits). */
export type RateQuote = {
  amount: string;
  estimatedDays?: number | undefined;
};

/** Delivery within this many days is fast enough for room-temperature specialty drugs. */
export const STANDARD_MAX_DAYS = 3;

/** Vendor money strings ("12.5", "12.34") to integer minor units, without floating point. */
export const decimalToMinor = (amount: string): number => {
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a money amount with at most two decimals: "${amount}"`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

const cheapest = <R extends RateQuote>(rates: readonly R[]): R | undefined =>
  rates.reduce<R | undefined>(
    (best, rate) =>
      best === undefined || decimalToMinor(rate.amount) < decimalToMinor(best.amount) ? rate : best,
    undefined,
  );

/**
 * Cold chain: the cheapest overnight (1-day) rate, or none, since a slower box spoils the drug.
 * Otherwise: the cheapest rate arriving within three days, falling back to the cheapest overall.
 * A rate without an estimate never counts as fast.
 */
export const chooseRate = <R extends RateQuote>(
  rates: readonly R[],
  options: { coldChain: boolean },
): R | undefined => {
  const within = (days: number) =>
    rates.filter((r) => r.estimatedDays !== undefined && r.estimatedDays <= days);
  if (options.coldChain) return cheapest(within(1));
  return cheapest(within(STANDARD_MAX_DAYS)) ?? cheapest(rates);
};
