import type zhCN from './zh-CN';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const en: Shape<typeof zhCN> = {
  app: {
    title: 'Gaoping Comprehensive Enforcement Command & Dispatch',
    short: 'Enforcement dispatch',
    county: 'Gaoping',
    logout: 'Sign out',
    language: '中文',
  },
  login: {
    heading: 'Sign in',
    subtitle: 'One team enforces · one grid governs · one platform dispatches',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    failed: 'Sign-in failed: {reason}',
    required: 'Enter a username and a password',
    demoHint: 'Demo accounts: commander / leader / 140581002 (Dongcheng), password demo',
  },
  nav: {
    bigScreen: 'Big screen',
    desk: 'Township desk',
    leader: 'Leader statistics',
  },
  bigScreen: { title: 'Command big screen' },
  desk: { title: 'Township desk' },
  leader: { title: 'Leader statistics' },
  connection: {
    live: 'Live',
    reconnecting: 'Reconnecting',
    resyncing: 'Resyncing',
    offline: 'Offline',
  },
  errors: {
    network: 'Cannot reach the server; check the network and try again',
    forbidden: 'You are not allowed to do this',
  },
};
export default en;
