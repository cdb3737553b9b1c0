// The county departments (县直部门) of the pack, validated when loaded.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const departmentSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/, 'lower-case letters, digits, - or _'),
  name: z.string().min(1),
  short: z.string().min(1),
  /** One of the departments that post staff to township teams (the "9" of "7+9+N"). */
  posted: z.boolean(),
});
export type Department = z.infer<typeof departmentSchema>;

export const DEFAULT_PACK_DIR = path.resolve(import.meta.dirname, '../../geo/gaoping');

export function loadDepartments(packDir = DEFAULT_PACK_DIR): Department[] {
  const file = path.join(packDir, 'departments.json');
  const parsed = z
    .object({ departments: z.array(departmentSchema).min(1) })
    .safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${file}: ${i.path.join('.')}: ${i.message}`);
  }
  const codes = new Set<string>();
  for (const d of parsed.data.departments) {
    if (codes.has(d.code)) throw new Error(`${file}: duplicate department code ${d.code}`);
    codes.add(d.code);
  }
  return parsed.data.departments;
}
