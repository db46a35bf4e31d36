import { createPayerClient } from '../integrations/adjudication/payerClient.js';
import type { ClaimAdjudicator } from '../integrations/adjudication/port.js';
import type { DispatchService } from '../integrations/dispatch/port.js';
import { createRoyalMailDispatch } from '../integrations/dispatch/royalMailDispatch.js';
import type { DocumentStore } from '../integrations/documents/port.js';
import { createS3DocumentStore } from '../integrations/documents/s3DocumentStore.js';
import type { Mailer } from '../integrations/email/port.js';
import { createSmtpMailer } from '../integrations/email/smtpMailer.js';
import { VendorUnavailableError } from '../integrations/errors.js';
import { createIduVerifier } from '../integrations/identity/iduVerifier.js';
import type { IdentityVerifier } from '../integrations/identity/port.js';
import type { PaymentGateway } from '../integrations/payments/port.js';
import { createStripeGateway } from '../integrations/payments/stripeGateway.js';
import type { PmrSync } from '../integrations/pmr/port.js';
import { createTitanPmrSync } from '../integrations/pmr/titanPmrClient.js';
import type { PrescribingService } from '../integrations/prescribing/port.js';
import { createSignatureRxPrescribing } from '../integrations/prescribing/signatureRxClient.js';
import type { ShippingCarrier } from '../integrations/shipping/port.js';
import { createShippoCarrier } from '../integrations/shipping/shippoCarrier.js';
import type { SmsGateway } from '../integrations/sms/port.js';
import { createTwilioSms } from '../integrations/sms/twilioSms.js';
import type { Clock } from '../platform/clock.js';
import { type Config, ConfigError } from '../platform/config.js';
import { currentLogger, type Logger } from '../platform/logger.js';
import { tracedPort } from '../platform/tracing.js';

export type Vendors = {
  mailer: Mailer;
  documents: DocumentStore & { ensureBucket?(): Promise<void> };
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  adjudicator: ClaimAdjudicator;
  /** Texts to patients; absent when Twilio is not configured (then only e-mail goes). */
  sms?: SmsGateway;
  /** The UK consultation flow's vendors; absent when they are not configured. */
  uk?: UkVendors;
};

export type UkVendors = {
  identity: IdentityVerifier;
  prescribing: PrescribingService;
  pmr: PmrSync;
  dispatch: DispatchService;
};

/** VENDOR_TIMEOUT_SECONDS for every adapter, when the operator sets it. */
const timeoutOf = (config: Config) =>
  config.vendorTimeoutMs === undefined ? {} : { timeoutMs: config.vendorTimeoutMs };

const required = (value: string | undefined, name: string): string => {
  if (!value) throw new ConfigError(`${name} is not set: the platform cannot reach this vendor`);
  return value;
};

/** LexisNexis IDU, SignatureRx, TitanPMR and Royal Mail: all of them once IDU_API_BASE is set. */
const ukVendorsFromConfig = (config: Config, clock: Clock): UkVendors | undefined => {
  const { idu, signatureRx, titanPmr, royalMail } = config.uk;
  const timeout = timeoutOf(config);
  if (!idu.apiBase) return undefined;
  return {
    identity: createIduVerifier({
      baseUrl: idu.apiBase,
      apiKey: required(idu.apiKey, 'IDU_API_KEY'),
      ...timeout,
    }),
    prescribing: createSignatureRxPrescribing({
      baseUrl: required(signatureRx.apiBase, 'SIGNATURERX_API_BASE'),
      apiKey: required(signatureRx.apiKey, 'SIGNATURERX_API_KEY'),
      webhookSecret: required(signatureRx.webhookSecret, 'SIGNATURERX_WEBHOOK_SECRET'),
      clock,
      ...timeout,
    }),
    pmr: createTitanPmrSync({
      baseUrl: required(titanPmr.apiBase, 'TITANPMR_API_BASE'),
      apiKey: required(titanPmr.apiKey, 'TITANPMR_API_KEY'),
      ...timeout,
    }),
    dispatch: createRoyalMailDispatch({
      baseUrl: royalMail.apiBase,
      apiKey: required(royalMail.apiKey, 'ROYALMAIL_API_KEY'),
      trackingBaseUrl: royalMail.trackingApiBase,
      trackingClientId: required(royalMail.trackingClientId, 'ROYALMAIL_TRACKING_CLIENT_ID'),
      trackingClientSecret: required(royalMail.trackingClientSecret, 'ROYALMAIL_TRACKING_CLIENT_SECRET'),
      webhookSecret: required(royalMail.webhookSecret, 'ROYALMAIL_WEBHOOK_SECRET'),
      sender: { tradingName: config.brand.uk },
      clock,
      ...timeout,
    }),
  };
};

