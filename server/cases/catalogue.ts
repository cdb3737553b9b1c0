// Loads the matter catalogue of the county pack and refuses to start on a faulty one.
import fs from 'node:fs';
import path from 'node:path';
import { catalogueProblems, matterCatalogueSchema, type Matter } from '../../shared/matters';
import type { Department } from '../county/departments';

export interface MatterCatalogue {
  matters: Matter[];
  byCode: Map<string, Matter>;
}

export function buildCatalogue(
  raw: unknown,
  departments: readonly Department[],
  townshipCodes: readonly string[],
  where = 'matters.json',
): MatterCatalogue {
  const parsed = matterCatalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${where}: ${i.path.join('.')}: ${i.message}`);
  }
  const problems = catalogueProblems(
    parsed.data.matters,
    new Set(departments.map((d) => d.code)),
    new Set(townshipCodes),
  );
  if (problems.length) throw new Error(`${where}: ${problems.slice(0, 10).join('; ')}`);
  const matters = parsed.data.matters;
  return { matters, byCode: new Map(matters.map((m) => [m.code, m])) };
}

export function loadMatterCatalogue(
  packDir: string,
  departments: readonly Department[],
  townshipCodes: readonly string[],
): MatterCatalogue {
  const file = path.join(packDir, 'matters.json');
  return buildCatalogue(JSON.parse(fs.readFileSync(file, 'utf8')), departments, townshipCodes, file);
}
