// What every page's header offers, the big screen's and the other pages': the pages the user's
// role may open (from the router's own list), the other language, and signing out.
import { computed } from 'vue';
import { useRouter } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { toggleLocale } from '@/i18n';
import { navLinks } from '@/router';

export function useHeader() {
  const auth = useAuthStore();
  const router = useRouter();
  const links = computed(() => navLinks(auth.user?.role));

  /** Leaves the page first: a page with unsaved work may keep the user (and so the session). */
  async function logout(): Promise<void> {
    if (await router.push('/login')) return;
    auth.logout();
  }
  return { links, logout, toggleLocale };
}
