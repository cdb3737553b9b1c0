// Builds the case engine from the app's parts: catalogue (validated), party directory, service,
// deadline scheduler, router.
import type { Router } from 'express';
import type { PartyInput, PartyRef } from '../../shared/cases';
import type { Clock } from '../clock';
import type { Department } from '../county/departments';
import { DEFAULT_PACK_DIR } from '../county/departments';
import type { DomainBus } from '../events/bus';
import type { GeoIndex } from '../geo/types';
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import { loadMatterCatalogue, type MatterCatalogue } from './catalogue';
import { DeadlineScheduler, type RunOnce } from './deadlines';
import type { PartyDirectory } from './routing';
import { casesRouter } from './routes';
import { CaseService } from './service';
import type { CluePhotoPort } from '../uploads/clue-photos';
import type { PhotoStore } from '../uploads/photo-store';

export interface CaseEngineDeps {
  store: Store;
  clock: Clock;
  geo: GeoIndex;
  departments: readonly Department[];
  bus: DomainBus;
  logger: Logger;
  autoDispatch: boolean;
  packDir?: string;
  /** Photos uploaded before their clue, taken into the case at intake. */
  cluePhotos?: CluePhotoPort;
  /** The cases' photos: a report may cite only those its case holds. */
  casePhotos?: Pick<PhotoStore, 'open'>;
  runOnce?: RunOnce;
  scanIntervalMs?: number;
}

export interface CaseEngine {
  catalogue: MatterCatalogue;
  cases: CaseService;
  deadlines: DeadlineScheduler;
  router: Router;
}

export function partyDirectory(geo: GeoIndex, departments: readonly Department[]): PartyDirectory {
  const townships = new Map(geo.townships.map((t) => [t.code, t.name]));
  const depts = new Map(departments.map((d) => [d.code, d.name]));
  return {
    resolve(p: PartyInput): PartyRef | undefined {
      const name = p.kind === 'township' ? townships.get(p.code) : depts.get(p.code);
      return name === undefined ? undefined : { kind: p.kind, code: p.code, name };
    },
  };
}

export function createCaseEngine(deps: CaseEngineDeps): CaseEngine {
  const catalogue = loadMatterCatalogue(
    deps.packDir ?? DEFAULT_PACK_DIR,
    deps.departments,
    deps.geo.townships.map((t) => t.code),
  );
  const cases = new CaseService({
    store: deps.store,
    clock: deps.clock,
    geo: deps.geo,
    catalogue,
    directory: partyDirectory(deps.geo, deps.departments),
    bus: deps.bus,
    autoDispatch: deps.autoDispatch,
    logger: deps.logger,
    cluePhotos: deps.cluePhotos,
    casePhotos: deps.casePhotos,
  });
  const deadlines = new DeadlineScheduler({
    store: deps.store,
    clock: deps.clock,
    cases,
    logger: deps.logger,
    runOnce: deps.runOnce,
    intervalMs: deps.scanIntervalMs,
  });
  return {
    catalogue,
    cases,
    deadlines,
    router: casesRouter({ cases, store: deps.store, clock: deps.clock }),
  };
}
