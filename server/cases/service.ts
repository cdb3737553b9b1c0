// The case engine: intake (locate → route → store case and first events in one transaction), the
// workflow actions, and reads filtered by the caller's scope. Events reach the bus only after commit.
import crypto from 'node:crypto';
import { sql, type Kysely, type SelectQueryBuilder, type Updateable } from 'kysely';
import {
  DUPLICATE_RADIUS_M,
  PARTY_KINDS,
  SYSTEM_ACTOR,
  partyKey,
  type CaseActionInput,
  type CaseEvent,
  type CaseListPage,
  type CaseListQuery,
  type CaseView,
  type Clue,
  type DeadlineKind,
  type DeadlineView,
  extendedDue,
  isRunning,
  type ExtensionAsked,
  finishDueAfterRectification,
  type EventActor,
  type PartyInput,
  type PartyRef,
  type Reporter,
  type ClueSource,
  type ReturnsPage,
  type ReturnsQuery,
} from '../../shared/cases';
import type { SessionUser } from '../../shared/auth';
import type { CaseEventMessage, EventsPage } from '../../shared/realtime';
import type { Matter } from '../../shared/matters';
import { HOUR_MS, DAY_MS, RECTIFY_DEADLINE_MAX_DAYS } from '../../shared/time';
import {
  EXTENSION_STATES,
  FINAL_STATES,
  STATE_LABELS,
  isFinal,
  nextState,
  roleMay,
  transitionOf,
  type CaseState,
} from '../../shared/workflow';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { GeoIndex } from '../geo/types';
import { HttpError, clip, conflict, forbidden, notFound, unprocessable, badRequest } from '../http/errors';
import { afterThisTurn, type DomainBus } from '../events/bus';
import type { CasesTable, Database } from '../store/schema';
import type { Store } from '../store/db';
import type { MatterCatalogue } from './catalogue';
import { IntakeWriter } from './intake-writer';
import { listReturns } from './returns';
import { numberDayOf } from './case-numbers';
import { caseTextFilter, searchNeedle, searchTextOf } from './search-text';
import { trigramIndexHelps } from '../store/search-index';
import { openCaseIndexOf, type OpenCaseIndex } from './open-cases';
import type { ClaimedPhotos, CluePhotoPort } from '../uploads/clue-photos';
import { ourCasePhotoOf, type PhotoStore } from '../uploads/photo-store';
import { appendEvents, readEventHead, type NewEvent, type Trx } from './audit';
import { boxAround, cooperatingFor, distanceMeters, routeClue, type PartyDirectory } from './routing';
import {
  assigneeOf,
  caseView,
  eventView,
  isAssignee,
  partiesOf,
  addReturnHistory,
  REDISPATCH_EVENTS,
  rowCaseNumber,
  rowParties,
  num,
  scopeSees,
  storedExtension,
  type CaseRow,
  type DeadlineRow,
  type EventRow,
} from './view';

export interface CaseServiceDeps {
  store: Store;
  clock: Clock;
  geo: GeoIndex;
  catalogue: MatterCatalogue;
  directory: PartyDirectory;
  bus: DomainBus;
  /** AUTO_DISPATCH: unambiguous cases go straight to the routed assignee. */
  autoDispatch: boolean;
  /** Where trouble that costs no request its answer is told (the search index falling behind). */
  logger?: Pick<Logger, 'warn'>;
  /** Photos uploaded before their clue (`/api/clue-photos/…`), taken into the new case at intake. */
  cluePhotos?: CluePhotoPort;
  /** The cases' photos: a report citing one of its case's photos must name one that is there. */
  casePhotos?: Pick<PhotoStore, 'open'>;
}

/** How far from the case's spot an arrival may be reported (a fix's error, a large site). */
const ARRIVE_MAX_METERS = 5_000;

const ACTION_LABEL = (a: string) => {
  try {
    return transitionOf(a as never).label;
  } catch {
    return a;
  }
};

export const actorOf = (u: SessionUser): EventActor => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
});

export class CaseService {
  private readonly writer: IntakeWriter;
  /** Clues being stored by this process (between routing and commit). */
  private readonly inFlight = new Set<{ id: string; matter: string; lng: number; lat: number }>();

  /** On SQLite: the open cases in memory, for the duplicate check (open-cases.ts). */
  private readonly openCases: OpenCaseIndex | undefined;

  constructor(private readonly deps: CaseServiceDeps) {
    this.writer = new IntakeWriter(deps.store, (err) =>
      deps.logger?.warn(
        { err },
        'a commit that also indexed new cases for search failed, and succeeded without the indexing: the clues are stored, and found through the cases waiting for the index until it is tried again 64 cases later',
      ),
    );
    this.openCases = openCaseIndexOf(deps.store);
  }

  get catalogue(): MatterCatalogue {
    return this.deps.catalogue;
  }

  // ---------------------------------------------------------------- intake

