// Pagefind, as Nashra's search box loads it: on an Arabic page each Arabic word of a query is
// searched by its light stem, the form the page's "stems" metadata holds (nashra.site.search_stems).
// The rules below are written from nashra.text when the site is indexed.
//
// An archive's index is in parts (nashra.site.search_parts): this bundle's own index holds the
// newest day, and every other part (a day of the newest month, or an older month) is a bundle of
// its own under ../parts/, merged into each search (Pagefind's multisite search). PARTS lists them.
import * as pagefind from "../pagefind.js";

export * from "../pagefind.js";

const RULES = /*RULES*/null;
const PARTS = /*PARTS*/[];
const MAIN = /*MAIN*/"";
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

/** Where a part's bundle lies: beside this module's own bundle, so a site served under a sub-path finds it. */
const partPath = (part) => new URL(`../parts/${part}/`, import.meta.url).pathname;

// Every page is marked with its part (a synthetic filter of Pagefind's multisite search). Pagefind
// searches a word that no word of a part starts with by the longest prefix of it that the part
// holds ("government" finds "go" in a day that never says "government"): in one index of the
// whole site that is rare, in a day's small part common. So each word is searched only in the
// parts that hold it: those where an exact search of it (which never backtracks) finds a page,
// and those whose best page for it has a word that starts with it (a part either holds such words
// and finds them, or backtracks for all its pages, so one page tells).
const PART = "nashra-part";
const NO_PART = "-";

/** The words a result's page was indexed by, as the query module writes a query's words. */
const indexedWords = (data) => {
  const text = [data?.content, data?.meta?.title, data?.meta?.[RULES.meta]].filter(Boolean).join(" ");
  // Pagefind also splits a word where its script changes ("طopop" is indexed as "ط" and "opop").
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)
    .flatMap((w) => [w, ...(w.match(/\p{Script=Arabic}+|[^\p{Script=Arabic}]+/gu) ?? [])]);
  return words.flatMap((w) => [w, searchStem(w)]);
};

/** What a page's word must start with to match ``word`` by extension, not by backtracking: an Arabic
 * word is searched by its stem, as the page's stems are written; Pagefind's English stemmer may take
 * a suffix off a query word first ("minis" is searched as "mini" and finds "minimum"), so three
 * quarters of it, at least three letters. */
const head = (word) => {
  const lower = word.toLowerCase();
  return /\p{Script=Arabic}/u.test(lower) ? lower : lower.slice(0, Math.max(3, Math.ceil(lower.length * 0.75)));
};

/** Whether the best page of ``part`` for ``word`` holds a word starting with it (not a backtracked match). */
const holdsPrefix = async (instance, word, part, filters) => {
  const found = await instance.search(word, { filters: { ...filters, [PART]: part } });
  const best = found?.results?.[0];
  const start = head(word);
  return Boolean(best) && indexedWords(await best.data()).some((w) => w.startsWith(start));
};

const partsOf = (response) => {
  const counts = response?.filters?.[PART] ?? {};
  return Object.keys(counts).filter((part) => counts[part] > 0);
};

/** The parts holding ``word``. */
const holding = async (instance, word, filters = {}) => {
  const exact = new Set(partsOf(await instance.search(`"${word}"`, { filters })));
  const others = partsOf(await instance.search(word, { filters })).filter((part) => !exact.has(part));
  const checked = await Promise.all(others.map((part) => holdsPrefix(instance, word, part, filters)));
  return [...exact, ...others.filter((_, i) => checked[i])];
};

/** Search ``instance`` (the main index with every part merged) for ``term`` without backtracked words. */
const searchParts = async (instance, term, options = {}) => {
  const typed = query(term);
  if (!PARTS.length || typeof typed !== "string" || /"/.test(typed) || !typed.trim()) {
    return instance.search(typed, options);
  }
  let allowed = null;
  for (const word of typed.trim().split(/\s+/)) {
    const parts = await holding(instance, word, options.filters);
    allowed = allowed ? allowed.filter((part) => parts.includes(part)) : parts;
  }
  // No part holds every word: no page is found ("any" of no part would be no filter at all).
  const parts = allowed.length ? allowed : [NO_PART];
  return instance.search(typed, { ...options, filters: { ...(options.filters ?? {}), [PART]: { any: parts } } });
};

/** ``instance`` with every part merged into it once, before its first search. */
const merged = (instance) => {
  let ready = null;
  const merge = () => (ready ??= Promise.all([
    instance.options({ mergeFilter: { [PART]: MAIN } }),
    ...PARTS.map((part) => instance.mergeIndex(partPath(part), { mergeFilter: { [PART]: part } })),
  ]));
  let latest = 0;
  return {
    search: async (term, options) => (await merge(), searchParts(instance, term, options)),
    debouncedSearch: async (term, options, ms = 300) => {
      const mine = ++latest;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (mine !== latest) return null;
      await merge();
      return mine === latest ? searchParts(instance, term, options) : null;
    },
    preload: async (term, options) => (await merge(), instance.preload(query(term), options)),
    filters: async () => (await merge(), instance.filters()),
  };
};

const main = merged(pagefind);
export const search = main.search;
export const debouncedSearch = main.debouncedSearch;
export const preload = main.preload;
export const filters = main.filters;

export function createInstance(options) {
  const instance = pagefind.createInstance(options);
  return { ...instance, ...merged(instance) };
}
