// Cases as map features, and the smallest source diff that brings the map up to date after a
// batch of changes (MapLibre `updateData`, never a full `setData` per event).
import type { Feature, Point } from 'geojson';
import { isOpen, type CaseItem } from './case-model';

export interface CaseFeatureProps {
  id: string;
  status: string;
  overdue: boolean;
  escalated: boolean;
  matter: string;
}

export function caseFeature(c: CaseItem): Feature<Point, CaseFeatureProps> {
  return {
    type: 'Feature',
    id: c.id,
    geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
    properties: {
      id: c.id,
      status: c.status,
      overdue: c.overdue,
      escalated: c.escalated,
      matter: c.matterName,
    },
  };
}

/** Whether the map shows the case: open ones (closed and rejected leave the map). */
export const onMap = (c: CaseItem | undefined): c is CaseItem => !!c && isOpen(c.status);

export interface CaseDiff {
  add: Array<Feature<Point, CaseFeatureProps>>;
  remove: string[];
}

/**
 * The diff for `changed` ids given what the source holds (`shown`, updated in place).
 * A changed case still on the map is re-added under its id, which replaces it.
 */
export function diffCases(
  changed: Iterable<string>,
  byId: Map<string, CaseItem>,
  shown: Set<string>,
): CaseDiff {
  const diff: CaseDiff = { add: [], remove: [] };
  for (const id of changed) {
    const c = byId.get(id);
    if (onMap(c)) {
      diff.add.push(caseFeature(c));
      shown.add(id);
    } else if (shown.has(id)) {
      diff.remove.push(id);
      shown.delete(id);
    }
  }
  return diff;
}

/**
 * A GeoJSON source that holds the open cases, fed by diffs: `note` the ids that changed, `flush`
 * sends one `updateData` with what they add and remove (nothing when they changed nothing there).
 */
export class CaseSourceFeed {
  /** The ids the source holds. */
  readonly shown = new Set<string>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly byId: Map<string, CaseItem>,
    /** The source now (undefined while the map has none, e.g. after its style was replaced). */
    private readonly source: () => { updateData(diff: CaseDiff): unknown } | undefined,
  ) {}

  note(ids: Iterable<string>): void {
    for (const id of ids) this.pending.add(id);
  }

  /** Brings the source up to date with every case held (those it shows included), now. */
  catchUp(): void {
    this.note(this.byId.keys());
    this.note(this.shown);
    this.flush();
  }

  /** Sends the diff; while there is no source, what was noted waits for the next flush. */
  flush(): void {
    const source = this.source();
    if (!source) return;
    const diff = diffCases(this.pending, this.byId, this.shown);
    this.pending.clear();
    if (diff.add.length || diff.remove.length) source.updateData(diff);
  }
}
