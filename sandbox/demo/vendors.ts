// What the demo asks of the outside world — the patient's inbox, the plan, the card, the carrier,
// the prescriber's signature — either straight from the stand-ins in this process, or through the
// sandbox control API of a platform already running (`npm run demo -- --target`).
import type { StandIns } from '../standIns.js';

export type DemoMail = { to: string[]; subject: string; text: string | null };

export type DemoVendors = {
  /** Every e-mail in the mailbox, newest first. */
  /** The mailbox, newest first; one recipient's mail only when `to` is given. */
  mails(to?: string): Promise<DemoMail[]>;
  grantPriorAuthorization(coverage: {
    bin: string;
    pcn: string;
    group: string;
    memberId: string;
    ndc11: string;
  }): Promise<string>;
  payCheckout(sessionId: string): Promise<void>;
  advanceUsParcel(trackingNumber: string, status: 'TRANSIT' | 'DELIVERED' | 'FAILURE'): Promise<void>;
  signPrescription(prescriptionId: string): Promise<void>;
  deliverUkParcel(trackingNumber: string): Promise<void>;
};

export const inProcessVendors = (standIns: StandIns): DemoVendors => ({
  mails: async (to) =>
    standIns.mailbox
      .messages()
      .filter(
        (mail) => to === undefined || mail.to.some((address) => address.toLowerCase() === to.toLowerCase()),
      ),
  grantPriorAuthorization: async (coverage) => standIns.payer.grantPriorAuthorization(coverage),
  payCheckout: (sessionId) => standIns.stripe.payCheckoutSession(sessionId),
  advanceUsParcel: async (trackingNumber, status) => {
    await standIns.shippo.advanceTracking(trackingNumber, status);
  },
  signPrescription: async (id) => {
    standIns.signatureRx.sign(id);
  },
  deliverUkParcel: async (trackingNumber) => {
    standIns.royalMail.advance(trackingNumber, 'delivered');
  },
});

const json = async (response: Response, what: string) => {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    throw new Error(`${what}: ${response.status} ${String(body?.detail ?? body?.title ?? '')}`.trim());
  }
  return body ?? {};
};

/** The running platform's sandbox controls; throws if it has none (a production server). */
export const remoteVendors = async (baseUrl: string): Promise<DemoVendors> => {
  const sandbox = `${baseUrl.replace(/\/$/, '')}/sandbox/api`;
  const info = await json(
    await fetch(sandbox, { headers: { accept: 'application/json' } }),
    'sandbox controls',
  );
  const mailbox = String(info.mailbox);
  const post = async (path: string, body: unknown, what: string) =>
    json(
      await fetch(`${sandbox}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      }),
      what,
    );
  return {
    mails: async (to) =>
      (await (
        await fetch(`${mailbox}/api/messages${to === undefined ? '' : `?to=${encodeURIComponent(to)}`}`)
      ).json()) as DemoMail[],
    grantPriorAuthorization: async (coverage) =>
      String(
        (await post('/prior-authorizations', { decision: 'grant', ...coverage }, 'prior authorisation'))
          .priorAuthorizationNumber,
      ),
    payCheckout: async (sessionId) => {
      await post(`/stripe/checkout-sessions/${encodeURIComponent(sessionId)}`, { outcome: 'pay' }, 'payment');
    },
    advanceUsParcel: async (trackingNumber, status) => {
      await post(`/shippo/tracks/${encodeURIComponent(trackingNumber)}`, { status }, 'parcel');
    },
    signPrescription: async (id) => {
      await post(`/signaturerx/prescriptions/${encodeURIComponent(id)}/sign`, {}, 'signature');
    },
    deliverUkParcel: async (trackingNumber) => {
      await post(
        `/royalmail/tracks/${encodeURIComponent(trackingNumber)}`,
        { status: 'delivered' },
        'parcel',
      );
    },
  };
};
