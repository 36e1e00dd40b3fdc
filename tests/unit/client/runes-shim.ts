/**
 * Lets the client's `.svelte.ts` stores run in plain Node without the Svelte compiler: `$state(x)`
 * becomes `x`. The stores use `$state` only (derived values are getters), so their logic runs
 * unchanged; reactivity itself is Svelte's job and is exercised in the browser (tests/e2e).
 * Import this before any store.
 */
const g = globalThis as Record<string, unknown>;
if (typeof g.$state !== 'function') {
  const state = Object.assign(<T>(v?: T) => v, {
    raw: <T>(v?: T) => v,
    snapshot: <T>(v: T) => structuredClone(v),
  });
  g.$state = state;
}
export {};
