import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const optionalUrl = z.string().url().optional();

/** Everything configurable comes from the environment; unset values get safe local defaults. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATABASE_URL: z.string().optional(),
  INTAKE_API_KEY: z.string().min(16).optional(),
  ADMIN_EMAIL: z.string().email().default('admin@pharmacy.example.org'),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  MAGIC_LINK_TTL_HOURS: z.coerce.number().positive().default(72),
  LINK_SECRET: z.string().min(32).optional(),
  TRACKING_POLL_MINUTES: z.coerce.number().positive().default(30),
  SLA_HOURS: z.coerce.number().positive().default(24),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Pharmacy <no-reply@pharmacy.example.org>'),
  S3_ENDPOINT: optionalUrl,
  S3_BUCKET: z.string().default('pharmacy-documents'),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: optionalUrl,
  SHIPPO_API_KEY: z.string().optional(),
  SHIPPO_API_BASE: optionalUrl,
  SHIPPO_WEBHOOK_TOKEN: z.string().optional(),
  PAYER_API_BASE: optionalUrl,
  PAYER_API_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // UK consultation flow: its vendors, and where its staff e-mails go.
  IDU_API_BASE: optionalUrl,
  IDU_API_KEY: z.string().optional(),
  SIGNATURERX_API_BASE: optionalUrl,
  SIGNATURERX_API_KEY: z.string().optional(),
  SIGNATURERX_WEBHOOK_SECRET: z.string().optional(),
  TITANPMR_API_BASE: optionalUrl,
  TITANPMR_API_KEY: z.string().optional(),
  ROYALMAIL_API_BASE: optionalUrl,
  ROYALMAIL_API_KEY: z.string().optional(),
  ROYALMAIL_TRACKING_API_BASE: optionalUrl,
  ROYALMAIL_TRACKING_CLIENT_ID: z.string().optional(),
  ROYALMAIL_TRACKING_CLIENT_SECRET: z.string().optional(),
  ROYALMAIL_WEBHOOK_SECRET: z.string().optional(),
  PHARMACY_TEAM_EMAIL: z.string().email().default('pharmacy-team@pharmacy.example.org'),
  PRESCRIBER_TEAM_EMAIL: z.string().email().default('prescribers@pharmacy.example.org'),
  PHARMACIST_TEAM_EMAIL: z.string().email().default('pharmacists@pharmacy.example.org'),
  GP_LETTER_MAILBOX: z.string().email().default('gp-letters@nhs-relay.example.org'),
  REVIEW_NOTIFICATIONS: z.enum(['immediate', 'digest']).default('immediate'),
  REVIEW_DIGEST_MINUTES: z.coerce.number().positive().default(60),
});

export type Config = {
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  intakeApiKey: string;
  adminEmail: string;
  adminPassword: string;
  /** True for every value the platform made up because the environment left it unset. */
  generated: { intakeApiKey: boolean; adminPassword: boolean };
  magicLinkTtlHours: number;
  /** Signs magic links and patient status links; generated and kept in the database when unset (dev). */
  linkSecret: string | undefined;
  trackingPollMinutes: number;
  slaHours: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  s3: {
    endpoint: string | undefined;
    bucket: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  };
  stripe: { secretKey?: string; webhookSecret?: string; apiBase?: string };
  shippo: { apiKey?: string; apiBase?: string; webhookToken?: string };
  payer: { apiBase?: string; apiKey?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The UK vendors; the consultation flow runs when IDU_API_BASE is set (then all are required). */
  uk: {
    idu: { apiBase?: string; apiKey?: string };
    signatureRx: { apiBase?: string; apiKey?: string; webhookSecret?: string };
    titanPmr: { apiBase?: string; apiKey?: string };
    royalMail: {
      apiBase?: string;
      apiKey?: string;
      trackingApiBase?: string;
      trackingClientId?: string;
      trackingClientSecret?: string;
      webhookSecret?: string;
    };
  };
  consultation: {
    pharmacyTeamEmail: string;
    prescriberTeamEmail: string;
    pharmacistTeamEmail: string;
    gpLetterMailbox: string;
    /** `digest` batches new-case e-mails to clinicians, one per queue every `digestMinutes`. */
    reviewNotifications: 'immediate' | 'digest';
    digestMinutes: number;
  };
};

export class ConfigError extends Error {}

const secret = (bytes = 24) => randomBytes(bytes).toString('base64url');

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL,
    databaseUrl: e.DATABASE_URL || undefined,
    intakeApiKey: e.INTAKE_API_KEY ?? '',
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD ?? secret(12),
    generated: { intakeApiKey: !e.INTAKE_API_KEY, adminPassword: !e.ADMIN_PASSWORD },
    magicLinkTtlHours: e.MAGIC_LINK_TTL_HOURS,
    linkSecret: e.LINK_SECRET,
    trackingPollMinutes: e.TRACKING_POLL_MINUTES,
    slaHours: e.SLA_HOURS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    s3: {
      endpoint: e.S3_ENDPOINT,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    },
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      apiBase: e.STRIPE_API_BASE,
    },
    shippo: { apiKey: e.SHIPPO_API_KEY, apiBase: e.SHIPPO_API_BASE, webhookToken: e.SHIPPO_WEBHOOK_TOKEN },
    payer: { apiBase: e.PAYER_API_BASE, apiKey: e.PAYER_API_KEY },
    logLevel: e.LOG_LEVEL,
    uk: {
      idu: { apiBase: e.IDU_API_BASE, apiKey: e.IDU_API_KEY },
      signatureRx: {
        apiBase: e.SIGNATURERX_API_BASE,
        apiKey: e.SIGNATURERX_API_KEY,
        webhookSecret: e.SIGNATURERX_WEBHOOK_SECRET,
      },
      titanPmr: { apiBase: e.TITANPMR_API_BASE, apiKey: e.TITANPMR_API_KEY },
      royalMail: {
        apiBase: e.ROYALMAIL_API_BASE,
        apiKey: e.ROYALMAIL_API_KEY,
        trackingApiBase: e.ROYALMAIL_TRACKING_API_BASE,
        trackingClientId: e.ROYALMAIL_TRACKING_CLIENT_ID,
        trackingClientSecret: e.ROYALMAIL_TRACKING_CLIENT_SECRET,
        webhookSecret: e.ROYALMAIL_WEBHOOK_SECRET,
      },
    },
    consultation: {
      pharmacyTeamEmail: e.PHARMACY_TEAM_EMAIL,
      prescriberTeamEmail: e.PRESCRIBER_TEAM_EMAIL,
      pharmacistTeamEmail: e.PHARMACIST_TEAM_EMAIL,
      gpLetterMailbox: e.GP_LETTER_MAILBOX,
      reviewNotifications: e.REVIEW_NOTIFICATIONS,
      digestMinutes: e.REVIEW_DIGEST_MINUTES,
    },
  };
};
