/**
 * Just enough MIME to read what nodemailer writes: folded headers, RFC 2047 encoded words,
 * RFC 2231 parameters, quoted-printable and base64 bodies, nested multipart/mixed and
 * multipart/alternative. Structure is parsed on a latin1 view of the bytes so every byte survives
 * until a part's charset is known.
 */

export type ParsedAttachment = { filename: string; contentType: string; content: Buffer };

export type ParsedMail = {
  headers: ReadonlyMap<string, readonly string[]>;
  subject: string;
  from: string;
  to: string[];
  date: Date | null;
  messageId: string | null;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
};

type Headers = Map<string, string[]>;

const MAX_DEPTH = 8;

const decodeCharset = (bytes: Buffer, charset = 'utf-8'): string => {
  try {
    return new TextDecoder(charset.trim().toLowerCase()).decode(bytes);
  } catch {
    // Unknown label: latin1 keeps every byte visible rather than failing the whole message.
    return bytes.toString('latin1');
  }
};

const splitEntity = (raw: string): { head: string; body: string } => {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
};

const parseHeaders = (head: string): Headers => {
  const headers: Headers = new Map();
  const unfolded: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && unfolded.length > 0) unfolded[unfolded.length - 1] += line;
    else if (line.length > 0) unfolded.push(line);
  }
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
};

const first = (headers: Headers, name: string): string | undefined => headers.get(name)?.[0];

const qDecode = (text: string): Buffer =>
  Buffer.from(
    text
      .replace(/_/g, ' ')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * RFC 2047: adjacent encoded words are joined (the whitespace between them is not text), and their
 * bytes are concatenated before decoding because a multi-byte character may straddle two words.
 */
export const decodeHeaderValue = (latin1Value: string): string => {
  const value = decodeCharset(Buffer.from(latin1Value, 'latin1')); // raw UTF-8 headers (SMTPUTF8)
  const out: string[] = [];
  let run: { charset: string; bytes: Buffer[] } | undefined;
  let last = 0;
  const flush = () => {
    if (run) out.push(decodeCharset(Buffer.concat(run.bytes), run.charset));
    run = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, label = 'utf-8', encoding = 'Q', payload = ''] = match;
    const charset = (label.split('*')[0] ?? label).toLowerCase(); // drop an RFC 2231 language tag
    const between = value.slice(last, match.index);
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(payload, 'base64') : qDecode(payload);
    const adjacent = run !== undefined && /^\s*$/.test(between);
    if (!adjacent) {
      flush();
      out.push(between);
    }
    if (run?.charset === charset && adjacent) run.bytes.push(bytes);
    else {
      flush();
      run = { charset, bytes: [bytes] };
    }
    last = match.index + word.length;
  }
  flush();
  return out.join('') + value.slice(last);
};

/** Splits an address list on commas outside quotes and angle brackets. */
export const splitAddressList = (value: string): string[] => {
  const addresses: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (char === '<' && !quoted) angle = true;
    else if (char === '>' && !quoted) angle = false;
    if (char === ',' && !quoted && !angle) {
      addresses.push(current.trim());
      current = '';
    } else current += char;
  }
  addresses.push(current.trim());
  return addresses.filter(Boolean);
};

const splitParams = (value: string): string[] => {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string;
    if (char === '\\' && quoted) {
      current += value[++i] ?? '';
      continue;
    }
    if (char === '"') quoted = !quoted;
    else if (char === ';' && !quoted) {
      pieces.push(current.trim());
      current = '';
    } else current += char;
  }
  pieces.push(current.trim());
  return pieces;
};

