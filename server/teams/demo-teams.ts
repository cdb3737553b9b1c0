// Demo teams (demo mode only), deterministic: each township's comprehensive enforcement team in
// the "7+9+N" shape (7 of its own, 9 posted by county departments, N helpers) with two GPS
// devices, and one squad per county department with one device. Device token: `<deviceId>:<DEMO_PASSWORD>`.
import type { UnitRef } from '../../shared/geo';
import type { Department } from '../county/departments';
import { memberId } from '../../shared/teams';
import type { NewTeam, TeamService } from './service';

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰斌鹏飞宇浩然晨阳俊峰海燕雪梅春晓东亮宁波';

/** mulberry32: a small seeded generator, so the demo county is the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function personName(rand: () => number): string {
  const pick = (s: string) => s[Math.floor(rand() * s.length)]!;
  return pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
}

/**
 * A made-up mobile number (the demo's people are made up too). From its own generator, so the
 * names stay those the demo has always had.
 */
export function demoPhone(rand: () => number): string {
  const prefixes = [
    '135',
    '136',
    '137',
    '138',
    '139',
    '150',
    '151',
    '152',
    '158',
    '159',
    '182',
    '187',
    '188',
  ];
  const digits = Array.from({ length: 8 }, () => Math.floor(rand() * 10)).join('');
  return prefixes[Math.floor(rand() * prefixes.length)]! + digits;
}

/**
 * A demo device's id (`gp-<unit code>-<n>`, token `<deviceId>:<DEMO_PASSWORD>`): the ones the live
 * simulator drives. A device someone registered on a demo team (`npm run teams -- device add`, a
 * phone trying Traccar Client) is theirs to move: the simulator's fixes would fight its own.
 */
export const isDemoDevice = (deviceId: string): boolean => /^gp-[0-9A-Za-z]+-\d+$/.test(deviceId);

export function demoTeams(townships: UnitRef[], departments: Department[], demoPassword: string): NewTeam[] {
  const rand = mulberry32(140581);
  // The phones from a generator of their own: the names drawn from `rand` stay the demo's.
  const phones = mulberry32(1405810);
  const phone = () => demoPhone(phones);
  const posted = departments.filter((d) => d.posted);
  const device = (deviceId: string, label: string) => ({
    deviceId,
    label,
    token: `${deviceId}:${demoPassword}`,
  });
  const teams: NewTeam[] = townships.map((t) => ({
    id: `T${t.code}`,
    name: `${t.name}综合行政执法队`,
    kind: 'township',
    ownerCode: t.code,
    ownerName: t.name,
    members: [
      { name: personName(rand), role: '队长', source: 'own', departmentCode: null, phone: phone() },
      { name: personName(rand), role: '副队长', source: 'own', departmentCode: null, phone: phone() },
      ...Array.from({ length: 5 }, () => ({
        name: personName(rand),
        role: '执法队员',
        source: 'own' as const,
        departmentCode: null,
        phone: phone(),
      })),
      ...posted.map((d) => ({
        name: personName(rand),
        role: `派驻执法人员（${d.short}）`,
        source: 'posted' as const,
        departmentCode: d.code,
        phone: phone(),
      })),
      ...Array.from({ length: 2 + Math.floor(rand() * 3) }, () => ({
        name: personName(rand),
        role: '协管员',
        source: 'helper' as const,
        departmentCode: null,
        phone: phone(),
      })),
    ],
    devices: [device(`gp-${t.code}-1`, '执法车'), device(`gp-${t.code}-2`, '巡查组')],
  }));
  for (const d of departments) {
    teams.push({
      id: `D${d.code}`,
      name: `${d.short}执法大队`,
      kind: 'department',
      ownerCode: d.code,
      ownerName: d.name,
      members: [
        { name: personName(rand), role: '大队长', source: 'own', departmentCode: d.code, phone: phone() },
        ...Array.from({ length: 3 }, () => ({
          name: personName(rand),
          role: '执法队员',
          source: 'own' as const,
          departmentCode: d.code,
          phone: phone(),
        })),
      ],
      devices: [device(`gp-${d.code}-1`, '执法车')],
    });
  }
  return teams;
}

/**
 * Create the demo teams unless teams already exist. Returns how many were created. Where they exist
 * (a demo database from before members had phones), each demo member still as the demo named them
 * and with no phone is given theirs.
 */
export async function ensureDemoTeams(service: TeamService, teams: NewTeam[]): Promise<number> {
  if (service.count() > 0) {
    await service.fillMissingPhones(
      teams.flatMap((t) =>
        t.members.flatMap((m, i) =>
          m.phone ? [{ memberId: memberId(t.id, i + 1), name: m.name, phone: m.phone }] : [],
        ),
      ),
    );
    return 0;
  }
  for (const t of teams) await service.createTeam(t);
  return teams.length;
}
