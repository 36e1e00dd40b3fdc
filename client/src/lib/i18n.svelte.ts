/// <reference types="svelte" />
import { detectLang, LOCALES, translate, type Lang, type Params } from './i18n/translate.js';
import { isMessageKey } from './i18n/translate.js';
import type { MessageKey } from './i18n/messages.js';

/** Where the chosen language is remembered (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'sparecast.lang';

/**
 * Any error body, on purpose with a plain string code: a newer server may send a code this bundle
 * does not know yet, and it still shows the server's message.
 */
export interface ErrorLike {
  readonly code: string;
  readonly message: string;
}

/** The UI language; components read `i18n.t(...)`, which re-renders when `lang` changes. */
export class I18n {
  lang = $state<Lang>('id');

  constructor(
    private readonly storage?: KeyValueStore,
    languages?: readonly string[],
  ) {
    this.lang = detectLang(languages, storage?.getItem(STORAGE_KEY));
  }

  get locale(): string {
    return LOCALES[this.lang];
  }

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  /**
   * An API/ack error in the user's language (components/ErrorNote.svelte shows it): a known code's words, and the
   * server's English message apart as a detail, folded away (it often names the column or value); an unknown
   * code: the server's message as the text.
   */
  errorParts = (err: ErrorLike): { text: string; detail: string | null } => {
    const label = this.errorLabel(err);
    const known = isMessageKey(`err.${err.code}`);
    return { text: label, detail: known && err.message && err.message !== label ? err.message : null };
  };

  /** Only the translated label of a known code (sign-in errors: the server's English adds nothing). */
  errorLabel = (err: ErrorLike | null | undefined): string => {
    if (!err) return '';
    const key = `err.${err.code}`;
    return isMessageKey(key) ? translate(this.lang, key) : err.message || translate(this.lang, 'common.error');
  };

  set(lang: Lang): void {
    this.lang = lang;
    this.storage?.setItem(STORAGE_KEY, lang);
  }

  toggle = (): void => this.set(this.lang === 'id' ? 'en' : 'id');
}
