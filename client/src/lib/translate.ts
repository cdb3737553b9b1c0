// The translator the lib's formatters take, as vue-i18n's `t` is called with it: the components
// pass their `t`, the unit tests one made from the same messages.
export type Translate = (key: string, values?: Record<string, unknown>) => string;
