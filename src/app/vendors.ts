import { createPayerClient } from '../integrations/adjudication/payerClient.js';
import type { ClaimAdjudicator } from '../integrations/adjudication/port.js';
import type { DocumentStore } from '../integrations/documents/port.js';
import { createS3DocumentStore } from '../integrations/documents/s3DocumentStore.js';
import type { Mailer } from '../integrations/email/port.js';
import { createSmtpMailer } from '../integrations/email/smtpMailer.js';
import type { PaymentGateway } from '../integrations/payments/port.js';
import { createStripeGateway } from '../integrations/payments/stripeGateway.js';
import type { ShippingCarrier } from '../integrations/shipping/port.js';
import { createShippoCarrier } from '../integrations/shipping/shippoCarrier.js';
import type { Clock } from '../platform/clock.js';
import { type Config, ConfigError } from '../platform/config.js';

export type Vendors = {
  mailer: Mailer;
  documents: DocumentStore & { ensureBucket?(): Promise<void> };
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  adjudicator: ClaimAdjudicator;
};

const required = (value: string | undefined, name: string): string => {
  if (!value) throw new ConfigError(`${name} is not set: the platform cannot reach this vendor`);
  return value;
};

/** The live adapters, configured from the environment; production and the tests run the same code. */
export const vendorsFromConfig = (config: Config, clock: Clock): Vendors => {
  const smtp = new URL(required(config.smtpUrl, 'SMTP_URL'));
  return {
    mailer: createSmtpMailer({
      host: smtp.hostname,
      port: Number(smtp.port || (smtp.protocol === 'smtps:' ? 465 : 587)),
      secure: smtp.protocol === 'smtps:',
      user: decodeURIComponent(smtp.username) || undefined,
      pass: decodeURIComponent(smtp.password) || undefined,
      from: config.mailFrom,
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
    }),
    carrier: createShippoCarrier({
      apiKey: required(config.shippo.apiKey, 'SHIPPO_API_KEY'),
      serverUrl: config.shippo.apiBase,
      webhookToken: required(config.shippo.webhookToken, 'SHIPPO_WEBHOOK_TOKEN'),
      clock,
    }),
    adjudicator: createPayerClient({
      baseUrl: required(config.payer.apiBase, 'PAYER_API_BASE'),
      apiKey: required(config.payer.apiKey, 'PAYER_API_KEY'),
    }),
  };
};
