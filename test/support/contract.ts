import { describe } from 'vitest';

/** An adapter a contract suite runs against, or the reason it cannot run here. */
export type ContractAdapter = { name: string; skipped?: string };

/**
 * One describe block per adapter. An adapter that cannot run here is listed as skipped, with its
 * reason in the block's title and on the console, so a missing server is never counted as a pass.
 */
export const describeEachAdapter = <A extends ContractAdapter>(
  title: string,
  adapters: readonly A[],
  contract: (adapter: A) => void,
) => {
  for (const adapter of adapters) {
    if (adapter.skipped === undefined) {
      describe(`${title}: ${adapter.name}`, () => contract(adapter));
    } else {
      const skipped = `${title}: ${adapter.name} — skipped: ${adapter.skipped}`;
      console.warn(skipped);
      describe.skip(skipped, () => contract(adapter));
    }
  }
};
