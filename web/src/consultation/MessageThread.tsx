import { formatDateTime } from '../ui/format.js';
import type { Message } from './types.js';

/** The clinician–patient messages of a consultation, oldest first; `names` says who is who to the reader. */
export const MessageThread = ({
  messages,
  names,
}: {
  messages: readonly Pick<Message, 'from' | 'text' | 'at'>[];
  names: Record<Message['from'], string>;
}) => (
  <ol className="messages">
    {messages.map((m) => (
      <li key={`${m.at}-${m.from}`} className={`message message-${m.from}`}>
        <p className="message-meta">
          <strong>{names[m.from]}</strong> <span className="muted">{formatDateTime(m.at)}</span>
        </p>
        <p className="message-text">{m.text}</p>
      </li>
    ))}
  </ol>
);
