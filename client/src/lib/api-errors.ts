// What a failed action means, in plain words for the operator (409 / 422 / 403 and the rest), in
// the page's language (`t`, vue-i18n's; errors.action.* in i18n/).
// Relative, not '@/…': the unit tests load lib/ without the client's aliases.
import { ApiError } from '../api/http';
import type { Translate } from './translate';

/**
 * The server's words in the page's language: its messages carry both, `中文 (English)` (用户名或密码错误
 * (wrong username or password)); one part is shown, not the two side by side. A message without an
 * English part is kept whole.
 */
export function inLanguage(message: string, lang: 'zh' | 'en'): string {
  const both = /^(.*[\u4e00-\u9fff].*?)\s*\(([^()\u4e00-\u9fff]+)\)\s*$/.exec(message);
  if (!both) return message;
  return lang === 'en' ? both[2]! : both[1]!;
}

/**
 * A server message in the page's language, as its catalogue names it (errors.lang); the client's
 * own `network` (no answer at all) in the page's words for it.
 */
export function serverWords(message: string, t: Translate): string {
  if (message === 'network') return t('errors.network');
  return inLanguage(message, t('errors.lang') === 'en' ? 'en' : 'zh');
}

export function actionErrorText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) return t('errors.action.failed');
  const detail =
    err.message && !/^HTTP \d+$/.test(err.message) && err.message !== 'network'
      ? serverWords(err.message, t)
      : '';
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
