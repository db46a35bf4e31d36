import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type Brand, DEFAULT_BRAND } from './brand.js';

const optionalUrl = z.string().url().optional();

/** Everything configurable comes from the environment; unset values get safe local defaults. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATABASE_URL: z.string().optional(),
  // Where events are stored. Only postgres runs the platform today (see assertPlatformRunsOn).
  EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  KURRENTDB_URL: z
    .string()
    .regex(
      /^(kurrentdb|kdb|esdb)(\+discover)?:\/\//,
      'a KurrentDB connection string, e.g. kurrentdb://localhost:2113?tls=false',
    )
    .optional(),
  // Where the dashboards' read models live: PostgreSQL (default) or a MongoDB replica set.
  READ_MODELS: z.enum(['postgres', 'mongodb']).default('postgres'),
  MONGODB_URL: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\//,
      'a MongoDB connection string, e.g. mongodb://localhost:27017/?replicaSet=rs0',
    )
    .optional(),
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('pharmacy'),
  MIGRATION_DATABASE_URL: z.string().optional(),
  INTAKE_API_KEY: z.string().min(16).optional(),
  ADMIN_EMAIL: z.string().email().default('admin@pharmacy.example.org'),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  MAGIC_LINK_TTL_HOURS: z.coerce.number().positive().default(72),
  LINK_SECRET: z.string().min(32).optional(),
  TRACKING_POLL_MINUTES: z.coerce.number().positive().default(30),
  PAYMENT_CHECK_MINUTES: z.coerce.number().positive().default(15),
  // How long a claimed e-mail or text stays with the sender that claimed it; after a crash, another
  // sender takes it once this has passed. Longer than any send can take.
  OUTBOX_CLAIM_SECONDS: z.coerce.number().min(5).default(60),
  SLA_HOURS: z.coerce.number().positive().default(24),
  // The zone staff pages show times in (IANA name); one the runtime does not know is refused at start.
  PHARMACY_TIME_ZONE: z
    .string()
    .default('America/New_York')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone name, e.g. America/New_York'),
  // The pharmacy's names (README, "One brand, two businesses"): the brand on staff pages and e-mail
  // senders, and the business each flow trades as, on its patients' pages, e-mails and texts.
  PHARMACY_NAME: z.string().trim().min(1).max(80).default(DEFAULT_BRAND.name),
  US_PHARMACY_NAME: z.string().trim().min(1).max(80).default(DEFAULT_BRAND.us),
  UK_PHARMACY_NAME: z.string().trim().min(1).max(80).default(DEFAULT_BRAND.uk),
  // The UK pharmacy's registered premises, its lines separated by commas (GP letters, dispensing).
  UK_PHARMACY_ADDRESS: z.string().trim().min(1).max(200).default('12 Northfield Parade, Leeds, LS1 4AP'),
  SMTP_URL: optionalUrl,
  // Where traces go (an OpenTelemetry collector's OTLP/HTTP traces endpoint); unset, nothing is traced.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  // Unset: the brand's name at no-reply@pharmacy.example.org.
  MAIL_FROM: z.string().optional(),
  EMAIL_SENDERS: z.coerce.number().int().min(1).max(64).default(8),
  CONSUMER_WIDTH: z.coerce.number().int().min(1).max(64).default(4),
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  HTTP_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
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
  // Texts to patients (Twilio); off when TWILIO_ACCOUNT_SID is unset.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID (AC…)')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  TWILIO_FROM: z
    .string()
    .regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'an E.164 number or a Messaging Service SID (MG…)')
    .optional(),
  TWILIO_API_BASE: optionalUrl,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // A scraper's bearer token for /metrics; without it only signed-in ops and admin staff may read it.
  METRICS_TOKEN: z.string().min(32).optional(),
  VENDOR_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).optional(),
  AUDIT_HMAC_KEY: z.string().min(32).optional(),
  AUDIT_ANCHOR_DIR: z.string().optional(),
  AUDIT_ANCHOR_S3_BUCKET: z.string().optional(),
  AUDIT_ANCHOR_S3_PREFIX: z.string().default('audit-anchors/'),
  AUDIT_ANCHOR_MINUTES: z.coerce.number().positive().default(15),
  SECRETS_KEY: z.string().min(32).optional(),
  STAFF_IDLE_TIMEOUT_MINUTES: z.coerce.number().positive().default(30),
  STAFF_SESSION_HOURS: z.coerce.number().positive().default(12),
  PATIENT_LINK_TTL_DAYS: z.coerce.number().positive().default(30),
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
  /** The event store: PostgreSQL (DATABASE_URL or the embedded server), or a KurrentDB server. */
  eventStore: { kind: 'postgres' } | { kind: 'kurrentdb'; url: string };
  /**
   * The dashboards' read models (order list and counts, queues, incidents): PostgreSQL, or MongoDB
   * documents beside it. Every other read model and the audit trail stay in PostgreSQL.
   */
  readModels: { kind: 'postgres' } | { kind: 'mongodb'; url: string; database: string };
  /** The owner's URL when DATABASE_URL is the app's own least-privilege role. */
  migrationDatabaseUrl: string | undefined;
  intakeApiKey: string;
  adminEmail: string;
  adminPassword: string;
  /** True for every value the platform made up because the environment left it unset. */
  generated: { intakeApiKey: boolean; adminPassword: boolean };
  magicLinkTtlHours: number;
  /** Signs magic links and patient status links; generated and kept in the database when unset (dev). */
  linkSecret: string | undefined;
  trackingPollMinutes: number;
  /** How often an open checkout is read back from Stripe, in case its webhook never arrives. */
  paymentCheckMinutes: number;
  /** The OTLP/HTTP traces endpoint; undefined: tracing off. */
  tracesEndpoint: string | undefined;
  /** How long a claimed e-mail or text stays with its sender before another may take it. */
  outboxClaimSeconds: number;
  slaHours: number;
  /** The zone staff pages show times in. */
  pharmacyTimeZone: string;
  brand: Brand;
  /** The UK pharmacy's premises, line by line. */
  ukPharmacyAddress: string[];
  smtpUrl: string | undefined;
  mailFrom: string;
  /** E-mails the outbox sends at once, each on its own pooled SMTP connection. */
  emailSenders: number;
  /** Streams each process manager handles side by side, each stream still in order. */
  consumerWidth: number;
  /** Connections the consumers (projections, process managers, workers) share. */
  dbPoolSize: number;
  /** Connections requests use, apart from the consumers'. */
  httpPoolSize: number;
  s3: {
    endpoint: string | undefined;
    bucket: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  };
  stripe: { secretKey?: string; webhookSecret?: string; apiBase?: string };
  shippo: { apiKey?: string; apiBase?: string; webhookToken?: string };
  /** Bounds every vendor call; each adapter's own default when unset. */
  vendorTimeoutMs: number | undefined;
  payer: { apiBase?: string; apiKey?: string };
  /** Texts to patients; the platform sends none when `accountSid` is unset. */
  twilio: { accountSid?: string; authToken?: string; from?: string; apiBase?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Lets a Prometheus scraper read /metrics as `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  audit: {
    /** Keys the audit chain; never stored in the database. Generated into .data/keys/ when unset (dev). */
    hmacKey: string | undefined;
    /** Where signed heads of the chain go: a directory, or an S3 bucket (takes precedence). */
    anchorDir: string | undefined;
    anchorS3Bucket: string | undefined;
    anchorS3Prefix: string;
    anchorMinutes: number;
  };
  /** Encrypts secrets the platform generates and keeps in the database. Generated into .data/keys/ when unset. */
  secretsKey: string | undefined;
  staffSessions: { idleTimeoutMinutes: number; absoluteHours: number };
  patientLinkTtlDays: number;
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

const eventStoreOf = (kind: 'postgres' | 'kurrentdb', url: string | undefined): Config['eventStore'] => {
  if (kind === 'postgres') return { kind };
  if (!url)
    throw new ConfigError('invalid configuration:\n  KURRENTDB_URL: required when EVENT_STORE=kurrentdb');
  return { kind, url };
};

const readModelsOf = (
  kind: 'postgres' | 'mongodb',
  url: string | undefined,
  database: string,
): Config['readModels'] => {
  if (kind === 'postgres') return { kind };
  if (!url) throw new ConfigError('invalid configuration:\n  MONGODB_URL: required when READ_MODELS=mongodb');
  return { kind, url, database };
};

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
    eventStore: eventStoreOf(e.EVENT_STORE, e.KURRENTDB_URL),
    readModels: readModelsOf(e.READ_MODELS, e.MONGODB_URL, e.MONGODB_DATABASE),
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL || undefined,
    intakeApiKey: e.INTAKE_API_KEY ?? '',
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD ?? secret(12),
    generated: { intakeApiKey: !e.INTAKE_API_KEY, adminPassword: !e.ADMIN_PASSWORD },
    magicLinkTtlHours: e.MAGIC_LINK_TTL_HOURS,
    linkSecret: e.LINK_SECRET,
    trackingPollMinutes: e.TRACKING_POLL_MINUTES,
    paymentCheckMinutes: e.PAYMENT_CHECK_MINUTES,
    tracesEndpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    outboxClaimSeconds: e.OUTBOX_CLAIM_SECONDS,
    slaHours: e.SLA_HOURS,
    pharmacyTimeZone: e.PHARMACY_TIME_ZONE,
    brand: { name: e.PHARMACY_NAME, us: e.US_PHARMACY_NAME, uk: e.UK_PHARMACY_NAME },
    ukPharmacyAddress: e.UK_PHARMACY_ADDRESS.split(',')
      .map((line) => line.trim())
      .filter(Boolean),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `${e.PHARMACY_NAME.replace(/["<>\\]/g, '')} <no-reply@pharmacy.example.org>`,
    emailSenders: e.EMAIL_SENDERS,
    consumerWidth: e.CONSUMER_WIDTH,
    dbPoolSize: e.DB_POOL_SIZE,
    httpPoolSize: e.HTTP_POOL_SIZE,
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
    vendorTimeoutMs: e.VENDOR_TIMEOUT_SECONDS === undefined ? undefined : e.VENDOR_TIMEOUT_SECONDS * 1000,
    payer: { apiBase: e.PAYER_API_BASE, apiKey: e.PAYER_API_KEY },
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      from: e.TWILIO_FROM,
      apiBase: e.TWILIO_API_BASE,
    },
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    audit: {
      hmacKey: e.AUDIT_HMAC_KEY,
      anchorDir: e.AUDIT_ANCHOR_DIR,
      anchorS3Bucket: e.AUDIT_ANCHOR_S3_BUCKET,
      anchorS3Prefix: e.AUDIT_ANCHOR_S3_PREFIX,
      anchorMinutes: e.AUDIT_ANCHOR_MINUTES,
    },
    secretsKey: e.SECRETS_KEY,
    staffSessions: { idleTimeoutMinutes: e.STAFF_IDLE_TIMEOUT_MINUTES, absoluteHours: e.STAFF_SESSION_HOURS },
    patientLinkTtlDays: e.PATIENT_LINK_TTL_DAYS,
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
