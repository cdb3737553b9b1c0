import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { ApiError, api, setToken, setUnauthorizedHandler } from '@/api/http';
import { RENEW_RETRY_MS, renewalDue, tokenExpiry } from '@/lib/session';

export type Role = 'admin' | 'commander' | 'leader' | 'township' | 'department';
export interface SessionUser {
  id: string;
  username: string;
  displayName?: string;
  role: Role;
  scope:
    | { kind: 'county' }
    | { kind: 'township'; code: string; name?: string }
    | { kind: 'department'; code: string; name?: string };
}

const STORAGE_KEY = 'session';

export const useAuthStore = defineStore('auth', () => {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  const initial = saved ? (JSON.parse(saved) as { token: string; user: SessionUser }) : null;
  const token = ref<string | null>(initial?.token ?? null);
  const user = ref<SessionUser | null>(initial?.user ?? null);
  setToken(token.value);

  const isLoggedIn = computed(() => !!token.value && !!user.value);
  /** The session was ended by the server (expired, a week old, the account disabled), not the user. */
  const expired = ref(false);
  /** Where this role starts after login. */
  const homeRoute = computed(() => {
    switch (user.value?.role) {
      case 'township':
      case 'department':
        return '/desk';
      case 'leader':
        return '/leader';
      default:
        return '/screen';
    }
  });

  function keep(r: { token: string; user: SessionUser }): void {
    token.value = r.token;
    user.value = r.user;
    setToken(r.token);
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(r));
    expired.value = false;
    scheduleRenewal();
  }

  async function login(username: string, password: string): Promise<void> {
    keep(
      await api<{ token: string; user: SessionUser }>('/api/auth/login', {
        body: { username, password },
      }),
    );
  }

  // The token is renewed before it expires, for as long as the page is open (the server stops at a
  // week after the sign-in, and for a disabled account: then the page signs out, as on any 401).
  let renewTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleRenewal(at?: number): void {
    if (renewTimer) clearTimeout(renewTimer);
    renewTimer = null;
    const expiry = token.value ? tokenExpiry(token.value) : null;
    if (expiry === null) return;
    renewTimer = setTimeout(() => void renew(), (at ?? renewalDue(expiry, Date.now())) - Date.now());
  }
  async function renew(): Promise<void> {
    const was = token.value;
    try {
      const r = await api<{ token: string; user: SessionUser }>('/api/auth/refresh', { body: {} });
      if (token.value === was) keep(r); // not signed out or in again meanwhile
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return; // signed out by the 401 handler
      const expiry = was ? tokenExpiry(was) : null;
      if (token.value === was && expiry !== null && Date.now() + RENEW_RETRY_MS < expiry)
        scheduleRenewal(Date.now() + RENEW_RETRY_MS);
    }
  }

  function logout(): void {
    token.value = null;
    user.value = null;
    setToken(null);
    sessionStorage.removeItem(STORAGE_KEY);
    scheduleRenewal();
  }

  /**
   * The live connection was refused as unauthorized (the session ended: the password was changed or
   * the account disabled, or the token expired): ask the server. Its 401 signs the page out as any
   * other does (the login page says the session ended); an answer means the session still holds.
   */
  async function confirmSession(): Promise<boolean> {
    if (!token.value) return false;
    try {
      await api('/api/auth/me');
      return true;
    } catch {
      return false;
    }
  }

  setUnauthorizedHandler(() => {
    expired.value = true;
    logout();
  });
  scheduleRenewal();
  return { token, user, isLoggedIn, expired, homeRoute, login, logout, confirmSession };
});
