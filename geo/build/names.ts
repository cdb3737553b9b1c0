// Generated names: staff for every grid and the dedicated grids (专属网格). Real people are not
// published with grid maps, so every staff name here is made up, deterministically from the code.
import { pick, rngFor } from './random';

// Common surnames, the most frequent repeated so they come up about as often as in Shanxi.
const SURNAMES = [
  ...'王王王李李李张张张刘刘陈陈杨杨赵赵郭郭牛牛申申秦秦常常宋宋',
  ...'黄周吴徐孙胡朱高林何马罗梁郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱',
];
const GIVEN = [
  ...'建国华明军伟芳娜秀英敏静丽强磊洋艳勇杰娟涛超霞平刚桂兰玉红文辉志宏海燕鹏飞亮斌春梅晓东丹宇浩然欣怡雪峰俊宁瑞锋晋',
];

/** A plausible Chinese name, always the same for the same code. */
export function staffName(code: string): string {
  const rand = rngFor(`staff:${code}`);
  const given = rand() < 0.35 ? pick(rand, GIVEN) : pick(rand, GIVEN) + pick(rand, GIVEN);
  return pick(rand, SURNAMES) + given;
}

const CN_DIGITS = '零一二三四五六七八九';
/** 1 → 一, 12 → 十二, 20 → 二十 (enough for grid numbers). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  if (n < 20) return '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  if (n < 100) return CN_DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? CN_DIGITS[n % 10] : '');
  return String(n);
}

/** 南李村委会 → 南李村, 城东社区居委会 → 城东社区: the name people use for the place. */
export function placeName(committee: string): string {
  return committee
    .replace(/村民委员会$|村委会$/, '村')
    .replace(/居民委员会$|居委会$/, '')
    .replace(/村村$/, '村');
}

export type DedicatedKind = 'school' | 'market' | 'hospital' | 'park' | 'industrial' | 'scenic';

/** 东城街道's 15 dedicated grids (the seed article's figure) and a few for every other township. */
export function dedicatedPlaces(townshipName: string): Array<{ name: string; kind: DedicatedKind }> {
  const short = townshipName.replace(/街道$|镇$|乡$/, '');
  if (townshipName === '东城街道') {
    return [
      { name: '东城实验小学', kind: 'school' },
      { name: '东城第二小学', kind: 'school' },
      { name: '东城中学', kind: 'school' },
      { name: '东城中心幼儿园', kind: 'school' },
      { name: '东城职业中学', kind: 'school' },
      { name: '东城农贸市场', kind: 'market' },
      { name: '东关综合市场', kind: 'market' },
      { name: '东城果蔬批发市场', kind: 'market' },
      { name: '东城建材市场', kind: 'market' },
      { name: '东城医院', kind: 'hospital' },
      { name: '丹河湿地公园', kind: 'park' },
      { name: '东城森林公园', kind: 'park' },
      { name: '迎宾广场', kind: 'park' },
      { name: '东城工业园区', kind: 'industrial' },
      { name: '东山生态景区', kind: 'scenic' },
    ];
  }
  if (townshipName.endsWith('街道')) {
    return [
      { name: `${short}中心小学`, kind: 'school' },
      { name: `${short}农贸市场`, kind: 'market' },
      { name: `${short}社区卫生服务中心`, kind: 'hospital' },
    ];
  }
  if (townshipName === '神农镇') return [{ name: '炎帝陵景区', kind: 'scenic' }];
  if (townshipName === '米山镇') return [{ name: '米山工业园区', kind: 'industrial' }];
  return [{ name: `${short}中心学校`, kind: 'school' }];
}
