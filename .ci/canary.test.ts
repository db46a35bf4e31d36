import { expect, it } from 'vitest';

// Fails on purpose: CI checks that a failing spec makes the test runner exit non-zero.
it('fails', () => {
  expect('the test runner reports failures').toBe('it does not');
});