  /** Store a clue as a case. `created` is false when `clientId` names one this caller already made. */
  async intake(user: SessionUser, clue: Clue): Promise<{ case: CaseView; created: boolean }> {
    const { clock, geo, catalogue } = this.deps;
    // A retried clientId is found by the unique index when the insert fails, not by a lookup before
    // every insert: retries are rare, and intake is the hot path.
    // A refusal is for a new clue: a retry of one already stored gets its case, whatever the body
    // says now (as when the insert meets the index). Looked up only on the way to a refusal.
    const unlessRetried = async (refusal: unknown): Promise<{ case: CaseView; created: boolean }> => {
      const existing = clue.clientId ? await this.retried(user, clue.clientId) : undefined;
      if (existing) return { case: existing, created: false };
      throw refusal;
    };
    const matter = catalogue.byCode.get(clue.matterCode);
    if (!matter)
      return unlessRetried(
        unprocessable(`body.matterCode: 未知事项 ${clue.matterCode} (unknown matter)`, 'body.matterCode'),
      );
    const location = geo.locate(clue.lng, clue.lat);
    if (!location)
      return unlessRetried(
        unprocessable(
          `body.lng: 坐标 (${clue.lng}, ${clue.lat}) 不在${geo.county.name}范围内 (the point is outside the county)`,
          'body.lng',
        ),
      );
    if (user.scope.kind === 'township' && user.scope.code !== location.township.code)
      return unlessRetried(
        forbidden(
          `只能上报本乡镇范围内的线索：该点位于${location.township.name} (a township platform reports clues in its own township only)`,
        ),
      );

    // A new clue has no case photos yet: one named is another case's, and its record would cite a
    // photo its uploader may delete from under it (as 办结's evidence may not: citeOwnPhotosOnly).
    const cited = (clue.photos ?? []).findIndex((url) => ourCasePhotoOf(url));
    if (cited >= 0)
      return unlessRetried(
        unprocessable(
          `照片属于已有案件，线索只能附本次上传的照片 (the photo belongs to a case already reported: upload the photo with this clue)`,
          `body.photos.${cited}`,
        ),
      );

    let photos: ClaimedPhotos | null = null;
    if (clue.photos?.length && this.deps.cluePhotos)
      try {
        photos = await this.deps.cluePhotos.claim(user, clue.photos);
      } catch (err) {
        // A retry of a clue already stored: its case took the photos (they are no longer kept aside).
        return unlessRetried(err);
      }

    const storedDuplicate = await this.findNearbyOpen(matter.code, clue.lng, clue.lat);
    // Clues of this process not yet committed count too (they may share one group commit); checked
    // after the await, so of two clues racing here the second sees the first.
    const duplicateOf = storedDuplicate ?? this.nearbyInFlight(matter.code, clue.lng, clue.lat);
    const route = routeClue({ matter, location, duplicateOf }, this.deps.directory);
    const now = clock.now();
    const id = timeOrderedId(now);
    const flight = { id, matter: matter.code, lng: clue.lng, lat: clue.lat };
    this.inFlight.add(flight);
    const dispatchNow = this.deps.autoDispatch && !route.needsReview;
    const assignee = dispatchNow ? route.assignee : null;
    const cooperating = dispatchNow ? route.cooperating : [];

    const row: CaseRow = {
      id,
      // The day's next number is taken in the commit (intake-writer.ts, case-numbers.ts).
      no_day: numberDayOf(now),
      no_seq: 0,
      client_id: clue.clientId ?? null,
      created_by: user.id,
      created_at: now,
      updated_at: now,
      version: dispatchNow ? 2 : 1,
      status: dispatchNow ? 'dispatched' : 'reported',
      matter_code: matter.code,
      domain: matter.domain,
      source: clue.source,
      description: clue.description,
      search_text: searchTextOf({
        description: clue.description,
        domain: matter.domain,
        location,
        reporter: clue.reporter,
      }),
      reporter: clue.reporter ? JSON.stringify(clue.reporter) : null,
      photos: JSON.stringify(photos ? photos.urls(id) : (clue.photos ?? [])),
      lng: clue.lng,
      lat: clue.lat,
      township_code: location.township.code,
      location: JSON.stringify(location),
      route: JSON.stringify(route),
      assignee_kind: assignee?.kind ?? null,
      assignee_code: assignee?.code ?? null,
      assignee_name: assignee?.name ?? null,
      cooperating: JSON.stringify(cooperating),
      duplicate_of: duplicateOf,
      merged_into: null,
      result: null,
      escalations: 0,
      escalated_at: null,
      status_since: now,
      extension_request: null,
      extensions: 0,
      overdue: 0,
      dispatched_at: dispatchNow ? now : null,
      first_dispatched_at: dispatchNow ? now : null,
      acknowledged_at: null,
      arrived_at: null,
      resolved_at: null,
      closed_at: null,
      ack_ms: null,
      arrive_ms: null,
      closed_on_time: null,
      rectify_orders: 0,
      rectified: 0,
      reworks: 0,
      returns: 0,
      overdue_count: 0,
      turnouts: 0,
    };
    const deadlines: DeadlineRow[] = dispatchNow ? workDeadlines(id, matter, now) : [];
    const events: NewEvent[] = [
      {
        caseId: id,
        type: 'created',
        actor: actorOf(user),
        at: now,
        payload: {
          matterCode: matter.code,
          source: clue.source,
          township: location.township,
          route,
          ...(duplicateOf ? { duplicateOf } : {}),
        },
      },
    ];
    if (dispatchNow)
      events.push({
        caseId: id,
        type: 'dispatch',
        actor: { ...SYSTEM_ACTOR, displayName: '系统自动派遣' },
        at: now,
        payload: {
          auto: true,
          assignee: route.assignee,
          cooperating: route.cooperating,
          reason: route.reason,
        },
      });

    let stored: CaseEvent[];
    let writing = false;
    try {
      await photos?.attach(id);
      writing = true;
      stored = await this.writer.write({
        row,
        parties: partiesOf(row.township_code, assignee, cooperating),
        deadlines,
        events,
      });
      this.openCases?.add(id, matter.code, clue.lng, clue.lat);
    } catch (err) {
      // Not stored (the photos could not all be taken, or the unique index refused the case): its
      // folder gives them back; they stay kept aside for a retry. A write that failed may have been
      // committed all the same (a writer thread that died after its commit, its batch refused by the
      // unique index when tried again, below): then the photos stay where the case names them.
      if (
        photos &&
        (!writing ||
          (isUniqueViolation(err) &&
            !(await this.storedIds([id]).then(
              (s) => s.has(id),
              () => true,
            ))))
      )
        await photos
          .discard(id)
          .catch((e: unknown) =>
            this.deps.logger?.warn(
              { err: e, caseId: id },
              'could not remove the photos of a clue that was not stored',
            ),
          );
      // A concurrent retry of the same clue committed first (the unique index refused this one, or
      // that one had already taken the photos): answer with its case.
      if (clue.clientId && (isUniqueViolation(err) || (photos && err instanceof HttpError))) {
        const existing = await this.findByClientId(user.id, clue.clientId);
        if (existing) {
          // It may be the one a dying writer thread committed without answering (intake-writer.ts).
          if (!isFinal(existing.status))
            this.openCases?.add(existing.id, existing.matterCode, existing.lng, existing.lat);
          // This very case, stored after all: its photos are in its folder, the kept-aside ones go.
          if (existing.id === id) await photos?.release(id).catch(() => undefined);
          return { case: existing, created: false };
        }
      }
      // The write may have been committed all the same (the thread died after its commit).
      this.openCases?.invalidate();
      throw err;
    } finally {
      this.inFlight.delete(flight);
    }
    await photos
      ?.release(id)
      .catch((err: unknown) =>
        this.deps.logger?.warn(
          { err, caseId: id },
          'could not remove kept-aside clue photos; pruned within a day',
        ),
      );
    const view = caseView(row, deadlines, this.deps.catalogue);
    await this.publish(stored, view);
    return { case: view, created: true };
  }

  /** Which of the case ids are stored (500 to a query). */
  async storedIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.deps.store.db
        .selectFrom('cases')
        .select('id')
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /**
   * The case `user` already reported under `clientId`, if any: a retry gets it whatever its body says
   * now (a clientId is the caller's own: another account's same words are a new clue).
   */
  retried(user: SessionUser, clientId: string): Promise<CaseView | undefined> {
    return this.findByClientId(user.id, clientId);
  }

