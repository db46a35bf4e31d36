/** The vendor could not be reached or answered 5xx/timeout: the platform retries on its schedule. */
export class VendorUnavailableError extends Error {
  constructor(
    readonly vendor: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'VendorUnavailableError';
  }
}

/** The vendor answered 4xx: a business outcome, never retried. */
export class VendorRejectedError extends Error {
  constructor(
    readonly vendor: string,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'VendorRejectedError';
  }
}
