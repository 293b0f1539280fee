// Screens and who may open them. Each screen is its own chunk, loaded when first
// opened, so the login screen arrives quickly over a slow connection.
import { Suspense, lazy } from "react";
import type { ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { SessionProvider, useSession } from "./session";
import type { Action } from "./session";
import { Layout } from "./components/Layout";
import { Login } from "./pages/Login";
import { ChangePassword } from "./pages/ChangePassword";

const Dashboard = lazy(() => import("./pages/Dashboard"));
const ImportWizard = lazy(() => import("./pages/Import"));
const PersonSearch = lazy(() => import("./pages/Persons"));
const PersonPage = lazy(() => import("./pages/Person"));
const ReviewQueue = lazy(() => import("./pages/Review"));
const Disagreements = lazy(() => import("./pages/Disagreements"));
const CaseList = lazy(() => import("./pages/Cases"));
const CasePage = lazy(() => import("./pages/Case"));
const Justice = lazy(() => import("./pages/Justice"));
const Admin = lazy(() => import("./pages/Admin"));

function Loading() {
  const { t } = useTranslation("common");
  return (
    <p className="loading" role="status">
      {t("loading")}
    </p>
  );
}

// Shows `children` to an account allowed `action`; sends others to login or home.
function Guard({ action, children }: { action?: Action; children: ReactNode }) {
  const { me, loading, can } = useSession();
  const location = useLocation();
  const { t } = useTranslation("common");
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/masuk" replace state={{ from: location.pathname }} />;
  if (me.must_change_password) return <ChangePassword forced />;
  if (action && !can(action))
    return (
      <Layout>
        <div className="error" role="alert">
          <p>{t("errors.forbidden")}</p>
        </div>
      </Layout>
    );
  return (
    <Layout>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </Layout>
  );
}

function Home() {
  const { can } = useSession();
  if (can("read_aggregates")) return <Dashboard />;
  if (can("read_records")) return <PersonSearch />;
  return <Navigate to="/kata-sandi" replace />;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/masuk" element={<Login />} />
          <Route path="/" element={<Guard><Home /></Guard>} />
          <Route path="/impor" element={<Guard action="import"><ImportWizard /></Guard>} />
          <Route path="/orang" element={<Guard action="read_records"><PersonSearch /></Guard>} />
          <Route path="/orang/:id" element={<Guard action="read_records"><PersonPage /></Guard>} />
          <Route
            path="/data-tidak-cocok"
            element={<Guard action="read_records"><Disagreements /></Guard>}
          />
          <Route path="/perkara" element={<Guard action="read_records"><CaseList /></Guard>} />
          <Route path="/perkara/:id" element={<Guard action="read_records"><CasePage /></Guard>} />
          <Route path="/keadilan" element={<Guard action="read_aggregates"><Justice /></Guard>} />
          <Route path="/tinjauan" element={<Guard action="review"><ReviewQueue /></Guard>} />
          <Route path="/admin" element={<Guard><Admin /></Guard>} />
          <Route path="/kata-sandi" element={<Guard><ChangePassword /></Guard>} />
          <Route path="*" element={<Guard><NotFound /></Guard>} />
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}

function NotFound() {
  const { t } = useTranslation("common");
  return (
    <section>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.text")}</p>
    </section>
  );
}