  private async findByClientId(userId: string, clientId: string): Promise<CaseView | undefined> {
    const row = await this.deps.store.db
      .selectFrom('cases')
      .selectAll()
      .where('created_by', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (!row) return undefined;
    return caseView(row, await this.deadlinesOf(this.deps.store.db, row.id), this.deps.catalogue);
  }

  /** A clue of this process not yet committed, of the same matter within 50 m. */
  private nearbyInFlight(matterCode: string, lng: number, lat: number): string | null {
    for (const f of this.inFlight)
      if (f.matter === matterCode && distanceMeters(lng, lat, f.lng, f.lat) <= DUPLICATE_RADIUS_M)
        return f.id;
    return null;
  }

  /**
   * The nearest open case of the same matter within 50 m, if any; of cases equally near (reported at
   * one spot), the first reported (ids are time-ordered), on either store.
   */
  private async findNearbyOpen(matterCode: string, lng: number, lat: number): Promise<string | null> {
    if (this.openCases) return this.openCases.nearest(matterCode, lng, lat, DUPLICATE_RADIUS_M);
    const box = boxAround(lng, lat, DUPLICATE_RADIUS_M);
    // The square's nearest first (degrees of longitude scaled to latitude's), so the 50 read hold
    // the nearest whatever else lies in the square: read in the index's order (south first), a
    // cluster of 50 open cases in a corner, out of reach, hid one in reach (SQLite's index in
    // memory looks at every case in the square).
    const lngScale = Math.cos((lat * Math.PI) / 180) ** 2;
    const near = await this.deps.store.db
      .selectFrom('cases')
      .select(['id', 'lng', 'lat'])
      .where('matter_code', '=', matterCode)
      .where('lat', '>=', box.minLat)
      .where('lat', '<=', box.maxLat)
      .where('lng', '>=', box.minLng)
      .where('lng', '<=', box.maxLng)
      .where('status', 'not in', FINAL_STATES as CaseState[])
      .orderBy(sql`(lat - ${lat}) * (lat - ${lat}) + (lng - ${lng}) * (lng - ${lng}) * ${lngScale}`)
      .orderBy('id')
      .limit(50)
      .execute();
    let best: { id: string; d: number } | null = null;
    for (const c of near) {
      const d = distanceMeters(lng, lat, Number(c.lng), Number(c.lat));
      if (d <= DUPLICATE_RADIUS_M && (!best || d < best.d || (d === best.d && c.id < best.id)))
        best = { id: c.id, d };
    }
    return best?.id ?? null;
  }

  // ---------------------------------------------------------------- actions

  /**
   * Apply one workflow action. Checks, in this order: the case exists and the caller may see it
   * (404), the role may ever do this (403), the version is current (409), the state allows it (422),
   * the caller is the assignee (403), then the action's own rules (422).
   */
  async act(user: SessionUser, caseId: string, input: CaseActionInput): Promise<CaseView> {
    const { store, clock, catalogue } = this.deps;
    const result = await store.db.transaction().execute(async (trx) => {
      // PostgreSQL: the row locked as it is read, so two actions on one version are taken in turn
      // and the second reads the first's version (409 naming the current one, as on SQLite, whose
      // write transactions already run one after another).
      const row = await trx
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', caseId)
        .$if(store.engine === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (!row || !scopeSees(user.scope, rowParties(row)))
        throw notFound(`案件 ${caseId} 不存在 (no such case)`);
      if (!roleMay(user.role, input.action))
        throw forbidden(
          `角色 ${user.role} 无权执行「${ACTION_LABEL(input.action)}」 (role ${user.role} may not ${input.action})`,
        );
      if (Number(row.version) !== input.version)
        throw conflict(
          `案件已被他人更新（当前版本 ${row.version}，提交版本 ${input.version}），请刷新后重试 (stale version)`,
          { currentVersion: Number(row.version) },
        );
      const state = row.status as CaseState;
      const to = nextState(state, input.action);
      if (!to)
        throw unprocessable(
          `案件当前状态「${STATE_LABELS[state]}」不允许「${ACTION_LABEL(input.action)}」 (action ${input.action} is not allowed in state ${state})`,
          'body.action',
        );
      if (
        transitionOf(input.action).actor === 'assignee' &&
        user.role !== 'admin' &&
        !isAssignee(user.scope, row)
      )
        throw forbidden(`该任务不由您的单位承办 (only the assignee may ${input.action} this case)`);

      const now = clock.now();
      const matter = catalogue.byCode.get(row.matter_code)!;
      const plan = await this.plan(trx, user, row, input, matter, now);
      const patch: Updateable<CasesTable> = {
        ...plan.patch,
        status: to,
        // A transition (arrive and escalate are not: the state stays) starts the state's clock.
        ...(transitionOf(input.action).to !== null ? { status_since: now } : {}),
        // A 延期申请 still waiting lapses when the case leaves the states it is decided in (办结, 改派).
        ...(row.extension_request !== null && !EXTENSION_STATES.includes(to)
          ? { extension_request: null }
          : {}),
        version: row.version + 1,
        updated_at: now,
      };
      const updated = await trx
        .updateTable('cases')
        .set(patch)
        .where('id', '=', caseId)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw conflict('案件已被他人更新，请刷新后重试 (stale version)', { currentVersion: null });
      const next = { ...row, ...patch } as CaseRow;

      await plan.deadlines?.(trx);
      const deadlines = await this.deadlinesOf(trx, caseId);
      const overdue = deadlines.some((d) => d.overdue_at !== null && d.met_at === null) ? 1 : 0;
      if (overdue !== Number(next.overdue)) {
        await trx.updateTable('cases').set({ overdue }).where('id', '=', caseId).execute();
        next.overdue = overdue;
      }
      const before = rowParties(row);
      const after = rowParties(next);
      if (before.join() !== after.join()) await writeParties(trx, caseId, after);

      const { action: _a, version: _v, ...fields } = input;
      // The unit that had the task as the action was taken (holder): the one that acted, for its own
      // actions (签收, 派出队伍, 办结 …), the one chased or answered for the centre's (督办, 同意延期 …).
      // The case event carries the case as it is by the time a reader replays it, reassigned since
      // perhaps: only this says who it was then (the big screen's feed names it).
      const holder = assigneeOf(row);
      const newEvents: NewEvent[] = [
        {
          caseId,
          type: input.action,
          actor: actorOf(user),
          at: now,
          payload: { ...fields, ...plan.payload, from: state, to, ...(holder ? { holder } : {}) },
        },
      ];
      // Merged (合并): the case the report joins records it in its own timeline, and whoever works
      // on it hears of it live. That case's row is only read, never locked or versioned: the report
      // adds to it (mergedFrom) without changing it, and two merges never wait on each other.
      let target: { row: CaseRow; deadlines: DeadlineRow[] } | undefined;
      if (input.action === 'merge') {
        const row = await trx
          .selectFrom('cases')
          .selectAll()
          .where('id', '=', input.into)
          .executeTakeFirstOrThrow();
        target = { row, deadlines: await this.deadlinesOf(trx, row.id) };
        // Reports merged into this case before go with it: they stay with the case the work is
        // done on (merged B into C, then C into D had left B's words on C, which nobody works).
        const carried = await trx
          .selectFrom('cases')
          .select('id')
          .where('merged_into', '=', caseId)
          .execute();
        if (carried.length)
          await trx
            .updateTable('cases')
            .set({ merged_into: row.id })
            .where('merged_into', '=', caseId)
            .execute();
        newEvents.push({
          caseId: row.id,
          type: 'merged_in',
          actor: actorOf(user),
          at: now,
          payload: {
            ...mergedInPayload(next, input.reason),
            ...(carried.length ? { carried: carried.map((c) => c.id) } : {}),
          },
        });
      }
      const events = await appendEvents(trx, newEvents);
      const view = caseView(next, deadlines, catalogue);
      const targetView = target && caseView(target.row, target.deadlines, catalogue);
      // The merged_in event carries the target's case whole, and the desk replaces its copy with it:
      // its 退回未同意，重新派遣 goes with it as on any other read.
      await this.addReturnHistory(
        trx,
        target ? [next, target.row] : [next],
        targetView ? [view, targetView] : [view],
      );
      return { events, view, target: targetView };
    });
    if (isFinal(result.view.status)) this.openCases?.remove(caseId);
    const [own, ...onTarget] = result.events;
    await Promise.all([
      this.publish([own!], result.view),
      result.target ? this.publish(onTarget, result.target) : undefined,
    ]);
    return result.view;
  }

  /**
   * A report's photos (整改完成's, 办结's evidence) may be any URL, but a case photo among them must be
   * this case's own, and one it holds: only the case's own record is read when its uploader asks to
   * delete a photo (server/uploads/routes.ts), so another case's photo cited here could be deleted
   * from under the record, and the cited photo is read with that other case's scope; a photo never
   * uploaded (or deleted) would stand in the record as evidence nobody can open. A case photo is
   * recognised as the delete check reads it (full URL, query, any letter case), with the ids' shapes
   * this server gives (ourCasePhotoOf: another system's link of that form is not one); any other URL
   * is kept as sent. 422 naming the first such URL (`body.evidence.0`).
   */
  private async citeOwnPhotosOnly(
    caseId: string,
    urls: string[] | undefined,
    field: 'evidence' | 'photos',
  ): Promise<void> {
    for (const [i, url] of (urls ?? []).entries()) {
      const photo = ourCasePhotoOf(url);
      if (!photo) continue;
      if (photo.caseId !== caseId)
        throw unprocessable(
          `照片属于另一案件，只能引用本案件的照片 (the photo belongs to another case, ${clip(photo.caseId)}: cite this case's own photos, uploaded to it)`,
          `body.${field}.${i}`,
        );
      if (this.deps.casePhotos && !(await this.deps.casePhotos.open(caseId, photo.photoId)))
        throw unprocessable(
          `本案件没有这张照片，请先上传 (this case holds no photo ${clip(photo.photoId)}: upload it first, then cite the URL the upload answered)`,
          `body.${field}.${i}`,
        );
    }
  }

  /** What an action changes: case fields, deadlines, and facts for its event. Throws 422 on bad input. */
  private async plan(
    trx: Trx,
    user: SessionUser,
    row: CaseRow,
    input: CaseActionInput,
    matter: Matter,
    now: number,
  ): Promise<{
    patch: Updateable<CasesTable>;
    payload?: Record<string, unknown>;
    deadlines?: (trx: Trx) => Promise<void>;
  }> {
    const id = row.id;
    const stopAll = (t: Trx) => stopDeadlines(t, id, now);
    switch (input.action) {
      case 'dispatch':
      case 'reassign': {
        const route = JSON.parse(row.route) as { assignee: PartyRef; cooperating: PartyRef[] };
        let assignee: PartyRef;
        let cooperating: PartyRef[];
        if (input.assignee) {
          assignee = this.resolveParty(input.assignee);
          const location = JSON.parse(row.location);
          cooperating =
            partyKey(assignee) === partyKey(route.assignee)
              ? route.cooperating
              : cooperatingFor(assignee, location);
        } else {
          assignee = route.assignee;
          cooperating = route.cooperating;
        }
        const previous = assigneeOf(row);
        if (input.action === 'reassign' && previous && partyKey(previous) === partyKey(assignee))
          throw unprocessable(
            '改派须指定不同的承办单位 (reassign needs a different assignee)',
            'body.assignee',
          );
        return {
          patch: {
            assignee_kind: assignee.kind,
            assignee_code: assignee.code,
            assignee_name: assignee.name,
            cooperating: JSON.stringify(cooperating),
            dispatched_at: now,
            first_dispatched_at: row.first_dispatched_at ?? now,
          },
          payload: { assignee, cooperating, ...(previous ? { previous } : {}) },
          deadlines: (t) => upsertDeadlines(t, workDeadlines(id, matter, now)),
        };
      }
      case 'reject':
        return { patch: {}, deadlines: stopAll };
      case 'merge': {
        if (input.into === id)
          throw unprocessable('不能合并到案件自身 (cannot merge a case into itself)', 'body.into');
        const target = await trx
          .selectFrom('cases')
          .select(['id', 'status'])
          .where('id', '=', input.into)
          .executeTakeFirst();
        if (!target) throw unprocessable(`合并目标案件 ${input.into} 不存在 (no such case)`, 'body.into');
        // A report merged into a finished case would be lost: the problem is back, a new case.
        if (target.status === 'rejected')
          throw unprocessable(`合并目标案件 ${input.into} 已不予立案 (target was rejected)`, 'body.into');
        if (target.status === 'closed')
          throw unprocessable(
            `合并目标案件 ${input.into} 已结案，请作为新案件派遣 (target is closed: dispatch this as a new case)`,
            'body.into',
          );
        return { patch: { merged_into: target.id }, deadlines: stopAll };
      }
      case 'acknowledge':
        return {
          patch: {
            acknowledged_at: row.acknowledged_at ?? now,
            ack_ms: row.ack_ms ?? (row.dispatched_at === null ? null : now - Number(row.dispatched_at)),
          },
          deadlines: (t) => meetDeadlines(t, id, ['acknowledge'], now),
        };
      case 'return':
        return {
          patch: {
            returns: row.returns + 1,
            assignee_kind: null,
            assignee_code: null,
            assignee_name: null,
            cooperating: '[]',
          },
          payload: { returnedBy: assigneeOf(row) },
          deadlines: stopAll,
        };
      case 'start': {
        // The team sent is one of the unit's own, as its desk lists them: any other id was recorded
        // in the timeline as given (another township's team, one that does not exist, ../../x).
        let teamName: string | undefined;
        if (input.teamId !== undefined) {
          const team = await trx
            .selectFrom('teams')
            .select(['name', 'kind', 'owner_code', 'retired_at'])
            .where('id', '=', input.teamId)
            .executeTakeFirst();
          if (!team) throw unprocessable(`没有队伍 ${input.teamId} (no such team)`, 'body.teamId');
          // A retired team (`npm run teams -- retire`) is no longer sent anywhere.
          if (team.retired_at !== null)
            throw unprocessable(
              `队伍 ${input.teamId} 已撤销，请选派其他队伍 (the team is retired: send another)`,
              'body.teamId',
            );
          if (team.kind !== row.assignee_kind || team.owner_code !== row.assignee_code)
            throw unprocessable(
              `队伍 ${input.teamId} 不属于承办单位 (the team is not the assignee's)`,
              'body.teamId',
            );
          teamName = team.name;
        }
        // The team's name as it was sent, for those who see the case but not the team (a township
        // cooperating on a department's case): its timeline names the team, not its id.
        return {
          patch: { turnouts: row.turnouts + input.personnel },
          ...(teamName !== undefined ? { payload: { teamName } } : {}),
        };
      }
      case 'arrive':
        // Where the team reports arriving is near the case: a fix across the world (−179, −89) was
        // recorded as the arrival.
        if (
          input.lng !== undefined &&
          input.lat !== undefined &&
          distanceMeters(input.lng, input.lat, Number(row.lng), Number(row.lat)) > ARRIVE_MAX_METERS
        )
          throw unprocessable(
            `到场位置距案件地点超过 ${ARRIVE_MAX_METERS / 1000} 公里 (the arrival is too far from the case)`,
            'body.lng',
          );
        return {
          patch: {
            arrived_at: row.arrived_at ?? now,
            arrive_ms: row.arrive_ms ?? (row.dispatched_at === null ? null : now - Number(row.dispatched_at)),
          },
          payload: { first: row.arrived_at === null },
          deadlines: (t) => meetDeadlines(t, id, ['arrive'], now),
        };
      case 'order_rectification': {
        const due = input.deadline ?? now + matter.limits.rectify * DAY_MS;
        if (due <= now)
          throw unprocessable('整改期限须晚于当前时间 (deadline must be in the future)', 'body.deadline');
        if (due > now + RECTIFY_DEADLINE_MAX_DAYS * DAY_MS)
          throw unprocessable(
            `整改期限至多为 ${RECTIFY_DEADLINE_MAX_DAYS} 天内 (deadline at most ${RECTIFY_DEADLINE_MAX_DAYS} days ahead)`,
            'body.deadline',
          );
        // 整改期间不计入办结时限: the finish clock's time left moves past the rectification's
        // deadline (shared/cases.ts finishDueAfterRectification). Only a clock still running and
        // not yet missed moves; one already missed stays missed.
        const finish = await readFinish(trx, id);
        const finishWas = isRunning(finish) ? finish.dueAt : null;
        const finishDue = finishWas === null ? null : finishDueAfterRectification(finishWas, due, now);
        const moved = finishDue !== null && finishDue !== finishWas;
        return {
          patch: { rectify_orders: row.rectify_orders + 1 },
          payload: { deadline: due, ...(moved ? { finishDue, finishDueWas: finishWas } : {}) },
          deadlines: async (t) => {
            await upsertDeadlines(t, [
              { case_id: id, kind: 'rectify', due_at: due, met_at: null, overdue_at: null },
            ]);
            if (moved) await moveFinish(t, id, finishDue);
          },
        };
      }
      case 'report_rectified':
        await this.citeOwnPhotosOnly(id, input.photos, 'photos');
        return {
          patch: { rectified: row.rectified + 1 },
          deadlines: (t) => meetDeadlines(t, id, ['rectify'], now),
        };
      case 'resolve':
        await this.citeOwnPhotosOnly(id, input.evidence, 'evidence');
        return {
          patch: { resolved_at: now, result: input.result },
          // Resolving ends every running clock, arrival included: the work is done.
          deadlines: stopAll,
        };
      case 'verify_pass': {
        const finish = await readFinish(trx, id);
        const resolvedAt = row.resolved_at === null ? now : Number(row.resolved_at);
        return {
          patch: {
            closed_at: now,
            closed_on_time: finish ? (resolvedAt <= finish.dueAt ? 1 : 0) : null,
          },
          deadlines: stopAll,
        };
      }
      case 'verify_fail':
        return {
          patch: { reworks: row.reworks + 1 },
          // Rework (返工): the finish deadline runs again from where it stood.
          deadlines: (t) =>
            t
              .updateTable('case_deadlines')
              .set({ met_at: null })
              .where('case_id', '=', id)
              .where('kind', '=', 'finish')
              .execute()
              .then(() => undefined),
        };
      case 'escalate':
        return { patch: { escalations: row.escalations + 1, escalated_at: now } };
      case 'request_extension': {
        const due = await this.runningFinish(trx, id, now, 'request');
        if (row.extension_request !== null)
          throw unprocessable(
            '已有待审批的延期申请，请等待指挥中心答复 (an extension request is already waiting)',
            'body.action',
          );
        const request: ExtensionAsked = {
          days: input.days,
          reason: input.reason,
          at: now,
          by: user.displayName,
        };
        return {
          patch: { extension_request: JSON.stringify(request) },
          payload: { until: extendedDue(due, input.days) },
        };
      }
      case 'approve_extension': {
        const request = storedExtension(row);
        if (!request)
          throw unprocessable('没有待审批的延期申请 (no extension request is waiting)', 'body.action');
        const due = await this.runningFinish(trx, id, now, 'decide');
        const days = input.days ?? request.days;
        const until = extendedDue(due, days);
        return {
          patch: { extension_request: null, extensions: Number(row.extensions ?? 0) + 1 },
          payload: { days, requestedDays: request.days, finishDueWas: due, extendedTo: until },
          deadlines: (t) => moveFinish(t, id, until),
        };
      }
      case 'deny_extension': {
        const request = storedExtension(row);
        if (!request)
          throw unprocessable('没有待审批的延期申请 (no extension request is waiting)', 'body.action');
        // A request that lapsed with the deadline is not there to refuse, as it is not to grant.
        await this.runningFinish(trx, id, now, 'decide');
        return { patch: { extension_request: null }, payload: { days: request.days } };
      }
    }
  }

  /**
   * The 办结 deadline's due time while it still runs, for a 延期 request (`request`) or decision
   * (`decide`); 422 when it is not running (no finish clock, met) or has passed: a request comes
   * before the deadline, and one left undecided past it has lapsed (the case is overdue).
   */
  private async runningFinish(
    trx: Trx,
    id: string,
    now: number,
    step: 'request' | 'decide',
  ): Promise<number> {
    const finish = await readFinish(trx, id);
    if (!finish || finish.metAt !== null)
      throw unprocessable('办结时限未在计时，无需延期 (no finish deadline is running)', 'body.action');
    if (finish.overdueAt !== null || finish.dueAt <= now)
      throw unprocessable(
        step === 'request'
          ? '办结时限已过，不能再申请延期，请尽快办结 (the finish deadline has passed: too late to ask)'
          : '办结时限已过，延期申请已失效 (the finish deadline passed before the decision: the request lapsed)',
        'body.action',
      );
    return finish.dueAt;
  }

  private resolveParty(p: PartyInput): PartyRef {
    const party = this.deps.directory.resolve(p);
    if (!party)
      throw unprocessable(
        `body.assignee: 未知的承办单位 ${p.kind}:${p.code} (unknown assignee)`,
        'body.assignee',
      );
    return party;
  }

  // ---------------------------------------------------------------- reads

  /**
   * Whether `user` sees the case `caseId` was merged into (合并): a duplicate's photos are the
   * original's second report (mergedFrom), for whoever works on the original.
   */
  async mergedIntoSeenBy(user: SessionUser, caseId: string): Promise<boolean> {
    const db = this.deps.store.db;
    const dup = await db
      .selectFrom('cases')
      .select('merged_into')
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!dup?.merged_into) return false;
    const original = await db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', dup.merged_into)
      .executeTakeFirst();
    return !!original && scopeSees(user.scope, rowParties(original));
  }

  async get(user: SessionUser, caseId: string): Promise<CaseView> {
    const db = this.deps.store.db;
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!row || !scopeSees(user.scope, rowParties(row)))
      throw notFound(`案件 ${caseId} 不存在 (no such case)`);
    const [deadlines, events, merged] = await Promise.all([
      this.deadlinesOf(db, caseId),
      db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute(),
      // The duplicates merged into it (index cases_merged_into, migration 015).
      db
        .selectFrom('cases')
        .select(['id', 'no_day', 'no_seq', 'created_at', 'source', 'description', 'reporter', 'photos'])
        .where('merged_into', '=', caseId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    ]);
    const view = caseView(row, deadlines, this.deps.catalogue, events as EventRow[]);
    await nameTeamsSent(db, view.timeline!);
    view.mergedFrom = merged.map((m) => ({
      id: m.id,
      no: rowCaseNumber(m),
      createdAt: Number(m.created_at),
      source: m.source as ClueSource,
      description: m.description,
      reporter: m.reporter ? (JSON.parse(m.reporter) as Reporter) : null,
      photos: JSON.parse(m.photos) as string[],
    }));
    return view;
  }

  /**
   * Newest first; the cursor is the last item's (createdAt, id). `head` is the event log's head read
   * before the page: the page reflects every event up to it (the counter row is locked until its
   * transaction commits, so seqs commit in order), and a client that replays the events after the
   * lowest `head` of its pages misses nothing.
   */
  async list(user: SessionUser, q: CaseListQuery): Promise<CaseListPage> {
    // A filter naming no unit or matter of the county lists nothing: a 400 saying so, as a
    // malformed one is, not an empty page that reads as "no such cases".
    if (q.township) this.knownUnit('query.township', `township:${q.township}`);
    if (q.assignee) this.knownUnit('query.assignee', q.assignee);
    if (q.cooperating) this.knownUnit('query.cooperating', q.cooperating);
    if (q.matter && !this.deps.catalogue.byCode.has(q.matter))
      throw badRequest(`query.matter: 没有事项 ${q.matter} (no such matter)`, 'query.matter');
    const db = this.deps.store.db;
    const head = await this.eventHead();
    let base = db.selectFrom('cases');
    if (user.scope.kind !== 'county') {
      const party = `${user.scope.kind}:${user.scope.code}`;
      base = base.where(
        'id',
        'in',
        db.selectFrom('case_parties').select('case_id').where('party', '=', party),
      );
    }
    if (q.status) base = base.where('status', 'in', q.status);
    if (q.township) base = base.where('township_code', '=', q.township);
    if (q.assignee) {
      const [kind, code] = q.assignee.includes(':') ? q.assignee.split(':', 2) : [undefined, q.assignee];
      base = base.where('assignee_code', '=', code!);
      if (kind) base = base.where('assignee_kind', '=', kind);
    }
    if (q.cooperating) {
      // A party of the case (case_parties, indexed, exact), named in its cooperating list, not its
      // assignee. The code has no % (the query's schema); a _ in it matches any one character, which
      // the exact party match keeps from widening the answer in practice.
      const [kind, code] = q.cooperating.split(':', 2) as [string, string];
      base = base
        .where('id', 'in', db.selectFrom('case_parties').select('case_id').where('party', '=', q.cooperating))
        .where('cooperating', 'like', `%"code":"${code}"%`)
        .where((eb) =>
          eb.or([
            eb('assignee_code', 'is', null),
            eb('assignee_code', '!=', code),
            eb('assignee_kind', '!=', kind),
          ]),
        );
    }
    if (q.matter) base = base.where('matter_code', '=', q.matter);
    if (q.source) base = base.where('source', '=', q.source);
    if (q.overdue !== undefined) base = base.where('overdue', '=', q.overdue ? 1 : 0);
    if (q.from !== undefined) base = base.where('created_at', '>=', q.from);
    if (q.to !== undefined) base = base.where('created_at', '<', q.to);
    if (q.statusFrom !== undefined) base = base.where('status_since', '>=', q.statusFrom);
    if (q.q) {
      // SQLite: the trigram index where the search is selective enough for it to pay (a township's
      // name matches a tenth of the county, and is faster scanned); PostgreSQL's planner decides.
      const indexed = this.deps.store.engine === 'sqlite' && (await trigramIndexHelps(db, searchNeedle(q.q)));
      base = base.where(caseTextFilter(q.q, this.deps.catalogue.matters, indexed, this.deps.clock.now()));
    }

    let page = base;
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      page = page.where((eb) =>
        eb.or([eb('created_at', '<', c.t), eb.and([eb('created_at', '=', c.t), eb('id', '<', c.id)])]),
      );
    }
    const [rows, count] = await Promise.all([
      (pageIdsFirst(q)
        ? newestPage(db, page, q.limit + 1)
        : page
            .selectAll()
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(q.limit + 1)
      ).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: await this.viewsOfRows(items),
      total: Number(count.n),
      nextCursor: more && last ? encodeCursor(Number(last.created_at), last.id) : null,
      head,
    };
  }

  /** The highest committed event seq. */
  private eventHead(): Promise<number> {
    return readEventHead(this.deps.store.db);
  }

  private async deadlinesOf(db: Store['db'] | Trx, caseId: string): Promise<DeadlineRow[]> {
    return db
      .selectFrom('case_deadlines')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('kind')
      .execute();
  }

  /** Case rows as readers get them, with their deadlines read in one query. */
  private async viewsOfRows(rows: CaseRow[]): Promise<CaseView[]> {
    const deadlines = await this.deadlinesFor(rows.map((r) => r.id));
    const views = rows.map((r) => caseView(r, deadlines.get(r.id) ?? [], this.deps.catalogue));
    await this.addReturnHistory(this.deps.store.db, rows, views);
    return views;
  }

  /**
   * `views[i].redispatch` for the rows sent back to a unit that had returned them (退回未同意，重新派遣),
   * and `lastReturn` for those returned now (who, when, why: the queue's row says it). Only a case
   * returned at least once can have either, so the events are read for those few alone, in one query.
   */
  private async addReturnHistory(db: Store['db'] | Trx, rows: CaseRow[], views: CaseView[]): Promise<void> {
    const ids = rows
      .filter((r) => Number(r.returns) > 0 && (r.assignee_code !== null || r.status === 'returned'))
      .map((r) => r.id);
    if (!ids.length) return;
    const events = await db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'at', 'payload'])
      .where('case_id', 'in', ids)
      .where('type', 'in', [...REDISPATCH_EVENTS])
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const byCase = new Map<string, Array<{ type: string; at: number; payload: Record<string, unknown> }>>();
    for (const e of events) {
      let list = byCase.get(e.case_id);
      if (!list) byCase.set(e.case_id, (list = []));
      list.push({
        type: e.type,
        at: Number(e.at),
        payload: JSON.parse(e.payload) as Record<string, unknown>,
      });
    }
    rows.forEach((r, i) => {
      const list = byCase.get(r.id);
      if (list) addReturnHistory(views[i]!, list);
    });
  }

  private async deadlinesFor(ids: string[]): Promise<Map<string, DeadlineRow[]>> {
    const out = new Map<string, DeadlineRow[]>();
    if (!ids.length) return out;
    const rows = await this.deps.store.db
      .selectFrom('case_deadlines')
      .selectAll()
      .where('case_id', 'in', ids)
      .orderBy('case_id')
      .orderBy('kind') // as deadlinesOf: a view's deadlines in the same order on both engines
      .execute();
    for (const r of rows) {
      let list = out.get(r.case_id);
      if (!list) out.set(r.case_id, (list = []));
      list.push(r);
    }
    return out;
  }

  // ---------------------------------------------------------------- returns

  /**
   * The 退回 a unit made, newest first, each with what the command centre did with it (GET
   * /api/returns). A township or department reads its own only; the county names any unit, or none.
   * The unit may no longer be a party of a case it returned (a department's, dispatched elsewhere):
   * the record is still its own, and says whether the case can be opened (`visible`).
   */
  returns(user: SessionUser, q: ReturnsQuery): Promise<ReturnsPage> {
    if (q.party) this.knownUnit('query.party', q.party);
    return listReturns(this.deps.store.db, this.deps.catalogue, user, q);
  }

  /**
   * A unit a query names (`township:<code>`, `department:<code>`, or a bare code of either kind) is
   * one of the county's, else a 400 naming the parameter (the case lists', the returns' and the
   * statistics' filters alike).
   */
  knownUnit(field: string, value: string): void {
    const { directory } = this.deps;
    const colon = value.indexOf(':');
    const kinds = colon === -1 ? PARTY_KINDS : [value.slice(0, colon) as PartyInput['kind']];
    const code = colon === -1 ? value : value.slice(colon + 1);
    if (kinds.some((kind) => directory.resolve({ kind, code }))) return;
    const what = colon === -1 ? '乡镇或部门' : kinds[0] === 'township' ? '乡镇' : '部门';
    const en = colon === -1 ? 'township or department' : kinds[0];
    throw badRequest(`${field}: 没有${what} ${code} (no such ${en} in the county)`, field);
  }

  // ---------------------------------------------------------------- events

  /**
   * The events `user` may see after `after`, in seq order, each with its case as it is now (GET
   * /api/events, the resync after a reconnect). The head of the sequence is read first: every event
   * up to it has committed (seq is handed out under a row lock held to commit), so a page never
   * skips one that commits later. `lastSeq` covers events the caller may not see, so scoped callers
   * move past them too.
   */
  async events(user: SessionUser, after: number, limit: number): Promise<EventsPage> {
    const db = this.deps.store.db;
    const head = await this.eventHead();
    if (after >= head) return { events: [], lastSeq: Math.max(after, head), more: false, head };
    let q = db.selectFrom('case_events').selectAll().where('seq', '>', after).where('seq', '<=', head);
    if (user.scope.kind !== 'county') {
      const party = `${user.scope.kind}:${user.scope.code}`;
      q = q.where(
        'case_id',
        'in',
        db.selectFrom('case_parties').select('case_id').where('party', '=', party),
      );
    }
    const rows = (await q.orderBy('seq').limit(limit).execute()) as EventRow[];
    const full = rows.length === limit;
    const ids = [...new Set(rows.map((r) => r.case_id))];
    const views = new Map<string, CaseView>();
    for (let i = 0; i < ids.length; i += 500) {
      const caseRows = await db
        .selectFrom('cases')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const v of await this.viewsOfRows(caseRows)) views.set(v.id, v);
    }
    const events: CaseEventMessage[] = [];
    for (const r of rows) {
      const view = views.get(r.case_id);
      if (view) events.push({ ...eventView(r), case: view });
    }
    return { events, lastSeq: full ? Number(rows[rows.length - 1]!.seq) : head, more: full, head };
  }

  /**
   * One bus message per stored event, after the commit, with the case as it now is; resolves once
   * the fan-out has sent them (the end of this turn), so that the caller's reply comes after: a
   * process killed between the two would otherwise have acknowledged events that clients of the
   * other processes never receive live.
   */
  publish(events: CaseEvent[], view: CaseView): Promise<void> {
    for (const event of events) this.deps.bus.emit('case:event', { event, caseView: view });
    return afterThisTurn();
  }

  /** Re-read a case for publishing (the scheduler's overdue marks). */
  async viewOf(caseId: string): Promise<CaseView | undefined> {
    const db = this.deps.store.db;
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!row) return undefined;
    return (await this.viewsOfRows([row]))[0];
  }
}

