// A matter domain (领域) as the page's language names it: the catalogue names the 13 domains in
// Chinese (shared/matters.ts), the messages hold their English names (leader.domainNames).
import { useI18n } from 'vue-i18n';

/** In a component's setup: `domainName('市容环境')` reads "City appearance" in English. */
export function useDomainName(): (domain: string) => string {
  const { t, te } = useI18n();
  return (d) => (d && te(`leader.domainNames.${d}`) ? t(`leader.domainNames.${d}`) : d);
}
