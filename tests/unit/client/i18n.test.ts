import './runes-shim.js';
import { describe, expect, it } from 'vitest';
import { I18n } from '../../../client/src/lib/i18n.svelte.js';
import { en, id } from '../../../client/src/lib/i18n/messages.js';
import { detectLang, translate } from '../../../client/src/lib/i18n/translate.js';
import { ERROR_CODES } from '../../../server/contract/errors.js';

describe('i18n', () => {
  it('uses the product guide’s Indonesian labels', () => {
    expect(translate('id', 'dash.run')).toBe('Jalankan Forecast');
    expect(translate('id', 'dash.stop')).toBe('Stop Job');
    expect(translate('id', 'dash.stop.confirm')).toBe('Job akan dihentikan dan tidak bisa dilanjutkan. Yakin?');
    expect(translate('id', 'dash.stop.yes')).toBe('Ya, Stop');
    expect(translate('id', 'common.cancel')).toBe('Batal');
    expect(translate('id', 'act.force.confirm')).toBe('Job masih running! Akan di-STOP dan HAPUS permanen. Yakin?');
    expect(translate('id', 'act.force.yes')).toBe('Ya, Force Delete');
    expect(translate('id', 'act.delete')).toBe('Hapus');
    expect(translate('id', 'act.delete.confirm')).toBe('File dan data akan dihapus permanen');
    expect(translate('id', 'job.rerun')).toBe('Jalankan lagi');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'hist.page', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(translate('id', 'cfg.sites.selected', { n: 3 })).toBe('3 dipilih');
    expect(translate('en', 'hist.page', { page: 2 })).toBe('Page 2 of {pages}');
  });

  it('has every key in both languages, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(id[key], key).toBeTruthy();
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(ph(id[key]), key).toBe(ph(en[key]));
    }
  });

  it('translates every error code of the contract', () => {
    for (const code of ERROR_CODES) expect(Object.hasOwn(en, `err.${code}`), code).toBe(true);
  });

  it('picks the language from the stored choice, then the browser, else Indonesian', () => {
    expect(detectLang(['en-US', 'id'])).toBe('en');
    expect(detectLang(['id-ID', 'en'])).toBe('id');
    expect(detectLang(['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLang(['fr-FR'])).toBe('id');
    expect(detectLang(['en-US'], 'id')).toBe('id');
    expect(detectLang(undefined, null)).toBe('id');
  });

  it('the store toggles, remembers the choice and translates error codes', () => {
    const mem = new Map<string, string>();
    const storage = {
      getItem: (k: string) => mem.get(k) ?? null,
      setItem: (k: string, v: string) => void mem.set(k, v),
    };
    const i18n = new I18n(storage, ['en-US']);
    expect(i18n.lang).toBe('en');
    expect(i18n.t('dash.run')).toBe('Run Forecast');
    i18n.toggle();
    expect(i18n.lang).toBe('id');
    expect(i18n.t('dash.run')).toBe('Jalankan Forecast');
    expect(i18n.locale).toBe('id-ID');
    expect(new I18n(storage, ['en-US']).lang).toBe('id');
    expect(i18n.errorParts({ code: 'JOB_FINISHED', message: 'job abc is COMPLETED' })).toEqual({
      text: 'Job sudah selesai.',
      detail: 'job abc is COMPLETED',
    });
    expect(i18n.errorLabel({ code: 'BAD_CREDENTIALS', message: 'Wrong username or password.' })).toBe(
      'Nama pengguna atau kata sandi salah.',
    );
    expect(i18n.errorLabel({ code: 'SOMETHING_NEW', message: 'raw text' })).toBe('raw text');
    // issue 13 item 8: a known code's words, the server's English apart (the dashboard folds it away)
    expect(i18n.errorParts({ code: 'MISSING_COLUMNS', message: 'Missing required column: date.' })).toEqual({
      text: 'Kolom wajib tidak ada.',
      detail: 'Missing required column: date.',
    });
    expect(i18n.errorParts({ code: 'SOMETHING_NEW', message: 'raw text' })).toEqual({ text: 'raw text', detail: null });
  });
});