/**
 * The `merged_in` event's facts, on the case a duplicate joins: which report, and what its caller
 * said, so the original's timeline and the township's notice read without another request.
 */
function mergedInPayload(dup: CaseRow, reason: string | undefined): Record<string, unknown> {
  return {
    merged: dup.id,
    no: rowCaseNumber(dup),
    source: dup.source,
    description: dup.description,
    ...(dup.reporter ? { reporter: JSON.parse(dup.reporter) as Reporter } : {}),
    ...(reason ? { reason } : {}),
  };
}

// ------------------------------------------------------------------ store helpers

/** Acknowledge, arrive and finish clocks, all started at dispatch from the matter's limits. */
export function workDeadlines(caseId: string, matter: Matter, now: number): DeadlineRow[] {
  const kinds: Array<[DeadlineKind, number]> = [
    ['acknowledge', matter.limits.acknowledge],
    ['arrive', matter.limits.arrive],
    ['finish', matter.limits.finish],
  ];
  return kinds.map(([kind, hours]) => ({
    case_id: caseId,
    kind,
    due_at: now + Math.round(hours * HOUR_MS),
    met_at: null,
    overdue_at: null,
  }));
}

async function upsertDeadlines(trx: Trx, rows: DeadlineRow[]): Promise<void> {
  await trx
    .insertInto('case_deadlines')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['case_id', 'kind']).doUpdateSet((eb) => ({
        due_at: eb.ref('excluded.due_at'),
        met_at: null,
        overdue_at: null,
      })),
    )
    .execute();
}

