// What a failed action means, in plain words for the operator (409 / 422 / 403 and the rest), in
// the page's language (`t`, vue-i18n's; errors.action.* in i18n/).
// Relative, not '@/…': the unit tests load lib/ without the client's aliases.
import { ApiError } from '../api/http';
import type { Translate } from './translate';

export function actionErrorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('errors.action.failed');
  const detail =
    err.message && !/^HTTP \d+$/.test(err.message) && err.message !== 'network' ? err.message : '';
  switch (err.status) {
    case 0:
      return t('errors.network');
    case 403:
      return t('errors.action.forbidden');
    case 409:
      return t('errors.action.conflict');
    case 422:
      return detail ? t('errors.action.invalidStateWhy', { detail }) : t('errors.action.invalidState');
    case 400:
      return detail ? t('errors.action.badInputWhy', { detail }) : t('errors.action.badInput');
    case 401:
      return t('errors.action.expired');
    case 404:
      return t('errors.action.notFound');
    default:
      return t('errors.action.server', { status: err.status });
  }
}
