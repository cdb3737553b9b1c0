// The matter catalogue (执法事项清单): what can be reported, its legal basis, the county department
// that owns it, the time limits, and the townships it is delegated to (赋权).
import { z } from 'zod';

export const MATTER_DOMAINS = [
  '市容环境',
  '违法建设',
  '生态环境',
  '自然资源',
  '安全生产',
  '市场监管',
  '交通运输',
  '农业农村',
  '文化市场',
  '卫生健康',
  '劳动保障',
  '林业',
  '水利',
] as const;
export type MatterDomain = (typeof MATTER_DOMAINS)[number];

export const MATTER_CODE = /^[A-Z]{2}\d{2}$/;
export const TOWNSHIP_CODE = /^\d{9}$/;

export const timeLimitsSchema = z.object({
  /** Hours from dispatch to 签收. */
  acknowledge: z.number().positive().max(720),
  /** Hours from dispatch to 到场. */
  arrive: z.number().positive().max(720),
  /** Hours from dispatch to 办结. */
  finish: z.number().positive().max(8760),
  /** Default days given when 责令整改 names no deadline. */
  rectify: z.number().int().positive().max(365),
});
export type TimeLimits = z.infer<typeof timeLimitsSchema>;

export const matterSchema = z
  .object({
    code: z.string().regex(MATTER_CODE, 'two capital letters and two digits, e.g. SR01'),
    name: z.string().min(1).max(40),
    domain: z.enum(MATTER_DOMAINS),
    /** Law and article, as text: 《城市市容和环境卫生管理条例》第十四条、第三十六条. */
    legalBasis: z
      .string()
      .min(6)
      .regex(/《.+》.*第.+条/, 'name the law 《…》 and the article 第…条'),
    /** Owning county department code (geo/<county>/departments.json). */
    department: z.string().min(1),
    limits: timeLimitsSchema,
    delegatedTownships: z.array(z.string().regex(TOWNSHIP_CODE)),
  })
  .refine((m) => m.limits.acknowledge <= m.limits.arrive && m.limits.arrive <= m.limits.finish, {
    message: 'limits must satisfy acknowledge ≤ arrive ≤ finish',
    path: ['limits'],
  });
export type Matter = z.infer<typeof matterSchema>;

export const matterCatalogueSchema = z.object({ matters: z.array(matterSchema).min(1) });

/**
 * Cross-checks the schema cannot make: unique codes and names, departments and townships that
 * exist, no township listed twice. Returns the problems, empty when the catalogue is sound.
 */
export function catalogueProblems(
  matters: readonly Matter[],
  departmentCodes: ReadonlySet<string>,
  townshipCodes: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const m of matters) {
    if (codes.has(m.code)) problems.push(`${m.code}: duplicate code`);
    if (names.has(m.name)) problems.push(`${m.code}: duplicate name ${m.name}`);
    codes.add(m.code);
    names.add(m.name);
    if (!departmentCodes.has(m.department)) problems.push(`${m.code}: unknown department ${m.department}`);
    const seen = new Set<string>();
    for (const t of m.delegatedTownships) {
      if (!townshipCodes.has(t)) problems.push(`${m.code}: unknown township ${t}`);
      if (seen.has(t)) problems.push(`${m.code}: township ${t} listed twice`);
      seen.add(t);
    }
  }
  return problems;
}

/** The matters delegated to each township, by township code. */
export function delegatedByTownship(matters: readonly Matter[]): Map<string, Matter[]> {
  const out = new Map<string, Matter[]>();
  for (const m of matters)
    for (const t of m.delegatedTownships) {
      let list = out.get(t);
      if (!list) out.set(t, (list = []));
      list.push(m);
    }
  return out;
}
