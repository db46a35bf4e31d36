import { type FormEvent, useId, useState } from 'react';
import { statusLabel } from '../ui/format.js';
import { ActionCard, type ActionProps, FieldError, Outcome, ReasonField } from './actionParts.js';
import {
  type AddressDraft,
  type AddressErrors,
  addressLine,
  buildContactCorrection,
  type ContactErrors,
  contactOf,
  emptyAddress,
  readUsAddress,
} from './address.js';
import { deliveryStatusChoices, type ManualDeliveryStatus } from './availableActions.js';
import { useAction } from './useAction.js';

const DELIVERY_STATUS_LABELS: Record<ManualDeliveryStatus, string> = {
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  failure: 'Delivery failed',
  returned: 'Returned to the pharmacy',
};

/** What ops heard from the carrier when no scan will come: the order moves as a scan would move it. */
export const DeliveryStatusAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const choices = deliveryStatusChoices(order.status);
  const [status, setStatus] = useState<ManualDeliveryStatus | ''>('');
  const [details, setDetails] = useState('');
  const id = useId();
  const chosen = status && choices.includes(status) ? status : (choices[0] ?? '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const before = order.status;
    const ok = await action.run(
      `/api/orders/${order.orderId}/delivery-status`,
      { status: chosen, details },
      (answer) =>
        answer.status === before
          ? `Nothing changed: the order is still ${statusLabel(before).toLowerCase()} (a newer carrier scan is on file).`
          : `${DELIVERY_STATUS_LABELS[chosen as ManualDeliveryStatus]} recorded.`,
    );
    if (ok) setDetails('');
  };
  return (
    <ActionCard title="Record a delivery status">
      <p className="hint">For news heard from the carrier by phone or e-mail, when no scan will come.</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={chosen}
            onChange={(e) => setStatus(e.target.value as ManualDeliveryStatus)}
          >
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {DELIVERY_STATUS_LABELS[choice]}
              </option>
            ))}
          </select>
        </div>
        <ReasonField
          id={`${id}-details`}
          label="What the carrier said"
          value={details}
          onChange={setDetails}
        />
        <button type="submit" disabled={action.busy || !chosen}>
          Record delivery status
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

/** A US address, each field with its own problem; `legend` names the group. */
const AddressFields = ({
  legend,
  value,
  errors,
  onChange,
  hint,
}: {
  legend: string;
  value: AddressDraft;
  errors: AddressErrors;
  onChange(next: AddressDraft): void;
  hint?: string;
}) => {
  const id = useId();
  const field = (
    name: keyof AddressDraft,
    label: string,
    attributes: { autoComplete: string; maxLength: number; className?: string; inputMode?: 'numeric' },
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={value[name]}
        {...attributes}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        onChange={(e) => onChange({ ...value, [name]: e.target.value })}
      />
      <FieldError id={`${id}-${name}-error`} message={errors[name]} />
    </div>
  );
  return (
    <fieldset>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {field('line1', 'Street address', { autoComplete: 'address-line1', maxLength: 100 })}
      {field('line2', 'Apartment, suite, etc. (optional)', { autoComplete: 'address-line2', maxLength: 100 })}
      {field('city', 'City', { autoComplete: 'address-level2', maxLength: 60 })}
      <div className="inline-fields">
        {field('state', 'State', { autoComplete: 'address-level1', maxLength: 2, className: 'short' })}
        {field('postalCode', 'ZIP code', {
          autoComplete: 'postal-code',
          maxLength: 10,
          className: 'medium',
          inputMode: 'numeric',
        })}
      </div>
    </fieldset>
  );
};

/** After a failed delivery: a new label, to the address on file or to a corrected one. */
export const ReshipAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [reason, setReason] = useState('');
  const [newAddress, setNewAddress] = useState(false);
  const [address, setAddress] = useState(emptyAddress);
  const [errors, setErrors] = useState<AddressErrors>({});
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = newAddress ? readUsAddress(address) : null;
    setErrors(read && !read.ok ? read.errors : {});
    if (read && !read.ok) return;
    void action.run(
      `/api/orders/${order.orderId}/reship`,
      read?.ok ? { reason, address: read.address } : { reason },
      read?.ok
        ? `Reshipment requested to ${addressLine(read.address)}: a new label will be bought.`
        : 'Reshipment requested: a new label will be bought.',
    );
  };
  return (
    <ActionCard title="Delivery exception: ship again">
      <form onSubmit={submit} className="stack">
        <p className="hint">Address on file: {addressLine(contactOf(order).address) || 'none'}.</p>
        <div className="choice">
          <input
            type="checkbox"
            id={`${id}-new`}
            checked={newAddress}
            onChange={(e) => setNewAddress(e.target.checked)}
          />
          <label htmlFor={`${id}-new`}>Ship to a new address</label>
        </div>
        {newAddress ? (
          <AddressFields
            legend="New delivery address"
            value={address}
            errors={errors}
            onChange={setAddress}
          />
        ) : null}
        <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
        <button type="submit" disabled={action.busy}>
          Reship order
        </button>
        <Outcome action={action} />
      </form>
    </ActionCard>
  );
};

/** Where the parcel goes and how to reach the patient, as the patient or carrier told ops. */
export const ContactAction = ({ order, onDone }: ActionProps) => {
  const action = useAction(onDone);
  const [address, setAddress] = useState(emptyAddress);
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ContactErrors>({});
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildContactCorrection({ address, phone, email });
    setErrors(built.ok ? {} : built.errors);
    if (!built.ok) return;
    const ok = await action.run(
      `/api/orders/${order.orderId}/contact`,
      { ...built.correction, reason },
      'Contact details corrected.',
    );
    if (ok) {
      setAddress(emptyAddress());
      setPhone('');
      setEmail('');
      setReason('');
    }
  };
  return (
    <ActionCard title="Correct contact details">
      {/* Offered in every open status, so folded until someone needs it. */}
      <details>
        <summary>Change the delivery address, phone or e-mail</summary>
        <form onSubmit={submit} className="stack">
          <p className="hint">Fill in only what changes; empty fields stay as they are.</p>
          <AddressFields
            legend="New delivery address"
            hint={`Now: ${addressLine(contactOf(order).address) || 'none'}`}
            value={address}
            errors={errors}
            onChange={setAddress}
          />
          <div className="field">
            <label htmlFor={`${id}-phone`}>Phone</label>
            <input
              id={`${id}-phone`}
              type="tel"
              autoComplete="off"
              maxLength={20}
              value={phone}
              placeholder={contactOf(order).phone ?? ''}
              aria-invalid={errors.phone ? true : undefined}
              aria-describedby={errors.phone ? `${id}-phone-error` : undefined}
              onChange={(e) => setPhone(e.target.value)}
            />
            <FieldError id={`${id}-phone-error`} message={errors.phone} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-email`}>E-mail</label>
            <input
              id={`${id}-email`}
              type="email"
              autoComplete="off"
              maxLength={254}
              value={email}
              placeholder={contactOf(order).email ?? ''}
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={errors.email ? `${id}-email-error` : undefined}
              onChange={(e) => setEmail(e.target.value)}
            />
            <FieldError id={`${id}-email-error`} message={errors.email} />
          </div>
          <ReasonField id={`${id}-reason`} value={reason} onChange={setReason} />
          <FieldError id={`${id}-form-error`} message={errors.form} />
          <button type="submit" disabled={action.busy}>
            Save contact details
          </button>
          <Outcome action={action} />
        </form>
      </details>
    </ActionCard>
  );
};
