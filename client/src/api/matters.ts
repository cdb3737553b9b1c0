// The county's matter catalogue (GET /api/matters), asked once per page: the leader's filters and
// the big screen's 登记线索 form both list it, and the form opens many times a shift. A failure is
// asked again the next time.
import type { Matter } from '@shared/matters';
import { api } from './http';

let asked: Promise<Matter[]> | null = null;

export function loadMatters(): Promise<Matter[]> {
  asked ??= api<{ matters: Matter[] }>('/api/matters').then(
    (b) => b.matters,
    (err: unknown) => {
      asked = null;
      throw err;
    },
  );
  return asked;
}
