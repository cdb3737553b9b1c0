// For the client's unit tests: a complete CaseItem with only what a test names changed, and the
// UI's translator in one language.
import { createI18n } from 'vue-i18n';
import type { CaseItem } from '../../../client/src/lib/case-model';
import type { Translate } from '../../../client/src/lib/translate';
import zhCN from '../../../client/src/i18n/zh-CN';
import en from '../../../client/src/i18n/en';

/** The UI's translator in one language, as the components' `t`. */
export function translator(locale: 'zh-CN' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zhCN, en } });
  return (key, values) => i18n.global.t(key, values ?? {});
}

export function makeCase(over: Partial<CaseItem> = {}): CaseItem {
  return {
    id: 'C1',
    no: '20260101-0001',
    version: 1,
    status: 'reported',
    matterCode: 'CG-001',
    matterName: '违法倾倒建筑垃圾',
    domain: '市容环境',
    legalBasis: '',
    description: '',
    source: 'grid_worker',
    photos: [],
    lng: 112.92,
    lat: 35.79,
    location: {
      township: { code: '140581002', name: '东城街道' },
      first: { code: '140581002001', name: '东关社区' },
      second: { code: '14058100200101', name: '东关1网格' },
      micro: { code: '1405810020010101', name: '东关1-1' },
      dedicated: [],
      nearBoundary: false,
    },
    route: {
      assignee: { kind: 'township', code: '140581002', name: '东城街道' },
      cooperating: [],
      reason: '事项已赋权东城街道',
    },
    assignee: null,
    deadlines: { acknowledge: null, arrive: null, finish: null, rectify: null },
    overdue: false,
    missed: null,
    escalated: false,
    escalations: 0,
    escalatedAt: null,
    extensionRequest: null,
    extensions: 0,
    duplicateOf: null,
    mergedInto: null,
    createdAt: 0,
    updatedAt: 0,
    statusSince: null,
    dispatchedAt: null,
    acknowledgedAt: null,
    arrivedAt: null,
    resolvedAt: null,
    closedAt: null,
    timeline: null,
    mergedFrom: null,
    lastReturn: null,
    ...over,
  };
}