async function meetDeadlines(trx: Trx, caseId: string, kinds: DeadlineKind[], now: number): Promise<void> {
  await trx
    .updateTable('case_deadlines')
    .set({ met_at: now })
    .where('case_id', '=', caseId)
    .where('kind', 'in', kinds)
    .where('met_at', 'is', null)
    .execute();
}

/** Stop every running clock (returned, rejected, resolved, closed). */
async function stopDeadlines(trx: Trx, caseId: string, now: number): Promise<void> {
  await trx
    .updateTable('case_deadlines')
    .set({ met_at: now })
    .where('case_id', '=', caseId)
    .where('met_at', 'is', null)
    .execute();
}

async function writeParties(trx: Trx, caseId: string, parties: string[]): Promise<void> {
  await trx.deleteFrom('case_parties').where('case_id', '=', caseId).execute();
  await trx
    .insertInto('case_parties')
    .values(parties.map((party) => ({ case_id: caseId, party })))
    .execute();
}

/**
 * Whether a list's page is chosen by its ids first (newestPage): for a search, which may match
 * thousands of cases through the trigram index. A list of states is read in one query even where
 * it selects thousands (the screen's 30 days of closed and rejected cases): ids first measured
 * 1.15× faster on SQLite and 0.76× on PostgreSQL for it (`npm run bench:search`, the lists), so
 * not worth a second look-up.
 */
