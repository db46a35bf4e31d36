import { consultationUrl } from '../commands/consultation/patientActions.js';
import { patientStatusToken } from '../commands/prescription/tokens.js';
import type { Mailer } from '../integrations/email/port.js';
import type { Brand } from '../platform/brand.js';
import type { SqlPool } from '../platform/sql.js';
import { emailOnFile } from '../projections/patientCaseQueries.js';
import { type Reactor, reactor } from './reactor.js';

export type PatientLinkEmailDeps = {
  pool: SqlPool;
  mailer: Mailer;
  publicUrl: string;
  linkSecret: string;
  /** An order's link is signed by the US business, a consultation's by the UK one. */
  brand: Pick<Brand, 'us' | 'uk'>;
};

const signOff = (pharmacy: string) =>
  `\n\nIf you did not ask for this link, you can ignore this e-mail.\n\nThe ${pharmacy} team`;

/**
 * Sends a fresh link for each `PatientLinkRequested`, to the address on file (never to the one the
 * request was typed with), issued at the request's own moment so a redelivery sends the same link.
 */
export const patientLinkEmailsProcess = (deps: PatientLinkEmailDeps): Reactor =>
  reactor({
    name: 'patient-link-emails',
    handles: ['PatientLinkRequested'],
    async handle(event, context) {
      const subject = {
        kind: event.data.kind,
        id: event.data.subjectId,
      };
      const to = await emailOnFile(deps.pool, subject);
      if (!to) return;
      const issuedAt = new Date(event.metadata.occurredAt);
      const url =
        subject.kind === 'order'
          ? `${deps.publicUrl}/orders/${subject.id}#token=${patientStatusToken(deps.linkSecret, subject.id, issuedAt)}`
          : consultationUrl(deps.publicUrl, deps.linkSecret, subject.id, issuedAt);
      const what = subject.kind === 'order' ? 'your order' : 'your consultation';
      await deps.mailer.send({
        to,
        subject: `Your link to ${what}`,
        text: `Here is a new link to ${what}. It works for a limited time.\n\n${url}${signOff(subject.kind === 'order' ? deps.brand.us : deps.brand.uk)}`,
        idempotencyKey: context.idempotencyKey('email'),
      });
    },
  });
