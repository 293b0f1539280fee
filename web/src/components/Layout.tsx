// The frame of every screen after login: a skip link, the navigation the account
// may use, the language switch and the account menu.
import { useState } from "react";
import type { ReactNode } from "react";
import { NavLink, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useSession } from "../session";
import type { Action } from "../session";
import { LANGUAGES, setLanguage } from "../i18n";

const LINKS: { to: string; key: string; action: Action | Action[] }[] = [
  { to: "/", key: "nav.dashboard", action: "read_aggregates" },
  { to: "/keadilan", key: "nav.justice", action: "read_aggregates" },
  { to: "/orang", key: "nav.persons", action: "read_records" },
  { to: "/perkara", key: "nav.cases", action: "read_records" },
  { to: "/data-tidak-cocok", key: "nav.disagreements", action: "read_records" },
  { to: "/impor", key: "nav.import", action: "import" },
  { to: "/tinjauan", key: "nav.review", action: "review" },
  { to: "/admin", key: "nav.admin", action: ["manage_users", "manage_agencies"] },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation("common");
  return (
    <div className="lang" role="group" aria-label={t("language.label")}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          className="link"
          aria-pressed={i18n.language === lang}
          onClick={() => setLanguage(lang)}
          lang={lang}
        >
          {t(`language.${lang}`)}
        </button>
      ))}
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation("common");
  const { me, can, logout } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const allowed = (a: Action | Action[]) => (Array.isArray(a) ? a.some(can) : can(a));

  return (
    <div className="app">
      <a className="skip" href="#main">
        {t("skip")}
      </a>
      <header className="top">
        <div className="brand">
          <strong>gugus</strong>
          <span className="tagline">{t("tagline")}</span>
        </div>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          {t("menu")}
        </button>
        <nav id="main-nav" aria-label={t("nav.label")} className={open ? "open" : ""}>
          <ul>
            {LINKS.filter((l) => allowed(l.action)).map((l) => (
              <li key={l.to}>
                <NavLink to={l.to} end={l.to === "/"} onClick={() => setOpen(false)}>
                  {t(l.key)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <LanguageSwitch />
          {me && (
            <span className="who" data-testid="who">
              {me.username} · {t(`roles.${me.role}`)}
            </span>
          )}
          <NavLink to="/kata-sandi" className="link">
            {t("nav.password")}
          </NavLink>
          <button
            type="button"
            onClick={async () => {
              await logout();
              navigate("/masuk");
            }}
          >
            {t("logout")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="foot">
        <p>{t("footer")}</p>
      </footer>
    </div>
  );
}
