import { en, id, type MessageKey, type Messages } from './messages.js';

export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];
export type Params = Record<string, string | number>;

const dictionaries: Record<Lang, Messages> = { en, id };

/** BCP 47 locale used for numbers and dates in each UI language. */
export const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

/** Looks a key up in `lang`, falling back to English, and fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text: string = dictionaries[lang][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** True when `key` is a known message key (for codes coming from the server). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** First browser language we support (Indonesian for id-*, English for en-*), else Indonesian. */
export function detectLang(preferred: readonly string[] | undefined, stored?: string | null): Lang {
  if (stored === 'id' || stored === 'en') return stored;
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'id' || base === 'in' || base === 'ms') return 'id';
    if (base === 'en') return 'en';
  }
  return 'id';
}
