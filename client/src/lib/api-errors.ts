// What a failed action means, in plain words for the operator (409 / 422 / 403 and the rest).
// Relative, not '@/…': the unit tests load lib/ without the client's aliases.
import { ApiError } from '../api/http';

export function actionErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return '操作失败，请重试';
  const detail =
    err.message && !/^HTTP \d+$/.test(err.message) && err.message !== 'network' ? err.message : '';
  switch (err.status) {
    case 0:
      return '无法连接服务器，请检查网络后重试';
    case 403:
      return '没有权限执行此操作（该案件不在您的职权范围内）';
    case 409:
      return '该案件刚被其他人处理过，页面已刷新为最新状态，请确认后再操作';
    case 422:
      return `当前状态下不能执行此操作${detail ? `：${detail}` : ''}`;
    case 400:
      return `填写的内容有误${detail ? `：${detail}` : ''}`;
    case 401:
      return '登录已过期，请重新登录';
    case 404:
      return '找不到该案件，可能已被合并或删除';
    default:
      return `服务器出错（${err.status}），请稍后重试`;
  }
}
