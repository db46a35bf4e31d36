import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, type DomainErrorKind, fold } from '../../src/domain/decider.js';
import { pharmacyDecider } from '../../src/domain/routing/pharmacy.js';
import { type StaffAccountCommand, staffAccountDecider } from '../../src/domain/staff/staffAccount.js';
import { sendError } from '../../src/http/errors.js';

/** Every domain refusal reaches the client as problem+json whose status follows from its kind. */
let thrown: unknown;
const app = Fastify();
app.setErrorHandler(sendError);
app.get('/refuse', async () => {
  throw thrown;
});
beforeAll(() => app.ready());
afterAll(() => app.close());

const answerTo = async (error: unknown) => {
  thrown = error;
  const response = await app.inject({ method: 'GET', url: '/refuse' });
  expect(response.headers['content-type']).toContain('application/problem+json');
  return { status: response.statusCode, body: response.json() as { code: string; title: string } };
};

/** The refusal a decider throws for this command on this history. */
const refusalOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the decider accepted the command');
};

describe('a refusal maps to HTTP by its kind', () => {
  const statuses: [DomainErrorKind, number][] = [
    ['not_found', 404],
    ['conflict', 409],
    ['gone', 410],
    ['forbidden', 403],
    ['invalid', 422],
  ];
  it.each(statuses)('%s is %i', async (kind, status) => {
    const answer = await answerTo(new DomainError(kind, 'SOME_RULE', 'refused'));
    expect(answer).toMatchObject({ status, body: { code: 'SOME_RULE' } });
  });

  it('an upload refused for its size or type keeps its precise status', async () => {
    expect((await answerTo(new DomainError('invalid', 'FILE_TOO_LARGE', 'too big'))).status).toBe(413);
    expect((await answerTo(new DomainError('invalid', 'FILE_TYPE_NOT_ALLOWED', 'no'))).status).toBe(415);
  });
});

describe('refusals that used to read as 422', () => {
  it('a missing staff account is 404', async () => {
    const error = refusalOf(() =>
      staffAccountDecider.decide(
        { type: 'DisableAccount', reason: 'left', bySelf: false },
        staffAccountDecider.initialState(),
      ),
    );
    expect(await answerTo(error)).toMatchObject({ status: 404, body: { code: 'STAFF_NOT_FOUND' } });
  });

  it('a missing pharmacy is 404 outside the reference routes too', async () => {
    const error = refusalOf(() =>
      pharmacyDecider.decide(
        { type: 'SuspendPharmacy', reason: 'inspection' },
        pharmacyDecider.initialState(),
      ),
    );
    expect(await answerTo(error)).toMatchObject({ status: 404, body: { code: 'PHARMACY_NOT_FOUND' } });
  });

  it('creating a staff account twice is a 409 conflict', async () => {
    const create: StaffAccountCommand = {
      type: 'CreateStaffAccount',
      staffId: '01J0000000000000000000STAF',
      email: 'ops@example.org',
      displayName: 'Ops',
      roles: ['ops'],
      mustChangePassword: true,
    };
    const created = fold(
      staffAccountDecider,
      staffAccountDecider.decide(create, staffAccountDecider.initialState()),
    );
    const error = refusalOf(() => staffAccountDecider.decide(create, created));
    expect(await answerTo(error)).toMatchObject({ status: 409, body: { code: 'STAFF_EXISTS' } });
  });
});
