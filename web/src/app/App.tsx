import { AuditPage } from '../audit/AuditPage.js';
import { LoginPage } from '../auth/LoginPage.js';
import { SessionProvider } from '../auth/session.js';
import { ConsolePage } from '../console/ConsolePage.js';
import { consultationPatientPage, consultationStaffPage } from '../consultation/pages.js';
import { OrderDetailPage } from '../orders/OrderDetailPage.js';
import { EnrollPage } from '../patient/EnrollPage.js';
import { PatientOrderPage } from '../patient/PatientOrderPage.js';
import { PageHeading } from '../ui/components.js';
import { Link, useLocation } from './router.js';
import { matchRoute, type Route } from './routes.js';
import { StaffShell } from './StaffShell.js';

const NotFound = () => (
  <main id="main" className="page narrow">
    <PageHeading>Page not found</PageHeading>
    <p>
      There is nothing at this address. <Link to="/">Go to the order console</Link>.
    </p>
  </main>
);

const staffPage = (route: Route) => {
  switch (route.page) {
    case 'console':
      return <ConsolePage />;
    case 'order':
      return <OrderDetailPage key={route.orderId} orderId={route.orderId} />;
    case 'audit':
      return <AuditPage orderId={route.orderId} />;
    default:
      return consultationStaffPage(route) ?? <NotFound />;
  }
};

/** Patients' pages stand alone; staff pages share one session, one live feed and one header. */
export const App = () => {
  const { pathname, search, hash } = useLocation();
  const route = matchRoute(pathname, search, hash);
  if (route.page === 'enroll') return <EnrollPage key={route.token} token={route.token} />;
  if (route.page === 'patient-order')
    return (
      <PatientOrderPage
        key={route.orderId}
        orderId={route.orderId}
        token={route.token}
        justPaid={route.justPaid}
      />
    );
  const patientPage = consultationPatientPage(route);
  if (patientPage) return patientPage;
  if (route.page === 'not-found') return <NotFound />;
  return (
    <SessionProvider>
      {route.page === 'login' ? <LoginPage /> : <StaffShell>{staffPage(route)}</StaffShell>}
    </SessionProvider>
  );
};
