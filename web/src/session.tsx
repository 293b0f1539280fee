// The logged-in account: its token (sessionStorage), its profile and what it may do.
// An expired or revoked session sends the user back to the login screen with a note.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import {
  ApiError,
  getJson,
  sendJson,
  setExpiredHandler,
  storeToken,
  storedToken,
} from "./api";
import type { LoginReply, Me } from "./api";

export type Action =
  | "session"
  | "read_reference"
  | "read_aggregates"
  | "read_records"
  | "import"
  | "review"
  | "manage_agencies"
  | "manage_users"
  | "read_audit";

interface Session {
  me: Me | null;
  loading: boolean;
  expired: boolean;
  can: (action: Action) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState<boolean>(() => storedToken() !== null);
  const [expired, setExpired] = useState(false);

  const refresh = useCallback(async () => {
    if (!storedToken()) {
      setMe(null);
      setLoading(false);
      return;
    }
    try {
      setMe(await getJson<Me>("/api/v1/auth/me"));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setExpiredHandler(() => {
      setMe(null);
      setExpired(true);
    });
    void refresh();
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const reply = await sendJson<LoginReply>("POST", "/api/v1/auth/login", {
      username,
      password,
    });
    storeToken(reply.token);
    setExpired(false);
    setMe(await getJson<Me>("/api/v1/auth/me"));
  }, []);

  const logout = useCallback(async () => {
    try {
      await sendJson("POST", "/api/v1/auth/logout", {});
    } catch {
      // Already gone on the server: forget it here too.
    }
    storeToken(null);
    setMe(null);
    setExpired(false);
  }, []);

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      expired,
      can: (action) => me?.allowed.includes(action) ?? false,
      login,
      logout,
      refresh,
    }),
    [me, loading, expired, login, logout, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