/** `type/subtype; a=b; filename*0*=utf-8''%E2%82%AC…` → the value and decoded parameters. */
export const parseStructuredHeader = (value: string): { value: string; params: Record<string, string> } => {
  const [main = '', ...rest] = splitParams(value);
  const parts = new Map<string, { index: number; encoded: boolean; text: string }[]>();
  for (const piece of rest) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const [, name = key, index, star] = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key) ?? [];
    parts.set(name, [
      ...(parts.get(name) ?? []),
      { index: Number(index ?? 0), encoded: star === '*', text: piece.slice(eq + 1).trim() },
    ]);
  }
  const params: Record<string, string> = {};
  for (const [name, pieces] of parts) {
    pieces.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes = pieces.map((piece, i) => {
      if (!piece.encoded) return Buffer.from(piece.text, 'latin1');
      let text = piece.text;
      if (i === 0) {
        const [declared, , encodedText] = text.split("'");
        charset = declared || charset;
        text = encodedText ?? '';
      }
      return Buffer.from(
        text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
    });
    const joined = Buffer.concat(bytes);
    // RFC 2231 values are percent-encoded bytes; plain ones may still hold RFC 2047 encoded words.
    params[name] = pieces.some((piece) => piece.encoded)
      ? decodeCharset(joined, charset)
      : decodeHeaderValue(joined.toString('latin1'));
  }
  return { value: main.toLowerCase(), params };
};

/** Undoes the transfer encoding; the result is still bytes in the part's charset. */
export const decodeTransferEncoding = (body: string, encoding: string | undefined): Buffer => {
  switch (encoding?.trim().toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/[ \t]+(?=\r?\n)/g, '') // trailing whitespace is transport padding
          .replace(/=\r?\n/g, '') // soft line break: the line continues
          .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    default:
      return Buffer.from(body, 'latin1');
  }
};

const splitMultipart = (body: string, boundary: string): string[] => {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null; // null while in the preamble
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\r\n'));
      if (trimmed !== delimiter) return parts; // the close delimiter: the epilogue is not content
      current = [];
    } else current?.push(line);
  }
  if (current) parts.push(current.join('\r\n')); // truncated message: keep what arrived
  return parts;
};

type Collected = { text: string | null; html: string | null; attachments: ParsedAttachment[] };

const collect = (raw: string, into: Collected, depth: number): void => {
  const { head, body } = splitEntity(raw);
  const headers = parseHeaders(head);
  const type = parseStructuredHeader(first(headers, 'content-type') ?? 'text/plain; charset=us-ascii');
  const disposition = parseStructuredHeader(first(headers, 'content-disposition') ?? '');
  const boundary = type.params.boundary;
  if (type.value.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    for (const part of splitMultipart(body, boundary)) collect(part, into, depth + 1);
    return;
  }
  const content = decodeTransferEncoding(body, first(headers, 'content-transfer-encoding'));
  const filename = disposition.params.filename ?? type.params.name;
  const isBody = disposition.value !== 'attachment' && filename === undefined;
  if (isBody && type.value === 'text/plain' && into.text === null) {
    into.text = decodeCharset(content, type.params.charset).replace(/\r\n/g, '\n');
  } else if (isBody && type.value === 'text/html' && into.html === null) {
    into.html = decodeCharset(content, type.params.charset).replace(/\r\n/g, '\n');
  } else {
    into.attachments.push({
      filename: filename ?? `part-${into.attachments.length + 1}`,
      contentType: type.value,
      content,
    });
  }
};

export const parseMail = (raw: Buffer): ParsedMail => {
  const latin1 = raw.toString('latin1');
  const headers = parseHeaders(splitEntity(latin1).head);
  const header = (name: string) => {
    const value = first(headers, name);
    return value === undefined ? undefined : decodeHeaderValue(value);
  };
  const into: Collected = { text: null, html: null, attachments: [] };
  collect(latin1, into, 0);
  const date = header('date') ? new Date(header('date') as string) : null;
  return {
    headers,
    subject: header('subject') ?? '',
    from: header('from') ?? '',
    to: splitAddressList(header('to') ?? ''),
    date: date && !Number.isNaN(date.getTime()) ? date : null,
    messageId: header('message-id') ?? null,
    ...into,
  };
};
