// Pagefind, as Nashra's search box loads it: on an Arabic page each Arabic word of a query is
// searched by its light stem, the form the page's "stems" metadata holds (nashra.site.search_stems).
// The rules below are written from nashra.text when the site is indexed.
import * as pagefind from "../pagefind.js";

export * from "../pagefind.js";

const RULES = /*RULES*/null;
const WORD = new RegExp(RULES.word, "gu");
const DIACRITICS = new RegExp(RULES.diacritics, "gu");

/** nashra.text.arabic.normalize_arabic */
export function normalize(text) {
  let out = "";
  for (const char of text.replace(DIACRITICS, "")) {
    out += Object.hasOwn(RULES.letters, char) ? RULES.letters[char] : char;
  }
  return out.toLowerCase();
}

const length = (text) => [...text].length;

/** nashra.text.tokens.light_stem(word, "ar"): one prefix and one suffix off, three letters kept. */
export function lightStem(word) {
  for (const prefix of RULES.prefixes) {
    if (word.startsWith(prefix) && length(word) - length(prefix) >= 3) {
      word = word.slice(prefix.length);
      break;
    }
  }
  for (const suffix of RULES.suffixes) {
    if (word.endsWith(suffix) && length(word) - length(suffix) >= 3) {
      return word.slice(0, word.length - suffix.length);
    }
  }
  return word;
}

/** nashra.site.search_stems.search_stem */
export const searchStem = (word) => lightStem(normalize(word));

/** The query with each Arabic word replaced by its search stem; other words as typed. */
export const processTerm = (term) => term.replace(WORD, searchStem);

const arabicPage = () => /^ar\b/i.test(document.documentElement.lang || "");
const query = (term) => (typeof term === "string" && arabicPage() ? processTerm(term) : term);

export const search = (term, options) => pagefind.search(query(term), options);
export const debouncedSearch = (term, options, ms) => pagefind.debouncedSearch(query(term), options, ms);
export const preload = (term, options) => pagefind.preload(query(term), options);

export function createInstance(options) {
  const instance = pagefind.createInstance(options);
  return {
    ...instance,
    search: (term, more) => instance.search(query(term), more),
    debouncedSearch: (term, more, ms) => instance.debouncedSearch(query(term), more, ms),
    preload: (term, more) => instance.preload(query(term), more),
  };
}
