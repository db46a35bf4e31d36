import { ChangePasswordPage } from '../account/ChangePasswordPage.js';
import { StaffAccountsPage } from '../admin/StaffAccountsPage.js';
import { StaffMemberPage } from '../admin/StaffMemberPage.js';
import { AuditPage } from '../audit/AuditPage.js';
import { ComplianceReportPage } from '../audit/ComplianceReportPage.js';
import { LoginPage } from '../auth/LoginPage.js';
import { SessionProvider } from '../auth/session.js';
import { ConsolePage } from '../console/ConsolePage.js';
import { consultationPatientPage, consultationStaffPage } from '../consultation/pages.js';
import { IncidentsPage } from '../operations/IncidentsPage.js';
import { OrderDetailPage } from '../orders/OrderDetailPage.js';
import { EnrollPage } from '../patient/EnrollPage.js';
import { PatientOrderPage } from '../patient/PatientOrderPage.js';
import { DrugCataloguePage } from '../reference/DrugCataloguePage.js';
import { PharmacyNetworkPage } from '../reference/PharmacyNetworkPage.js';
import { UkProductsPage } from '../reference/UkProductsPage.js';
import { SandboxPage } from '../sandbox/SandboxPage.js';
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
      return <AuditPage orderId={route.orderId} consultationId={route.consultationId} />;
    case 'compliance':
      return <ComplianceReportPage from={route.from} to={route.to} />;
    case 'ref-drugs':
      return <DrugCataloguePage />;
    case 'ref-pharmacies':
      return <PharmacyNetworkPage />;
    case 'ref-uk-products':
      return <UkProductsPage />;
    case 'admin-staff':
      return <StaffAccountsPage />;
    case 'admin-staff-member':
      return <StaffMemberPage key={route.staffId} staffId={route.staffId} />;
    case 'change-password':
      return <ChangePasswordPage />;
    case 'incidents':
      return <IncidentsPage />;
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
  // The tester's controls need no staff session: they stand in for vendors' test dashboards.
  if (route.page === 'sandbox') return <SandboxPage />;
  return (
    <SessionProvider>
      {route.page === 'login' ? <LoginPage /> : <StaffShell>{staffPage(route)}</StaffShell>}
    </SessionProvider>
  );
};
