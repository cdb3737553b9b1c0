// 简体中文 (default locale). Keys are grouped by view; en.ts must have the same keys.
export default {
  app: {
    title: '高平市基层综合执法指挥调度平台',
    short: '综合执法指挥调度',
    county: '高平市',
    logout: '退出登录',
    language: 'English',
  },
  login: {
    heading: '用户登录',
    subtitle: '一支队伍管执法 · 一张网格管治理 · 一个平台管调度',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    failed: '登录失败：{reason}',
    required: '请输入用户名和密码',
    demoHint: '演示账号：commander / leader / 140581002（东城街道），密码 demo',
  },
  nav: {
    bigScreen: '指挥大屏',
    desk: '乡镇工作台',
    leader: '领导驾驶舱',
  },
  bigScreen: { title: '指挥大屏' },
  desk: { title: '乡镇工作台' },
  leader: { title: '领导驾驶舱' },
  connection: {
    live: '实时',
    reconnecting: '重连中',
    resyncing: '同步中',
    offline: '离线',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    forbidden: '没有权限执行此操作',
  },
} as const;
