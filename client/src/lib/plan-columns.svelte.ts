/// <reference types="svelte" />
import type { KeyValueStore } from './i18n.svelte.js';
import {
  COLUMNS_STORAGE_KEY,
  PLAN_TABLE_COLUMNS,
  isShown,
  parseColumnChoice,
  shownColumns,
  type ColumnChoice,
  type PlanColumn,
} from './inventory-view.js';

/** The browser's localStorage, or nothing where it is blocked (private mode): the menu then just forgets. */
export function browserStorage(): KeyValueStore | undefined {
  try {
    const s = (globalThis as { localStorage?: KeyValueStore }).localStorage;
    s?.getItem('x');
    return s;
  } catch {
    return undefined;
  }
}

/** The plan table's Columns menu: which columns are drawn, remembered in this browser. */
export class PlanColumns {
  choice = $state<ColumnChoice>({});

  constructor(private readonly storage?: KeyValueStore) {
    this.choice = parseColumnChoice(storage?.getItem(COLUMNS_STORAGE_KEY));
  }

  /** Every column, for the menu. */
  readonly all: readonly PlanColumn[] = PLAN_TABLE_COLUMNS;

  get shown(): PlanColumn[] {
    return shownColumns(this.choice);
  }

  isShown(c: PlanColumn): boolean {
    return isShown(c, this.choice);
  }

  set(c: PlanColumn, on: boolean): void {
    if (c.fixed) return;
    const next = { ...this.choice };
    if (on === c.shown) delete next[c.key];
    else next[c.key] = on;
    this.save(next);
  }

  reset(): void {
    this.save({});
  }

  private save(next: ColumnChoice): void {
    this.choice = next;
    try {
      this.storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // storage full or blocked: the choice holds for this page
    }
  }
}
