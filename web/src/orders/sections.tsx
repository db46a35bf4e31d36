import type { ReactNode } from 'react';
import { patientName } from '../../../src/projections/orders/orderView.js';
import type { Incident, OrderDetail, OrderEventRecord } from '../api/types.js';
import { hasRole } from '../auth/roles.js';
import { useStaffUser } from '../auth/session.js';
import { ActorName } from '../staff/directory.js';
import { Fact, Facts } from '../ui/components.js';
import { eventLabel, formatDateTime, formatMoney, statusLabel, webLink } from '../ui/format.js';
import { addressLine, contactOf } from './address.js';

const Section = ({ id, title, children }: { id: string; title: string; children: ReactNode }) => (
  <section aria-labelledby={`${id}-heading`} className="card">
    <h2 id={`${id}-heading`}>{title}</h2>
    {children}
  </section>
);

export const PatientSection = ({ order }: { order: OrderDetail }) => {
  const p = order.prescription.patient;
  // The contact details as staff corrected them: where the parcel goes and who gets the e-mails.
  const contact = contactOf(order);
  const corrected = (field: string) =>
    order.contactCorrections?.some((c) => c.fields.includes(field)) ? (
      <span className="flag flag-issue">corrected</span>
    ) : null;
  return (
    <Section id="patient" title="Patient">
      <Facts>
        <Fact term="Name">{patientName(order.prescription)}</Fact>
        <Fact term="Date of birth">{p.dateOfBirth}</Fact>
        <Fact term="Gender">{p.gender}</Fact>
        <Fact term="Delivery address">
          {addressLine(contact.address) || '—'}
          {corrected('address')}
        </Fact>
        <Fact term="Phone">
          {contact.phone}
          {corrected('phone')}
        </Fact>
        <Fact term="Email">
          {contact.email}
          {corrected('email')}
        </Fact>
        <Fact term="Texts">
          {!order.texts
            ? 'No (e-mail only)'
            : order.texts.line?.optedOut
              ? `${order.texts.phone}: the patient replied STOP, no texts are sent`
              : `${order.texts.phone} (payment link and delivery${
                  order.texts.line?.lastStatus ? `; last text ${order.texts.line.lastStatus}` : ''
                })`}
        </Fact>
      </Facts>
      {order.contactCorrections?.length ? (
        <>
          <h3>Contact corrections</h3>
          <ul>
            {order.contactCorrections.map((c) => (
              <li key={c.at}>
                {c.fields.join(', ')} — “{c.reason}” by <ActorName actor={c.by} />, {formatDateTime(c.at)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
};

export const PrescriptionSection = ({ order }: { order: OrderDetail }) => {
  const { medication: m, prescriber, pharmacy } = order.prescription;
  return (
    <Section id="prescription" title="Prescription">
      <Facts>
        <Fact term="Medication">{m.description}</Fact>
        <Fact term="Product code">
          {m.productCode
            ? `${m.productCode}${m.productCodeQualifier ? ` (${m.productCodeQualifier})` : ''}`
            : null}
        </Fact>
        <Fact term="Normalised NDC">{order.normalisedNdc}</Fact>
        <Fact term="Quantity">{m.quantity}</Fact>
        <Fact term="Days supply">{m.daysSupply}</Fact>
        <Fact term="Refills">{m.refills}</Fact>
        <Fact term="Directions">{m.sig}</Fact>
        <Fact term="Written">{m.writtenDate}</Fact>
        <Fact term="Prescriber">{[prescriber.firstName, prescriber.lastName].filter(Boolean).join(' ')}</Fact>
        <Fact term="Prescriber NPI">{prescriber.npi}</Fact>
        <Fact term="Prescriber DEA">{prescriber.dea}</Fact>
        <Fact term="Sending pharmacy">{pharmacy?.name}</Fact>
        <Fact term="Message id">
          <span className="mono">{order.messageId}</span>
        </Fact>
        <Fact term="Received">{formatDateTime(order.receivedAt)}</Fact>
      </Facts>
    </Section>
  );
};

export const ValidationSection = ({ order }: { order: OrderDetail }) => (
  <Section id="validation" title="Validation">
    {order.validationIssues.length === 0 ? (
      <p>{order.status === 'received' ? 'Not validated yet.' : 'No validation issues.'}</p>
    ) : (
      <ul className="issues" aria-label="Validation issues">
        {order.validationIssues.map((issue) => (
          <li key={`${issue.code}:${issue.field}`}>
            <strong>{issue.field}</strong>: {issue.message} <span className="muted mono">{issue.code}</span>
          </li>
        ))}
      </ul>
    )}
    {order.corrections.length > 0 ? (
      <>
        <h3>Corrections</h3>
        <ul>
          {order.corrections.map((c) => (
            <li key={c.at}>
              {c.fields.join(', ')} — “{c.reason}” by <ActorName actor={c.by} />, {formatDateTime(c.at)}
            </li>
          ))}
        </ul>
      </>
    ) : null}
  </Section>
);

const relationship: Record<string, string> = { '1': 'Cardholder', '2': 'Spouse', '3': 'Child', '4': 'Other' };

export const EnrollmentSection = ({ order }: { order: OrderDetail }) => {
  const e = order.enrollment;
  // Opening a card is recorded as a read of patient data; the API lets ops and pharmacists do it.
  const mayOpenCards = hasRole(useStaffUser(), 'ops', 'pharmacist');
  return (
    <Section id="enrollment" title="Enrollment">
      <Facts>
        <Fact term="Link sent to">{e.linkSentTo}</Fact>
        <Fact term="Links issued">{e.linksIssued}</Fact>
        <Fact term="Link expires">{e.linkExpiresAt ? formatDateTime(e.linkExpiresAt) : null}</Fact>
        <Fact term="Completed">{e.completedAt ? formatDateTime(e.completedAt) : null}</Fact>
        <Fact term="Member id">{e.insurance?.memberId}</Fact>
        <Fact term="BIN / PCN / group">
          {e.insurance ? `${e.insurance.bin} / ${e.insurance.pcn} / ${e.insurance.group}` : null}
        </Fact>
        <Fact term="Cardholder">
          {e.insurance
            ? `${e.insurance.cardholderName} (${relationship[e.insurance.relationship] ?? e.insurance.relationship})`
            : null}
        </Fact>
        <Fact term="Card images">
          {e.cards ? (
            mayOpenCards ? (
              <span className="link-row">
                {(['front', 'back'] as const).map((side) => (
                  // An attachment, not a page: the browser saves it rather than showing it inline.
                  <a
                    key={side}
                    href={`/api/orders/${encodeURIComponent(order.orderId)}/cards/${side}`}
                    download
                  >
                    Open the {side} of the card
                  </a>
                ))}
              </span>
            ) : (
              'Front and back on file'
            )
          ) : null}
        </Fact>
        <Fact term="Consent version">{e.consentVersion}</Fact>
      </Facts>
    </Section>
  );
};

export const RecommendationsSection = ({ order }: { order: OrderDetail }) => (
  <Section id="recommendations" title="Pharmacy">
    {order.pharmacy ? (
      <p>
        Selected: <strong>{order.pharmacy.name}</strong>
        {order.pharmacy.score !== null ? ` (score ${order.pharmacy.score})` : null}
      </p>
    ) : null}
    {order.recommendations.length === 0 ? (
      <p className="muted">No recommendations yet.</p>
    ) : (
      <ol className="recommendations" aria-label="Recommended pharmacies">
        {order.recommendations.map((r) => (
          <li key={r.pharmacyId}>
            <strong>{r.name}</strong> <span className="score">score {r.score}</span>
            <ul className="reasons">
              {r.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    )}
  </Section>
);

export const AdjudicationSection = ({ order }: { order: OrderDetail }) => {
  const a = order.adjudication;
  return (
    <Section id="adjudication" title="Adjudication">
      {order.claimRejects.length > 0 ? (
        <ul className="issues" aria-label="Claim rejects">
          {order.claimRejects.map((r) => (
            <li key={r.code}>
              <strong>Reject {r.code}</strong>: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
      {a ? (
        <Facts>
          <Fact term="Plan">{`${a.planName} (${a.planType})`}</Fact>
          <Fact term="Tier">{a.tier}</Fact>
          <Fact term="Claim">
            <span className="mono">{a.claimId}</span>
          </Fact>
          <Fact term="Ingredient cost">{formatMoney(a.ingredientCostMinor)}</Fact>
          <Fact term="Plan pays">{formatMoney(a.planPaysMinor)}</Fact>
          <Fact term="Deductible applied">{formatMoney(a.deductibleAppliedMinor)}</Fact>
          <Fact term="Patient pays before coupon">{formatMoney(a.patientPaysMinor)}</Fact>
          <Fact term="Coupon">
            {a.couponProgram ? `${a.couponProgram}: −${formatMoney(a.couponAppliedMinor)}` : 'None'}
          </Fact>
          <Fact term="Patient pays after coupon">
            <strong>{formatMoney(a.patientPaysAfterCouponMinor)}</strong>
          </Fact>
        </Facts>
      ) : order.claimRejects.length === 0 ? (
        <p className="muted">Not adjudicated yet.</p>
      ) : null}
      {order.priorAuthorization ? (
        <p>
          Prior authorization on file: <strong className="mono">{order.priorAuthorization.number}</strong>,
          received by{' '}
          {RECEIVED_VIA[order.priorAuthorization.receivedVia] ?? order.priorAuthorization.receivedVia},
          recorded by <ActorName actor={order.priorAuthorization.by} />,{' '}
          {formatDateTime(order.priorAuthorization.at)}.
        </p>
      ) : null}
    </Section>
  );
};

const RECEIVED_VIA: Record<string, string> = {
  fax: 'fax',
  phone: 'phone',
  portal: 'the payer’s portal',
  payer: 'the payer',
};

const PAYMENT_STATUS: Record<OrderDetail['payment']['status'], string> = {
  none: 'Not asked for yet',
  link_sent: 'Link sent, waiting for the patient',
  expired: 'Link expired',
  closed: 'Link closed (no longer payable)',
  paid: 'Paid',
  waived: 'Nothing to pay',
  mismatch: 'Paid a different amount: held for ops',
};

export const PaymentSection = ({ order }: { order: OrderDetail }) => {
  const p = order.payment;
  return (
    <Section id="payment" title="Payment">
      <Facts>
        <Fact term="Status">{PAYMENT_STATUS[p.status] ?? statusLabel(p.status)}</Fact>
        <Fact term="Amount">{formatMoney(p.amountMinor)}</Fact>
        <Fact term="Checkout session">
          {p.sessionId ? <span className="mono">{p.sessionId}</span> : null}
        </Fact>
        <Fact term="Paid">{p.paidAt ? formatDateTime(p.paidAt) : null}</Fact>
      </Facts>
    </Section>
  );
};

export const TrackingList = ({ tracking }: { tracking: OrderDetail['tracking'] }) =>
  tracking.length === 0 ? (
    <p className="muted">No carrier scans yet.</p>
  ) : (
    <ol className="timeline" aria-label="Tracking">
      {tracking.map((t) => (
        <li key={`${t.status}:${t.statusDate}`}>
          <strong>{statusLabel(t.status)}</strong>{' '}
          <time dateTime={t.statusDate}>{formatDateTime(t.statusDate)}</time>
          {t.details ? <p>{t.details}</p> : null}
        </li>
      ))}
    </ol>
  );

export const ShipmentSection = ({ order }: { order: OrderDetail }) => {
  const s = order.shipment;
  const trackingUrl = webLink(s?.trackingUrl);
  const labelUrl = webLink(s?.labelUrl);
  return (
    <Section id="shipment" title="Shipment and tracking">
      {s ? (
        <Facts>
          <Fact term="Carrier">{`${s.carrier} · ${s.serviceLevel}`}</Fact>
          <Fact term="Tracking number">
            {trackingUrl ? (
              <a href={trackingUrl} rel="noreferrer" target="_blank">
                {s.trackingNumber}
              </a>
            ) : (
              s.trackingNumber
            )}
          </Fact>
          <Fact term="Cold chain">{s.coldChain ? 'Yes' : 'No'}</Fact>
          <Fact term="Label">
            {labelUrl ? (
              <a href={labelUrl} rel="noreferrer" target="_blank">
                Label PDF
              </a>
            ) : null}
          </Fact>
          <Fact term="Postage">{formatMoney(s.costMinor)}</Fact>
          <Fact term="Shipped">{formatDateTime(s.shippedAt)}</Fact>
        </Facts>
      ) : (
        <p className="muted">Not shipped yet.</p>
      )}
      <h3>Tracking</h3>
      <TrackingList tracking={order.tracking} />
      {order.completedAt ? <p>Completed {formatDateTime(order.completedAt)}.</p> : null}
    </Section>
  );
};

const INCIDENT_STATE: Record<Incident['state'], string> = {
  pending_api_unavailable: 'Waiting to retry (API unavailable)',
  manual_handling: 'Flagged for manual handling',
};

/** Every vendor call still open, one per call: two stuck calls of one order are two entries. */
export const IncidentSection = ({ order }: { order: OrderDetail }) => {
  if (order.incidents.length === 0) return null;
  return (
    <Section
      id="incident"
      title={order.incidents.length === 1 ? 'Integration incident' : 'Integration incidents'}
    >
      <p className="flag flag-pending">{order.pending}</p>
      <ul className="incidents" aria-label="Open vendor calls">
        {order.incidents.map((i) => (
          <li key={`${i.processManager}:${i.triggerEventId}`} data-state={i.state}>
            <Facts>
              <Fact term="Integration">{i.integration}</Fact>
              <Fact term="Attempts">{i.attempts}</Fact>
              <Fact term="State">{INCIDENT_STATE[i.state] ?? i.state}</Fact>
              <Fact term="Next attempt">
                {i.nextAttemptAt ? formatDateTime(i.nextAttemptAt) : 'None scheduled'}
              </Fact>
              <Fact term="Last error">{i.lastError}</Fact>
              <Fact term="Process">
                <span className="mono">{i.processManager}</span> for event{' '}
                <span className="mono" title={i.triggerEventId}>
                  {i.triggerEventId.slice(0, 8)}
                </span>
              </Fact>
            </Facts>
          </li>
        ))}
      </ul>
      {order.incidents.some((i) => i.state === 'manual_handling') ? (
        <p className="hint">Each flagged call has its own retry under Actions.</p>
      ) : null}
    </Section>
  );
};

export const Timeline = ({ events }: { events: OrderEventRecord[] }) => (
  <section aria-labelledby="timeline-heading" className="card">
    <h2 id="timeline-heading">Event timeline</h2>
    <ol className="timeline" aria-label="Events">
      {events.map((e) => (
        <li key={e.id} data-event-type={e.type}>
          <strong>{eventLabel(e.type)}</strong>{' '}
          <time dateTime={e.metadata.occurredAt}>{formatDateTime(e.metadata.occurredAt)}</time>{' '}
          <span className="muted">
            by <ActorName actor={e.metadata.actor} />
          </span>
          <details>
            <summary>Data (revision {e.revision})</summary>
            <pre>{JSON.stringify(e.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  </section>
);
