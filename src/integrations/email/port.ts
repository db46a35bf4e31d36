/** A file sent along with a message, e.g. a receipt PDF. */
export type MailAttachment = { filename: string; content: Buffer; contentType: string };

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Derived from the triggering event id. The adapter turns it into the Message-ID, so a message
   * sent twice after a retry carries the same id and reads as a duplicate, not a second e-mail.
   */
  idempotencyKey: string;
  attachments?: MailAttachment[];
};

/** Outgoing e-mail. Throws VendorUnavailableError (retry later) or VendorRejectedError (give up). */
export type Mailer = {
  send(message: OutgoingMail): Promise<{ messageId: string }>;
  /** Closes pooled connections (adapters that keep any). */
  close?(): Promise<void>;
};
