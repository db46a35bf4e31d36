import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { formatAmount, formatMoney } from '../ui/format.js';
import {
  ActionCard,
  type ActionProps,
  ConfirmStep,
  FieldError,
  Outcome,
  ReasonField,
  useConfirmStep,
} from './actionParts.js';
import { refundableMinor } from './availableActions.js';
import { parseDollars } from './dollars.js';
import { useAction } from './useAction.js';

/**
 * A reason, then a question, then the request: for actions that move money or end the order and
 * cannot be taken back.
 */
const ConfirmedReasonAction = ({
  order,
  onDone,
  title,
  intro,
  path,
  button,
  question,
  consequence,
  confirmLabel,
  confirmation,
}: ActionProps & {
  title: string;
  intro?: ReactNode;
  path: string;
  button: string;
  question: string;
  consequence: ReactNode;
  confirmLabel: string;
  confirmation: string;
}) => {
  const action = useAction(onDone);
  const confirm = useConfirmStep<string>();
  const [reason, setReason] = useState('');
  const id = useId();
  const send = async (value: string) => {
    const ok = await action.run(`/api/orders/${order.orderId}/${path}`, { reason: value }, confirmation);
    // Refused: back to the button, beside the API's answer, to change the form or try again.
    if (ok) {
      confirm.done();
      setReason('');
    } else confirm.back();
  };
  return (
    <ActionCard title={title}>
      {intro}
      <form
        className="stack"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          confirm.ask(reason);
        }}
      >
        <fieldset className="bare" disabled={confirm.pending !== null}>
          <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
        </fieldset>
        {confirm.pending === null ? (
          <button type="submit" className="danger" ref={confirm.askedFrom} disabled={action.busy}>
            {button}
          </button>
        ) : (
          <ConfirmStep
            question={question}
            consequence={consequence}
            confirmLabel={confirmLabel}
            busy={action.busy}
            onConfirm={() => void send(confirm.pending!)}
            onBack={confirm.back}
          />
        )}
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

export const CancelAction = (props: ActionProps) => {
  const refundable = refundableMinor(props.order.money);
  return (
    <ConfirmedReasonAction
      {...props}
      title="Cancel the order"
      path="cancel"
      button="Cancel order…"
      question="Cancel this order?"
      consequence={
        refundable > 0
          ? `${formatMoney(refundable)} the patient paid is refunded to their card. This cannot be undone.`
          : 'Nothing was paid, so nothing is refunded. This cannot be undone.'
      }
      confirmLabel="Yes, cancel the order"
      confirmation={
        refundable > 0
          ? `Order cancelled; a refund of ${formatMoney(refundable)} was requested.`
          : 'Order cancelled.'
      }
    />
  );
};

export const AcceptMismatchAction = (props: ActionProps) => {
  const mismatch = props.order.payment.mismatch;
  const received = formatAmount(mismatch?.receivedMinor, mismatch?.currency);
  const expected = formatMoney(mismatch?.expectedMinor);
  return (
    <ConfirmedReasonAction
      {...props}
      title="Accept the payment as it is"
      intro={
        <p className="hint">
          The patient paid {received} instead of {expected}. Accepting treats the order as paid and ships it.
        </p>
      }
      path="payment/accept"
      button="Accept payment…"
      question={`Accept ${received} instead of ${expected}?`}
      consequence="The order counts as paid and ships. This cannot be undone."
      confirmLabel="Yes, accept the payment"
      confirmation="Payment accepted: the order ships."
    />
  );
};

export const RefundMismatchAction = (props: ActionProps) => {
  const mismatch = props.order.payment.mismatch;
  const received = formatAmount(mismatch?.receivedMinor, mismatch?.currency);
  const expected = formatMoney(mismatch?.expectedMinor);
  return (
    <ConfirmedReasonAction
      {...props}
      title="Refund the payment and ask again"
      path="payment/refund"
      button="Refund payment…"
      question={`Refund the ${received} payment and ask for payment again?`}
      consequence={`${received} goes back to the patient's card, and the patient gets a new link to pay ${expected}. This cannot be undone.`}
      confirmLabel="Yes, refund the payment"
      confirmation={`Refund of ${received} requested; a new payment link follows.`}
    />
  );
};

/** A refund of part of what was paid, typed in dollars and sent as whole cents. */
export const RefundAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const confirm = useConfirmStep<{ cents: number; reason: string }>();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [amountProblem, setAmountProblem] = useState<string | undefined>();
  const id = useId();
  const refundable = refundableMinor(order.money);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDollars(amount);
    const problem = !parsed.ok
      ? parsed.problem
      : parsed.cents > refundable
        ? `At most ${formatMoney(refundable)} can be refunded.`
        : undefined;
    setAmountProblem(problem);
    if (parsed.ok && !problem) confirm.ask({ cents: parsed.cents, reason });
  };
  const send = async ({ cents, reason: why }: { cents: number; reason: string }) => {
    const ok = await action.run(
      `/api/orders/${order.orderId}/refund`,
      { amountMinor: cents, reason: why },
      `Refund of ${formatMoney(cents)} requested; Stripe confirms it shortly.`,
    );
    if (ok) {
      confirm.done();
      setAmount('');
      setReason('');
    } else confirm.back();
  };
  const pending = confirm.pending;
  return (
    <ActionCard title="Refund part of the payment">
      <p className="hint">Up to {formatMoney(refundable)} can be refunded.</p>
      <form onSubmit={submit} className="stack">
        <fieldset className="bare" disabled={pending !== null}>
          <div className="field">
            <label htmlFor={`${id}-amount`}>Amount to refund (USD)</label>
            <input
              id={`${id}-amount`}
              className="medium"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.00"
              value={amount}
              aria-invalid={amountProblem ? true : undefined}
              aria-describedby={amountProblem ? `${id}-amount-error` : undefined}
              onChange={(e) => setAmount(e.target.value)}
            />
            <FieldError id={`${id}-amount-error`} message={amountProblem} />
          </div>
          <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
        </fieldset>
        {pending === null ? (
          <button type="submit" className="danger" ref={confirm.askedFrom} disabled={action.busy}>
            Refund…
          </button>
        ) : (
          <ConfirmStep
            question={`Refund ${formatMoney(pending.cents)} to the patient?`}
            consequence="The money goes back to the card the patient paid with. This cannot be undone."
            confirmLabel={`Yes, refund ${formatMoney(pending.cents)}`}
            busy={action.busy}
            onConfirm={() => void send(pending)}
            onBack={confirm.back}
          />
        )}
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};
