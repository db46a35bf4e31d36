import type { StoredMail } from './store.js';

/** The inbox renders untrusted mail: everything is escaped, and HTML bodies live in a sandbox. */
export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string,
  );

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Plain text with every http(s) URL made a link — the reason a developer opens this page. */
export const linkify = (text: string): string => {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Sentence punctuation after a URL belongs to the sentence, not the link.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    html += `${escapeHtml(text.slice(last, match.index))}<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
};

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; }
  a { color: #0645ad; } a:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 1rem; border-radius: 4px; }
  iframe { width: 100%; min-height: 24rem; border: 1px solid #ccc; }
  .muted { color: #555; }
`;

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

const time = (date: string) =>
  `<time datetime="${escapeHtml(date)}">${escapeHtml(date.replace('T', ' ').slice(0, 19))} UTC</time>`;

export const inboxPage = (mails: readonly StoredMail[], smtpAddress: string): string => {
  const rows = mails
    .map(
      (mail) =>
        `<tr><td>${time(mail.receivedAt)}</td><td>${escapeHtml(mail.from)}</td>` +
        `<td>${escapeHtml(mail.to.join(', '))}</td>` +
        `<td><a href="/messages/${encodeURIComponent(mail.id)}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  const content = mails.length
    ? `<table><caption class="muted">Newest first</caption><thead><tr><th scope="col">Received</th>` +
      `<th scope="col">From</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>No messages yet. Point the platform's SMTP settings at <code>${escapeHtml(smtpAddress)}</code>.</p>`;
  return page(
    `Local mailbox (${mails.length})`,
    `<header><h1>Local mailbox</h1><p class="muted">${mails.length} message(s) received on SMTP ` +
      `<code>${escapeHtml(smtpAddress)}</code>. <a href="/">Refresh</a></p></header><main>${content}</main>`,
  );
};

/**
 * The HTML body is shown in a sandboxed frame without scripts; `<base target="_top">` plus
 * top-navigation-by-user-activation lets a click on a magic link open the app in this tab.
 */
const htmlFrame = (html: string): string => {
  const document = `<base target="_top">${html}`;
  return `<iframe title="HTML version of the message" sandbox="allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(document)}"></iframe>`;
};

export const messagePage = (mail: StoredMail): string => {
  const attachments = mail.attachments.length
    ? `<section aria-labelledby="attachments"><h2 id="attachments">Attachments</h2><ul>${mail.attachments
        .map(
          (attachment, index) =>
            `<li><a href="/messages/${encodeURIComponent(mail.id)}/attachments/${index}">${escapeHtml(attachment.filename)}</a> ` +
            `<span class="muted">(${escapeHtml(attachment.contentType)}, ${attachment.size} bytes)</span></li>`,
        )
        .join('')}</ul></section>`
    : '';
  const text =
    mail.text !== null
      ? `<section aria-labelledby="text"><h2 id="text">Text</h2><pre>${linkify(mail.text)}</pre></section>`
      : '';
  const html =
    mail.html !== null
      ? `<section aria-labelledby="html"><h2 id="html">HTML</h2>${htmlFrame(mail.html)}</section>`
      : '';
  return page(
    mail.subject || '(no subject)',
    `<nav><a href="/">← Inbox</a></nav><main><h1>${escapeHtml(mail.subject || '(no subject)')}</h1>` +
      `<dl><dt>From</dt><dd>${escapeHtml(mail.from)}</dd><dt>To</dt><dd>${escapeHtml(mail.to.join(', '))}</dd>` +
      `<dt>Date</dt><dd>${time(mail.date)}</dd><dt>Message-ID</dt><dd><code>${escapeHtml(mail.messageId ?? '—')}</code></dd></dl>` +
      `${text}${html}${attachments}<p><a href="/messages/${encodeURIComponent(mail.id)}/raw">View source</a></p></main>`,
  );
};
