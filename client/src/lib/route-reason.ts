// Why the case was routed where it was, in the screen's language. The server words it in Chinese
// (server/cases/routing.ts) and that sentence is the case's record: the Chinese screen shows it as
// stored (a possible duplicate named by its number where the screen knows it, as the warning above
// it does; the record names its id). Another language says the same from the facts the case carries: who was suggested (a
// township alone when the matter is delegated to it; else the owning department, the township
// assisting), the dedicated grids it lies in, a township boundary near (the township beyond it and
// how far, where the case records them), a possible duplicate.
import { DUPLICATE_RADIUS_M } from '@shared/limits';
import type { CaseItem } from './case-model';
import type { Translate } from './translate';

export function routeReason(
  c: Pick<CaseItem, 'route' | 'location' | 'duplicateOf'>,
  locale: string,
  t: Translate,
  /** A case's number (案件编号) from its id, where the screen knows it: the record names the id. */
  numberOf: (id: string) => string = (id) => id,
): string | null {
  const route = c.route;
  if (!route) return null;
  if (locale === 'zh-CN')
    return c.duplicateOf ? route.reason.split(c.duplicateOf).join(numberOf(c.duplicateOf)) : route.reason;
  const township = c.location?.township.name ?? route.cooperating[0]?.name ?? '';
  const parts = [
    route.assignee.kind === 'township' && !route.cooperating.length
      ? t('screen.routeReason.delegated', { township: route.assignee.name })
      : t('screen.routeReason.department', { department: route.assignee.name, township }),
  ];
  const dedicated = c.location?.dedicated ?? [];
  if (dedicated.length)
    parts.push(t('screen.routeReason.dedicated', { names: dedicated.map((d) => `“${d.name}”`).join(', ') }));
  const neighbour = c.location?.neighbour;
  if (c.location?.nearBoundary)
    parts.push(
      neighbour
        ? t('screen.routeReason.nearNamed', { township: neighbour.township.name, m: neighbour.meters })
        : t('screen.routeReason.nearBoundary'),
    );
  if (c.duplicateOf) parts.push(t('screen.routeReason.duplicate', { m: DUPLICATE_RADIUS_M }));
  return parts.join('; ');
}
