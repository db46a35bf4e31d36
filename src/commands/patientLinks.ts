import type { EventStore } from '../eventstore/types.js';
import { type Clock, MINUTE } from '../platform/clock.js';
import { newUuid } from '../platform/ids.js';
import type { SqlPool } from '../platform/sql.js';
import { casesOfEmail } from '../projections/patientCaseQueries.js';
import { judgeConsultationToken } from './consultation/tokens.js';
import type { LinkTokenVerdict } from './patientLinkToken.js';
import { judgePatientStatusToken } from './prescription/tokens.js';

/** What a patient link opens: one order's status page, or one consultation. */
export type LinkSubject = { kind: 'order' | 'consultation'; id: string };

/** The events of a `patientlink-<subject>` stream. */
export type PatientLinkEvent =
  | { type: 'PatientLinksRevoked'; data: { kind: LinkSubject['kind']; subjectId: string; reason: string } }
  | { type: 'PatientLinkRequested'; data: { kind: LinkSubject['kind']; subjectId: string } };

/** Revocations and requests for new links of one order or consultation. */
export const patientLinkStream = (subjectId: string) => `patientlink-${subjectId}`;

/** A patient asking again within this long gets no second e-mail: the inbox is not a target. */
export const LINK_REQUEST_INTERVAL_MS = 5 * MINUTE;

export type PatientLinksDeps = {
  store: EventStore;
  pool: SqlPool;
  clock: Clock;
  linkSecret: string;
  /** How long a link works after it was issued. */
  ttlMs: number;
};

/**
 * Patient links: judged for age and revocation on every use; revoked for a subject in one event
 * (every link issued up to that instant stops working); asked for again by e-mail address, which
 * records a request per matching order or consultation for the link e-mail process to send.
 */
export const patientLinks = (deps: PatientLinksDeps) => {
  const { store, pool, clock } = deps;

  const history = (subjectId: string) => store.readStream(patientLinkStream(subjectId));

  const revokedBefore = async (subjectId: string): Promise<Date | null> => {
    const revocations = (await history(subjectId)).filter((e) => e.type === 'PatientLinksRevoked');
    const last = revocations.at(-1);
    return last ? new Date(last.metadata.occurredAt) : null;
  };

  const record = (subject: LinkSubject, type: string, data: Record<string, unknown>, actor: string) =>
    store.appendToStream(patientLinkStream(subject.id), [
      {
        id: newUuid(),
        type,
        data: { kind: subject.kind, subjectId: subject.id, ...data },
        metadata: {
          correlationId: subject.id,
          causationId: null,
          actor,
          occurredAt: clock.now().toISOString(),
        },
      },
    ]);

  return {
    async judge(subject: LinkSubject, token: unknown): Promise<LinkTokenVerdict> {
      const check = { now: clock.now(), ttlMs: deps.ttlMs, revokedBefore: await revokedBefore(subject.id) };
      return subject.kind === 'order'
        ? judgePatientStatusToken(deps.linkSecret, subject.id, token, check)
        : judgeConsultationToken(deps.linkSecret, subject.id, token, check);
    },

    /** Every link of the subject issued until now stops working; links issued later work. */
    async revoke(subject: LinkSubject, reason: string, actor: string): Promise<void> {
      await record(subject, 'PatientLinksRevoked', { reason }, actor);
    },

    /**
     * Records a request for a new link for each order and consultation of this address, at most
     * one per subject every few minutes. Nothing is said about whether there were any.
     */
    async requestByEmail(email: string): Promise<number> {
      const address = email.trim().toLowerCase();
      let requested = 0;
      for (const subject of await casesOfEmail(pool, address)) {
        const earlier = (await history(subject.id)).filter((e) => e.type === 'PatientLinkRequested').at(-1);
        if (
          earlier &&
          clock.now().getTime() - Date.parse(earlier.metadata.occurredAt) < LINK_REQUEST_INTERVAL_MS
        )
          continue;
        await record(subject, 'PatientLinkRequested', {}, 'patient:link-request');
        requested += 1;
      }
      return requested;
    },
  };
};

export type PatientLinks = ReturnType<typeof patientLinks>;
