import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { api, setToken, setUnauthorizedHandler } from '@/api/http';

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

  async function login(username: string, password: string): Promise<void> {
    const r = await api<{ token: string; user: SessionUser }>('/api/auth/login', {
      body: { username, password },
    });
    token.value = r.token;
    user.value = r.user;
    setToken(r.token);
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(r));
  }

  function logout(): void {
    token.value = null;
    user.value = null;
    setToken(null);
    sessionStorage.removeItem(STORAGE_KEY);
  }

  setUnauthorizedHandler(logout);
  return { token, user, isLoggedIn, homeRoute, login, logout };
});
