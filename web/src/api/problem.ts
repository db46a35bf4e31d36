/** An RFC 9457 problem as the API sends it, plus the HTTP status when the body had none. */
export type Problem = {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
  requiredRoles?: string[];
  lockedUntil?: string;
};

/** A refused or failed request: the page shows its problem, never a stack trace. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.problem = problem;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads whatever came back into a problem: problem+json, plain JSON, or nothing useful at all. */
export const toProblem = (status: number, statusText: string, body: unknown): Problem => {
  if (!isRecord(body)) return { status, title: statusText || `Request failed (${status})` };
  const errors = Array.isArray(body.errors)
    ? body.errors
        .filter(isRecord)
        .map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
    : undefined;
  return {
    status: typeof body.status === 'number' ? body.status : status,
    title: typeof body.title === 'string' ? body.title : statusText || `Request failed (${status})`,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    code: typeof body.code === 'string' ? body.code : undefined,
    errors,
    requiredRoles: Array.isArray(body.requiredRoles) ? body.requiredRoles.map(String) : undefined,
    lockedUntil: typeof body.lockedUntil === 'string' ? body.lockedUntil : undefined,
  };
};

export const problemOf = (error: unknown): Problem =>
  error instanceof ApiError
    ? error.problem
    : { status: 0, title: 'Network error', detail: 'The server could not be reached. Check the connection.' };
