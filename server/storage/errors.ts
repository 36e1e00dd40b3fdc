/** Disk full or unwritable storage, from Node (ENOSPC, EACCES…) or SQLite (SQLITE_FULL…). */
export function storageProblem(err: unknown): 'full' | 'unwritable' | null {
  const e = err as { code?: string; message?: string; parent?: { code?: string } } | null;
  const code = e?.code ?? e?.parent?.code ?? '';
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || /SQLITE_FULL|database or disk is full/.test(e?.message ?? '')) return 'full';
  if (['EACCES', 'EROFS', 'EPERM', 'ENOTDIR', 'EISDIR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'].includes(code)) return 'unwritable';
  return null;
}
