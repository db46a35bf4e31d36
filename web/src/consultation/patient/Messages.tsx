import { type FormEvent, useState } from 'react';
import { type Problem, problemOf } from '../../api/problem.js';
import { ProblemMessage } from '../../ui/components.js';
import { MessageThread } from '../MessageThread.js';
import { consultationPath, patientRequest } from '../patientApi.js';
import type { PatientConsultation } from '../types.js';

/** The conversation with the clinician; a reply is possible while they wait for one. */
export const Messages = ({
  consultation,
  token,
  onReplied,
}: {
  consultation: PatientConsultation;
  token: string;
  onReplied(): void;
}) => {
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const waiting = consultation.status === 'awaiting_response';

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await patientRequest('POST', consultationPath(consultation.consultationId, '/replies'), {
        token,
        body: { message: reply.trim() },
      });
      setReply('');
      onReplied();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages with your clinician</h2>
      <MessageThread
        messages={consultation.messages}
        names={{ clinician: 'Your clinician', patient: 'You' }}
      />
      {waiting ? (
        <form onSubmit={send} className="stack">
          <div className="field">
            <label htmlFor="reply">Your reply</label>
            <textarea
              id="reply"
              rows={4}
              required
              maxLength={2000}
              value={reply}
              onChange={(event) => setReply(event.target.value)}
            />
          </div>
          <ProblemMessage problem={problem} />
          <button type="submit" disabled={busy || !reply.trim()}>
            {busy ? 'Sending…' : 'Send reply'}
          </button>
        </form>
      ) : null}
    </section>
  );
};
