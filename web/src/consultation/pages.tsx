import type { ReactNode } from 'react';
import { CataloguePage } from './patient/CataloguePage.js';
import { ConsultationPage } from './patient/ConsultationPage.js';
import { ProductPage } from './patient/ProductPage.js';
import type { ConsultationRoute } from './routes.js';
import { PharmacyCasePage } from './staff/PharmacyCasePage.js';
import { PharmacyQueuePage } from './staff/PharmacyQueuePage.js';
import { ReviewCasePage } from './staff/ReviewCasePage.js';
import { ReviewQueuePage } from './staff/ReviewQueuePage.js';
import { StockPage } from './staff/StockPage.js';

/** Patients' consultation pages: no staff session, no staff header. */
export const consultationPatientPage = (route: { page: string } | ConsultationRoute): ReactNode | null => {
  const r = route as ConsultationRoute;
  switch (r.page) {
    case 'uk-catalogue':
      return <CataloguePage />;
    case 'uk-product':
      return <ProductPage key={r.productId} productId={r.productId} />;
    case 'uk-consultation':
      return (
        <ConsultationPage
          key={r.consultationId}
          consultationId={r.consultationId}
          urlToken={r.token}
          justPaid={r.justPaid}
        />
      );
    default:
      return null;
  }
};

/** Clinicians' and the pharmacy team's pages, inside the staff shell. */
export const consultationStaffPage = (route: { page: string } | ConsultationRoute): ReactNode | null => {
  const r = route as ConsultationRoute;
  switch (r.page) {
    case 'uk-review':
      return <ReviewQueuePage queue={r.queue} />;
    case 'uk-review-case':
      return <ReviewCasePage key={r.consultationId} consultationId={r.consultationId} />;
    case 'uk-pharmacy':
      return <PharmacyQueuePage view={r.view} />;
    case 'uk-pharmacy-case':
      return <PharmacyCasePage key={r.consultationId} consultationId={r.consultationId} />;
    case 'uk-stock':
      return <StockPage />;
    default:
      return null;
  }
};
