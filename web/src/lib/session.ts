// The signed-in session (token + user), persisted in localStorage so it survives reloads.
// Ending it is the one way out: logout, a 401 on an authenticated call, or the token's
// own expiry. Whoever listens (router guards, live feeds, query cache) reacts to it.
import { create } from 'zustand';
import { persist, createJSONStorage } from 'zustand/middleware';
import { RULE_EDITOR_ROLES } from '@siem/contracts';
import type { Role, User } from '@siem/contracts';

export type EndReason = 'logout' | 'expired' | 'unauthorized';

interface SessionState {
  token: string | null;
  user: User | null;
  /** Why the last session ended, shown once on the login page. */
  ended: EndReason | null;
  signIn: (token: string, user: User) => void;
  setUser: (user: User) => void;
  setToken: (token: string) => void;
  end: (reason: EndReason) => void;
  clearEnded: () => void;
}

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      token: null,
      user: null,
      ended: null,
      signIn: (token, user) => set({ token, user, ended: null }),
      setUser: (user) => set({ user }),
      setToken: (token) => set({ token }),
      end: (reason) => set((s) => (s.token ? { token: null, user: null, ended: reason } : s)),
      clearEnded: () => set({ ended: null }),
    }),
    {
      name: 'siem.session',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ token: s.token, user: s.user }),
    },
  ),
);

/** Seconds-since-epoch expiry of a JWT, or null when it cannot be read. */
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

export const getToken = (): string | null => useSession.getState().token;

/** Whether a role may change detection rules (engineer, admin); the server enforces the same. */
export const canEditRules = (role: Role | undefined): boolean => !!role && (RULE_EDITOR_ROLES as readonly Role[]).includes(role);

/** The signed-in user's right to change rules, for hiding the controls that would only get a 403. */
export const useCanEditRules = (): boolean => useSession((s) => canEditRules(s.user?.role));

/** Whether a role may read the intake sources (engineer, admin: input addresses and unparsed lines); the server enforces the same. */
export const canSeeSources = (role: Role | undefined): boolean => canEditRules(role);
