/**
 * Disk full or unwritable storage, from Node (ENOSPC, EACCES…) or SQLite (SQLITE_FULL…). The code may be
 * the error's cause: a worker thread's error keeps only its message and cause (workers/forecast.worker.ts).
 */
export function storageProblem(err: unknown): 'full' | 'unwritable' | null {
  const e = err as { code?: string; message?: string; parent?: { code?: string }; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.parent?.code ?? (typeof e?.cause?.code === 'string' ? e.cause.code : '');
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || /SQLITE_FULL|database or disk is full/.test(e?.message ?? '')) return 'full';
  if (['EACCES', 'EROFS', 'EPERM', 'ENOTDIR', 'EISDIR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'].includes(code)) return 'unwritable';
  return null;
}
