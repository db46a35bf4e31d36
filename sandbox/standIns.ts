// Every vendor stand-in at once, plus the environment that points the platform's live adapters at
// them. Used by `npm start` (sandbox/local.ts) and by the end-to-end tests; never by src/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type IduStandIn, startIduStandIn } from './lexisnexis/server.js';
import { type Mailbox, startMailbox } from './mailbox/server.js';
import { type PayerStandIn, startPayerStandIn } from './payer/server.js';
import { type RoyalMailStandIn, startRoyalMailStandIn } from './royalmail/server.js';
import { S3_STAND_IN_CREDENTIALS, type S3StandIn, startS3StandIn } from './s3/server.js';
import { type ShippoStandIn, startShippoStandIn } from './shippo/server.js';
import { type SignatureRxStandIn, startSignatureRxStandIn } from './signaturerx/server.js';
import { type StripeStandIn, startStripeStandIn } from './stripe/server.js';
import { startTitanPmrStandIn, type TitanPmrStandIn } from './titanpmr/server.js';
import { startTwilioStandIn, type TwilioStandIn } from './twilio/server.js';

export type StandIns = {
  mailbox: Mailbox;
  stripe: StripeStandIn;
  shippo: ShippoStandIn;
  payer: PayerStandIn;
  s3: S3StandIn;
  /** The UK consultation flow's vendors. */
  idu: IduStandIn;
  signatureRx: SignatureRxStandIn;
  titanPmr: TitanPmrStandIn;
  royalMail: RoyalMailStandIn;
  /** Texts to patients; each delivered one also lands in the mailbox. */
  twilio: TwilioStandIn;
  /** Environment variables for loadConfig(): SMTP_URL, STRIPE_*, SHIPPO_*, PAYER_*, S3_*, and the UK vendors'. */
  env: Record<string, string>;
  /** Tell the stand-ins where the platform listens, once it does (webhooks go there). */
  setAppUrl(url: string): void;
  close(): Promise<void>;
};

export type StandInPorts = {
  smtp: number;
  mailboxHttp: number;
  stripe: number;
  shippo: number;
  payer: number;
  s3: number;
  idu?: number;
  signatureRx?: number;
  titanPmr?: number;
  royalMail?: number;
  twilio?: number;
};

/** Stripe-like redelivery for a platform that may be restarting: about two minutes in all. */
export const RESTART_TOLERANT_RETRIES: readonly number[] = [
  250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000,
];

/** Fixed ports for local use, so bookmarks and the printed URLs stay valid across restarts. */
export const LOCAL_PORTS: StandInPorts = {
  smtp: 1025,
  mailboxHttp: 1080,
  stripe: 12111,
  shippo: 12112,
  payer: 12113,
  s3: 4568,
  idu: 12121,
  signatureRx: 12122,
  titanPmr: 12123,
  royalMail: 12124,
  twilio: 12125,
};
const ANY_PORTS: StandInPorts = { smtp: 0, mailboxHttp: 0, stripe: 0, shippo: 0, payer: 0, s3: 0 };

const STRIPE_WEBHOOK_SECRET = 'whsec_local_stand_in_secret';
const SHIPPO_WEBHOOK_TOKEN = 'shippo-webhook-local-token';
const STRIPE_KEY = 'sk_test_local_stand_in';
const SHIPPO_KEY = 'shippo_test_local_stand_in';