export function pageIdsFirst(q: { q?: string }): boolean {
  return !!q.q;
}

/**
 * The newest `limit` cases that `where` selects, newest first. The page's ids are chosen first,
 * sorting only (created_at, id), then its rows are read: a search that matches thousands of cases
 * through the index does not sort thousands of whole rows.
 */
export function newestPage(
  db: Store['db'],
  where: SelectQueryBuilder<Database, 'cases', object>,
  limit: number,
) {
  const ids = where.select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
  return db
    .selectFrom('cases')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
}

/** Random bytes drawn 4 kB at a time: one small crypto.randomBytes per id costs a system call. */
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. Case ids sort by creation time, so
 * a new case's rows land at the end of every index keyed by case id instead of on a random page:
 * fewer pages written per commit, and a cheaper WAL checkpoint.
 */
export function timeOrderedId(ms: number): string {
  if (poolAt + 16 > pool.length) {
    pool = crypto.randomBytes(4096);
    poolAt = 0;
  }
  const b = Buffer.from(pool.subarray(poolAt, (poolAt += 16)));
  b.writeUIntBE(Math.max(0, Math.floor(ms)) % 2 ** 48, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const CURSOR_ID = /^[0-9a-z-]{1,64}$/i;

export function encodeCursor(t: number, id: string): string {
  return Buffer.from(JSON.stringify([t, id])).toString('base64url');
}

/**
 * A cursor this server wrote: `[created_at, id]`, exactly those two, a whole number of milliseconds
 * (0 or more) and a case id (letters, digits and hyphens, as a UUID's), encoded as encodeCursor
 * writes them. Anything else is a 400, never a value handed to the database: 1.5 or 1e20 is no
 * bigint, PostgreSQL text cannot hold a NUL, and `[-1, "x"]` or `[1, "x", 3]` is no page's end.
 */
export function decodeCursor(cursor: string): { t: number; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2) {
      const [t, id] = v as [unknown, unknown];
      if (
        Number.isSafeInteger(t) &&
        (t as number) >= 0 &&
        typeof id === 'string' &&
        CURSOR_ID.test(id) &&
        encodeCursor(t as number, id) === cursor
      )
        return { t: t as number, id };
    }
  } catch {
    /* fall through */
  }
  throw badRequest('query.cursor: not a cursor from a previous page', 'query.cursor');
}

