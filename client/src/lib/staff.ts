// A grid's staff as one line: the geo pack gives a name, a person {name, role, phone}, or a list.
const LABEL: Record<string, string> = {
  head: '网格长',
  worker: '网格员',
  assistant: '网格辅助员',
};

export function staffText(staff: unknown): string {
  let v = staff;
  if (typeof v === 'string') {
    try {
      v = v.trim().startsWith('{') || v.trim().startsWith('[') ? JSON.parse(v) : v; // vector-tile-style stringified
    } catch {
      /* plain text */
    }
  }
  if (typeof v === 'string') return v;
  const one = (p: unknown): string => {
    if (typeof p === 'string') return p;
    if (!p || typeof p !== 'object') return '';
    const o = p as Record<string, unknown>;
    const role = typeof o.role === 'string' ? (LABEL[o.role] ?? o.role) : '';
    const phone = typeof o.phone === 'string' ? ` ${o.phone}` : '';
    return `${role ? `${role} ` : ''}${String(o.name ?? '')}${phone}`.trim();
  };
  if (Array.isArray(v)) return v.map(one).filter(Boolean).join('、');
  return one(v);
}