export const startStandIns = async (options: {
  dataDir: string;
  ports?: StandInPorts;
  /** Shared with the platform in tests that move time. */
  clock?: { now(): Date };
  /**
   * Waits between webhook redeliveries (Stripe, SignatureRx, Royal Mail). The vendors retry for
   * hours or days; the default here is milliseconds, enough for tests. A platform that restarts
   * (npm start after a crash, the crash test) needs them spread over a minute or more.
   */
  webhookRetryDelaysMs?: readonly number[];
}): Promise<StandIns> => {
  const webhookRetryDelaysMs = options.webhookRetryDelaysMs;
  const ports = options.ports ?? ANY_PORTS;
  let appUrl: string | undefined;
  await mkdir(join(options.dataDir, 's3'), { recursive: true });
  const mailbox = await startMailbox({
    smtpPort: ports.smtp,
    httpPort: ports.mailboxHttp,
    directory: join(options.dataDir, 'mailbox'),
  });
  const stripe = await startStripeStandIn({
    port: ports.stripe,
    clock: options.clock,
    webhookSecret: STRIPE_WEBHOOK_SECRET,
    webhookUrl: () => (appUrl ? `${appUrl}/webhook/stripe` : undefined),
    ...(webhookRetryDelaysMs ? { webhookRetryDelaysMs } : {}),
  });
  const shippo = await startShippoStandIn({
    port: ports.shippo,
    clock: options.clock,
    webhookToken: SHIPPO_WEBHOOK_TOKEN,
    webhookUrl: () => (appUrl ? `${appUrl}/webhook/shippo?token=${SHIPPO_WEBHOOK_TOKEN}` : undefined),
  });
  const payer = await startPayerStandIn({ port: ports.payer, clock: options.clock });
  const s3 = await startS3StandIn({
    port: ports.s3,
    directory: join(options.dataDir, 's3'),
    buckets: ['pharmacy-documents'],
  });
  const clock = options.clock;
  const idu = await startIduStandIn({ port: ports.idu ?? 0, ...(clock ? { clock } : {}) });
  const signatureRx = await startSignatureRxStandIn({
    port: ports.signatureRx ?? 0,
    ...(clock ? { clock } : {}),
    ...(webhookRetryDelaysMs ? { retryDelaysMs: webhookRetryDelaysMs } : {}),
  });
  const titanPmr = await startTitanPmrStandIn({ port: ports.titanPmr ?? 0, ...(clock ? { clock } : {}) });
  const royalMail = await startRoyalMailStandIn({
    port: ports.royalMail ?? 0,
    ...(clock ? { clock } : {}),
    ...(webhookRetryDelaysMs ? { retryDelaysMs: webhookRetryDelaysMs } : {}),
  });
  const twilio = await startTwilioStandIn({
    port: ports.twilio ?? 0,
    ...(clock ? { clock } : {}),
    onDelivered: (message) =>
      mailbox.deliverText({ from: message.from, to: message.to, body: message.body, sid: message.sid }),
  });
  return {
    mailbox,
    twilio,
    stripe,
    shippo,
    payer,
    s3,
    idu,
    signatureRx,
    titanPmr,
    royalMail,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${mailbox.smtpPort}`,
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'pharmacy-documents',
      S3_ACCESS_KEY_ID: S3_STAND_IN_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_STAND_IN_CREDENTIALS.secretAccessKey,
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      SHIPPO_API_KEY: SHIPPO_KEY,
      SHIPPO_API_BASE: shippo.url,
      SHIPPO_WEBHOOK_TOKEN,
      PAYER_API_BASE: payer.url,
      PAYER_API_KEY: payer.apiKey,
      IDU_API_BASE: idu.url,
      IDU_API_KEY: idu.apiKey,
      SIGNATURERX_API_BASE: signatureRx.url,
      SIGNATURERX_API_KEY: signatureRx.apiKey,
      SIGNATURERX_WEBHOOK_SECRET: signatureRx.webhookSecret,
      TITANPMR_API_BASE: titanPmr.url,
      TITANPMR_API_KEY: titanPmr.apiKey,
      ROYALMAIL_API_BASE: royalMail.clickAndDropUrl,
      ROYALMAIL_API_KEY: royalMail.apiKey,
      ROYALMAIL_TRACKING_API_BASE: royalMail.url,
      ROYALMAIL_TRACKING_CLIENT_ID: royalMail.trackingClientId,
      ROYALMAIL_TRACKING_CLIENT_SECRET: royalMail.trackingClientSecret,
      ROYALMAIL_WEBHOOK_SECRET: royalMail.webhookSecret,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.phoneNumber,
      TWILIO_API_BASE: twilio.url,
    },
    setAppUrl(url) {
      appUrl = url.replace(/\/$/, '');
      signatureRx.setWebhookUrl(`${appUrl}/webhook/signaturerx`);
      royalMail.setWebhookUrl(`${appUrl}/webhook/royalmail`);
      twilio.setInboundWebhookUrl(`${appUrl}/webhook/twilio/messages`);
    },
    async close() {
      await Promise.allSettled([
        mailbox.close(),
        stripe.close(),
        shippo.close(),
        payer.close(),
        s3.close(),
        idu.close(),
        signatureRx.close(),
        titanPmr.close(),
        royalMail.close(),
        twilio.close(),
      ]);
    },
  };
};
