/** The portal's language: Vietnamese unless the person chose English, remembered in this browser. */
export type Lang = 'vi' | 'en';

const LANG_KEY = 'portal.lang';

export const languageStore = {
  get: (): Lang => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'),
  set: (lang: Lang) => localStorage.setItem(LANG_KEY, lang),
};
