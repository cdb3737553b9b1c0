import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { forgetMissingPart, missingPartOf } from '@/lib/stale-build';
import { useAuthStore, type Role } from '@/stores/auth';
import { prefetchScreen } from '@/lib/screen-requests';
import { PHRASE_EDITORS } from '@shared/phrases';

declare module 'vue-router' {
  interface RouteMeta {
    roles?: Role[];
    titleKey?: string;
    /** Named in the pages' menus (the headers), for the roles above, by this i18n key. */
    navKey?: string;
    /** A role that knows the page by another name: its own key (本单位统计 for a township's statistics). */
    navKeyByRole?: Partial<Record<Role, string>>;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => ({ path: useAuthStore().isLoggedIn ? useAuthStore().homeRoute : '/login' }) },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { titleKey: 'login.heading' },
  },
  {
    path: '/screen',
    name: 'screen',
    // The map and chart chunks (MapLibre, ECharts: most of the screen's JS) are fetched alongside
    // the view's own small chunk instead of after it has loaded and mounted, and the screen's first
    // requests are sent meanwhile (the guard below has checked the session by now).
    component: () => {
      // The view's own chunk first: a browser opens six connections to a server, and asked for
      // last it waited behind MapLibre, ECharts and the API calls (~1 s under the bench's load).
      const view = import('@/views/BigScreenView.vue');
      void import('@/components/map/MapView.vue');
      void import('@/components/charts/BaseChart.vue');
      prefetchScreen();
      return view;
    },
    meta: { roles: ['admin', 'commander', 'leader'], titleKey: 'bigScreen.title', navKey: 'nav.bigScreen' },
  },
  {
    path: '/desk',
    name: 'desk',
    component: () => import('@/views/TownshipDeskView.vue'),
    meta: {
      roles: ['township', 'department', 'admin', 'commander'],
      titleKey: 'desk.title',
      navKey: 'nav.desk',
      navKeyByRole: { department: 'nav.deskDepartment' },
    },
  },
  {
    path: '/leader',
    name: 'leader',
    component: () => import('@/views/LeaderView.vue'),
    // A township or department reads its own figures here (本单位统计): the unit fixed to its own, its
    // cases only, and for a township the county's published ranking with its own row marked.
    meta: {
      roles: ['leader', 'commander', 'admin', 'township', 'department'],
      titleKey: 'leader.title',
      navKey: 'nav.leader',
      navKeyByRole: { township: 'nav.ownStats', department: 'nav.ownStats' },
    },
  },
  {
    path: '/phrases',
    name: 'phrases',
    component: () => import('@/views/PhrasesView.vue'),
    meta: { roles: [...PHRASE_EDITORS], titleKey: 'phrases.title', navKey: 'nav.phrases' },
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

export interface NavLink {
  path: string;
  name: string;
  key: string;
}

/** The pages a role may open, in the order above: the headers' menus (one list for every page). */
export function navLinks(role: Role | undefined): NavLink[] {
  if (!role) return [];
  return routes.flatMap((r) =>
    r.meta?.navKey && r.meta.roles?.includes(role)
      ? [{ path: r.path, name: String(r.name), key: r.meta.navKeyByRole?.[role] ?? r.meta.navKey }]
      : [],
  );
}

export const router = createRouter({ history: createWebHistory(), routes });
// A page of the build before an upgrade, asked for from the menu: the reload goes there.
router.onError(missingPartOf);

router.beforeEach((to) => {
  forgetMissingPart();
  const auth = useAuthStore();
  if (!to.meta.roles) return true;
  if (!auth.isLoggedIn) return { path: '/login', query: { next: to.fullPath } };
  if (!to.meta.roles.includes(auth.user!.role)) return { path: auth.homeRoute };
  return true;
});