/** The live adapters, configured from the environment; production and the tests run the same code. */
export const vendorsFromConfig = (config: Config, clock: Clock): Vendors => {
  const timeout = timeoutOf(config);
  const smtp = new URL(required(config.smtpUrl, 'SMTP_URL'));
  return {
    mailer: createSmtpMailer({
      host: smtp.hostname,
      port: Number(smtp.port || (smtp.protocol === 'smtps:' ? 465 : 587)),
      secure: smtp.protocol === 'smtps:',
      user: decodeURIComponent(smtp.username) || undefined,
      pass: decodeURIComponent(smtp.password) || undefined,
      from: config.mailFrom,
      maxConnections: config.emailSenders,
    }),
    documents: createS3DocumentStore({
      endpoint: config.s3.endpoint,
      region: config.s3.region,
      bucket: config.s3.bucket,
      accessKeyId: required(config.s3.accessKeyId, 'S3_ACCESS_KEY_ID'),
      secretAccessKey: required(config.s3.secretAccessKey, 'S3_SECRET_ACCESS_KEY'),
      forcePathStyle: Boolean(config.s3.endpoint),
    }),
    payments: createStripeGateway({
      secretKey: required(config.stripe.secretKey, 'STRIPE_SECRET_KEY'),
      webhookSecret: required(config.stripe.webhookSecret, 'STRIPE_WEBHOOK_SECRET'),
      apiBase: config.stripe.apiBase,
      clock,
      ...timeout,
    }),
    carrier: createShippoCarrier({
      apiKey: required(config.shippo.apiKey, 'SHIPPO_API_KEY'),
      serverUrl: config.shippo.apiBase,
      webhookToken: required(config.shippo.webhookToken, 'SHIPPO_WEBHOOK_TOKEN'),
      clock,
      ...timeout,
    }),
    adjudicator: createPayerClient({
      baseUrl: required(config.payer.apiBase, 'PAYER_API_BASE'),
      apiKey: required(config.payer.apiKey, 'PAYER_API_KEY'),
      ...timeout,
    }),
    sms: config.twilio.accountSid
      ? createTwilioSms({
          accountSid: config.twilio.accountSid,
          authToken: required(config.twilio.authToken, 'TWILIO_AUTH_TOKEN'),
          from: required(config.twilio.from, 'TWILIO_FROM'),
          apiBase: config.twilio.apiBase,
          ...timeout,
        })
      : undefined,
    uk: ukVendorsFromConfig(config, clock),
  };
};

/** A call that failed: an outage the runtime retries, or anything else (a bug, a refusal). */
const outcomeOf = (error: unknown) =>
  error instanceof VendorUnavailableError ? ('unavailable' as const) : ('failed' as const);

/**
 * One line per vendor call: `vendor`, `operation`, `outcome` (ok, unavailable, failed) and `ms`,
 * under the logger of the work that made the call (a process manager's delivery, see
 * `withLogger`), so the line carries its correlation and causation ids. Never the arguments or the
 * answer: they hold patients. Only calls that answer with a promise go out to the vendor; a
 * synchronous method (a webhook signature check) is not a call and writes nothing.
 */
const loggedPort = <T extends object>(vendor: string, port: T, log: Logger): T =>
  new Proxy(port, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const started = performance.now();
        const record = (outcome: 'ok' | 'unavailable' | 'failed', error?: unknown) => {
          const ms = Math.round(performance.now() - started);
          const line = `${vendor}.${property} ${outcome} ${ms}ms`;
          const fields = { vendor, operation: property, outcome, ms };
          const logger = currentLogger(log);
          if (outcome === 'ok') logger.info(fields, line);
          // An outage is expected and retried (the runtime logs the error and the next attempt);
          // anything else is a refusal or a bug, worth its stack.
          else if (outcome === 'unavailable') logger.warn(fields, line);
          else logger.warn({ ...fields, err: error }, line);
        };
        return result.then(
          (answer) => {
            record('ok');
            return answer;
          },
          (error: unknown) => {
            record(outcomeOf(error), error);
            throw error;
          },
        );
      };
    },
  });

/** Both wrappers on one port: its calls in spans when traced, and each call in the log. */
const observedPort = <T extends object>(vendor: string, port: T, log: Logger): T =>
  tracedPort(vendor, loggedPort(vendor, port, log));

/**
 * Every vendor call in a span when the platform is traced (see platform/tracing.ts), and on a log
 * line of its own.
 */
export const tracedVendors = (vendors: Vendors, log: Logger): Vendors => ({
  mailer: observedPort('smtp', vendors.mailer, log),
  documents: observedPort('documents', vendors.documents, log),
  payments: observedPort('stripe', vendors.payments, log),
  carrier: observedPort('shippo', vendors.carrier, log),
  adjudicator: observedPort('payer', vendors.adjudicator, log),
  sms: vendors.sms && observedPort('twilio', vendors.sms, log),
  uk: vendors.uk && {
    identity: observedPort('lexisnexis', vendors.uk.identity, log),
    prescribing: observedPort('signaturerx', vendors.uk.prescribing, log),
    pmr: observedPort('titanpmr', vendors.uk.pmr, log),
    dispatch: observedPort('royalmail', vendors.uk.dispatch, log),
  },
});