/** The case's 办结 deadline as it stands, or undefined when none was ever set. */
async function readFinish(trx: Trx, caseId: string): Promise<DeadlineView | undefined> {
  const d = await trx
    .selectFrom('case_deadlines')
    .select(['due_at', 'met_at', 'overdue_at'])
    .where('case_id', '=', caseId)
    .where('kind', '=', 'finish')
    .executeTakeFirst();
  return d && { dueAt: Number(d.due_at), metAt: num(d.met_at), overdueAt: num(d.overdue_at) };
}

/**
 * The 办结 deadline moved to `due` (责令整改's 整改期间不计时, 同意延期), in the action's transaction
 * and only while it runs: the overdue scan marks a deadline only where due_at <= now, so it never
 * marks the old one, and one already marked missed stays missed.
 */
async function moveFinish(trx: Trx, caseId: string, due: number): Promise<void> {
  await trx
    .updateTable('case_deadlines')
    .set({ due_at: due })
    .where('case_id', '=', caseId)
    .where('kind', '=', 'finish')
    .where('met_at', 'is', null)
    .where('overdue_at', 'is', null)
    .execute();
}

/**
 * A 派出队伍 recorded before its event kept the team's name names it from the teams' table (a
 * township cooperating on a department's case sees the case but not the department's teams).
 */
export async function nameTeamsSent(db: Kysely<Database>, timeline: CaseEvent[]): Promise<void> {
  const unnamed = timeline.filter(
    (e) => e.type === 'start' && typeof e.payload.teamId === 'string' && e.payload.teamName === undefined,
  );
  if (!unnamed.length) return;
  const ids = [...new Set(unnamed.map((e) => e.payload.teamId as string))];
  const names = new Map(
    (await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute()).map((t) => [
      t.id,
      t.name,
    ]),
  );
  for (const e of unnamed) {
    const name = names.get(e.payload.teamId as string);
    if (name !== undefined) e.payload.teamName = name;
  }
}
