import { api } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { PatientPage } from '../../patient/PatientLayout.js';
import { Loading, PageHeading, ProblemMessage } from '../../ui/components.js';
import { useResource } from '../../ui/useResource.js';
import { formatPence, kindText } from '../format.js';
import type { Catalogue, ProductSummary } from '../types.js';

/** Lowest monthly price on offer: what "from" means on the product list. */
const fromPrice = (product: ProductSummary) =>
  Math.min(...product.plans.map((plan) => plan.price.monthlyPence), product.pricePence);

export const KindBadge = ({ kind }: { kind: 'POM' | 'P' }) => (
  <span className={`badge kind-${kind}`} title={kindText(kind)}>
    {kind === 'POM' ? 'POM' : 'P'}
    <span className="visually-hidden">: {kindText(kind)}</span>
  </span>
);

/** Phase 1: what the pharmacy supplies online after a consultation. */
export const CataloguePage = () => {
  const catalogue = useResource((signal) => api.get<Catalogue>('/api/catalogue', { signal }), []);
  return (
    <PatientPage flow="uk">
      <PageHeading>Treatments</PageHeading>
      <p>
        Choose a treatment and answer a few questions. A UK-registered prescriber or pharmacist reviews every
        consultation before anything is supplied.
      </p>
      <ProblemMessage problem={catalogue.problem} />
      {!catalogue.data ? (
        catalogue.problem ? null : (
          <Loading what="the treatments" />
        )
      ) : (
        <ul className="products">
          {catalogue.data.products.map((product) => (
            <li key={product.id} className="card product" data-product-id={product.id}>
              <h2>
                <Link to={`/treatments/${encodeURIComponent(product.id)}`}>{product.name}</Link>
              </h2>
              <p>
                <KindBadge kind={product.kind} /> <span className="muted">{kindText(product.kind)}</span>
              </p>
              <p>
                From <strong>{formatPence(fromPrice(product))}</strong> a month
                {product.stock.level === 'out_of_stock' ? (
                  <span className="flag flag-issue">temporarily out of stock</span>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </PatientPage>
  );
};
