import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.js';
import { SuccessNote } from '../consultation/staff/shared.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { useResource } from '../ui/useResource.js';
import { penceToPounds, poundsToPence, useReloadSoon, useSave } from './shared.js';
import type { UkProduct } from './types.js';

const gbp = (pence: number) => `£${penceToPounds(pence)}`;

/** One product's terms: price a month, pack size, whether it is offered. */
const ProductTermsForm = ({
  product,
  onDone,
}: {
  product: UkProduct;
  onDone(confirmation: string): void;
}) => {
  const idBase = useId();
  const save = useSave(onDone);
  const [price, setPrice] = useState(penceToPounds(product.pricePence));
  const [packSize, setPackSize] = useState(product.packSize);
  const [available, setAvailable] = useState(product.available);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const pricePence = poundsToPence(price);
    if (pricePence === null || pricePence < 1) {
      setInvalid('Enter the price in pounds, e.g. 19.99');
      return;
    }
    setInvalid(null);
    const done = await save.send(
      'PUT',
      `/api/reference/uk-products/${product.id}`,
      { pricePence, packSize: packSize.trim(), available, reason: reason.trim() },
      `${product.name}: ${gbp(pricePence)} a month, ${packSize.trim()}, ${available ? 'offered' : 'withdrawn'}.`,
    );
    if (done) setReason('');
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Terms of ${product.name}`}>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${idBase}-price`}>Price a month (£)</label>
          <input
            id={`${idBase}-price`}
            inputMode="decimal"
            required
            value={price}
            aria-invalid={invalid ? true : undefined}
            onChange={(event) => setPrice(event.target.value)}
          />
          {invalid ? <span className="field-error">{invalid}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={`${idBase}-pack`}>Pack size</label>
          <input
            id={`${idBase}-pack`}
            required
            maxLength={80}
            value={packSize}
            onChange={(event) => setPackSize(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idBase}-reason`}>Why</label>
          <input
            id={`${idBase}-reason`}
            required
            minLength={3}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
      </div>
      <div className="choice">
        <input
          type="checkbox"
          id={`${idBase}-available`}
          checked={available}
          onChange={(event) => setAvailable(event.target.checked)}
        />
        <label htmlFor={`${idBase}-available`}>Offered for new consultations</label>
      </div>
      <button type="submit" disabled={save.busy}>
        Save terms
      </button>
      <ProblemMessage problem={save.problem} />
    </form>
  );
};

/** The UK products' prices, pack sizes and availability; a consultation already paid keeps its price. */
export const UkProductsPage = () => {
  const [notice, setNotice] = useState<string | null>(null);
  const products = useResource(
    (signal) => api.get<{ items: UkProduct[] }>('/api/reference/uk-products', { signal }),
    [],
  );
  const reload = useReloadSoon(products.reload);
  const onDone = (confirmation: string) => {
    setNotice(confirmation);
    reload();
  };
  return (
    <main id="main" className="page">
      <PageHeading>UK products</PageHeading>
      <p>
        A change applies to consultations priced from now on; a plan already chosen and paid keeps its price.
        The questionnaires are versioned with the platform.
      </p>
      <SuccessNote text={notice} />
      <ProblemMessage problem={products.problem} />
      {!products.data ? (
        products.problem ? null : (
          <Loading what="the products" />
        )
      ) : (
        <ul className="stack" aria-label="UK products">
          {products.data.items.map((product) => (
            <li
              key={`${product.id}:${product.pricePence}:${product.available}:${product.packSize}`}
              className="card"
              data-product-id={product.id}
            >
              <div className="order-head">
                <h2>{product.name}</h2>
                <span className={`badge kind-${product.kind}`}>{product.kind}</span>
              </div>
              <p className="muted">
                {gbp(product.pricePence)} a month · {product.packSize} ·{' '}
                {product.available ? 'offered' : 'withdrawn'} · questionnaire {product.questionnaireVersion}
              </p>
              <ProductTermsForm product={product} onDone={onDone} />
            </li>
          ))}
        </ul>
      )}
    </main>
  );
};
