/**
 * Multipart uploads: one `file` field streamed to tmp/ under a generated name, then checked. A
 * rejected upload leaves no file behind, whatever failed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInflateRaw } from 'node:zlib';
import type { Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../contract/errors.js';
import { jobConfigSchema, describeZodError } from '../contract/schemas.js';
import type { JobConfig } from '../contract/dto.js';
import { engine, InputError, type HeadInfo } from '../forecast/index.js';
import { storageError } from './errors.js';
import { cleanFilename, removeQuietly, uploadExtension, type StoragePaths } from '../storage/paths.js';

export interface ReceivedUpload {
  tmpPath: string;
  originalName: string;
  size: number;
  fields: Record<string, string>;
}

export function createUploadReceiver(paths: StoragePaths, maxBytes: number) {
  const middleware = multer({
    storage: multer.diskStorage({
      destination: paths.tmp,
      filename: (req, _file, cb) => {
        const name = path.basename(paths.tmpFile('upload'));
        (req as Request & { uploadTmp?: string }).uploadTmp = path.join(paths.tmp, name);
        cb(null, name);
      },
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 1024 * 1024, parts: 25 },
    // Browsers send UTF-8 file names without declaring a charset.
    defParamCharset: 'utf8',
  }).single('file');

  /** Receives the upload; throws AppError (and removes any partial file) on failure. */
  return async function receive(req: Request, res: Response): Promise<ReceivedUpload> {
    try {
      await new Promise<void>((resolve, reject) => middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    } catch (err) {
      await removeQuietly((req as Request & { uploadTmp?: string }).uploadTmp);
      const storage = storageError(err);
      if (storage) throw storage;
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE')
          throw new AppError(413, 'FILE_TOO_LARGE', `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
        throw new AppError(400, 'BAD_REQUEST', multerMessage(err));
      }
      throw new AppError(400, 'BAD_REQUEST', 'The upload could not be read (broken multipart request).');
    }
    const file = req.file;
    if (!file) throw new AppError(400, 'NO_FILE', 'No file was sent: attach a CSV or XLSX file in the field "file".');
    return {
      tmpPath: file.path,
      originalName: cleanFilename(file.originalname),
      size: file.size,
      fields: { ...(req.body as Record<string, string>) },
    };
  };
}

/** One readable sentence per multer limit: what was wrong with the request and what to send instead. */
function multerMessage(err: multer.MulterError): string {
  switch (err.code) {
    case 'LIMIT_FIELD_VALUE':
      return `The form field "${err.field ?? 'config'}" is too long (at most 1 MB): send the configuration as a short JSON object.`;
    case 'LIMIT_FILE_COUNT':
      return 'More than one file was sent: upload one CSV or XLSX file per job, in the field "file".';
    case 'LIMIT_UNEXPECTED_FILE':
      return `A file was sent in the field "${err.field ?? '?'}": send it in the field "file".`;
    default:
      return `Upload rejected: ${err.message} (send one file in the field "file" and the configuration in "config").`;
  }
}

/** Checks type, head and columns of an uploaded file; throws AppError 400 with a planner-readable message. */
export async function checkUploadedFile(upload: ReceivedUpload): Promise<HeadInfo> {
  if (!uploadExtension(upload.originalName))
    throw new AppError(400, 'UNSUPPORTED_FILE', `"${upload.originalName}" is not a CSV or XLSX file. Upload a .csv or .xlsx file.`);
  if (upload.size === 0) throw new AppError(400, 'EMPTY_FILE', 'The file is empty.');
  const limit = inflateLimit(upload.size);
  const inflated = await zipInflatesBeyond(upload.tmpPath, limit);
  if (inflated)
    throw new AppError(
      400,
      'UNSUPPORTED_FILE',
      `"${upload.originalName}" is a workbook that expands to more than ${Math.round(limit / 1024 / 1024)} MB when unzipped (${Math.round(upload.size / 1024)} KB uploaded), ` +
        'which no demand sheet needs. Save the data as .csv, or as an ordinary .xlsx, and upload it again.',
    );
  try {
    return await engine.inspectHead(upload.tmpPath, upload.originalName);
  } catch (err) {
    if (err instanceof InputError) throw new AppError(400, err.code, err.message);
    throw err;
  }
}

/** Parses the `config` field (a JSON string); a missing field means every default. */
export function parseConfigField(raw: string | undefined): JobConfig {
  let value: unknown = {};
  if (raw !== undefined && raw.trim() !== '') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError(400, 'INVALID_CONFIG', 'The config field is not valid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError(400, 'INVALID_CONFIG', 'The config field must be a JSON object.');
  const r = jobConfigSchema.safeParse(value);
  if (!r.success) throw new AppError(400, 'INVALID_CONFIG', `Invalid config: ${describeZodError(r.error)}`);
  return r.data;
}

// ---- ZIP (XLSX) expansion limit -------------------------------------------------------------------------
// An .xlsx is a ZIP: a few hundred KB can inflate to gigabytes of sheet XML (a "zip bomb") and the workbook
// reader holds large parts of it in memory. Before anything reads the workbook, every entry listed in the
// central directory is inflated here (streamed, nothing kept) and the upload is refused once the total
// passes the limit. Declared sizes are checked first but not trusted.

/** Total unzipped bytes allowed: 100× the upload, at least 64 MB (real workbooks inflate 5–20×). */
export function inflateLimit(uploadBytes: number): number {
  return Math.max(64 * 1024 * 1024, 100 * uploadBytes);
}

interface ZipEntry {
  method: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

/** Entries of the central directory, or null when the file is not a (parsable, non-ZIP64) ZIP. */
async function zipEntries(file: string): Promise<ZipEntry[] | null> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 22) return null;
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) return null;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return null;
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024) return null;
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: ZipEntry[] = [];
    const local = Buffer.alloc(30);
    for (let p = 0, k = 0; k < count && p + 46 <= cdSize; k++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) return null;
      const e: ZipEntry = { method: cd.readUInt16LE(p + 10), compressed: cd.readUInt32LE(p + 20), declared: cd.readUInt32LE(p + 24), localOffset: cd.readUInt32LE(p + 42) };
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
      // Point at the entry's data: the local header's own name and extra lengths may differ from the directory's.
      if (e.localOffset + 30 > size) return null;
      await fh.read(local, 0, 30, e.localOffset);
      if (local.readUInt32LE(0) !== 0x04034b50) return null;
      e.localOffset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      out.push(e);
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** True when the ZIP's entries inflate to more than `limit` bytes in all (false for anything not a ZIP). */
export async function zipInflatesBeyond(file: string, limit: number): Promise<boolean> {
  const entries = await zipEntries(file).catch(() => null);
  if (!entries) return false;
  // ZIP64 markers (0xFFFFFFFF) mean an entry of 4 GB or more.
  if (entries.some((e) => e.declared === 0xffffffff || e.compressed === 0xffffffff)) return true;
  if (entries.reduce((s, e) => s + e.declared, 0) > limit) return true;
  let total = 0;
  for (const e of entries) {
    if (e.compressed === 0) continue;
    if (e.method === 0) {
      total += e.compressed;
    } else if (e.method === 8) {
      const over = await new Promise<boolean>((resolve) => {
        const src = createReadStream(file, { start: e.localOffset, end: e.localOffset + e.compressed - 1 });
        const inflate = createInflateRaw();
        const finish = (v: boolean) => {
          src.destroy();
          inflate.destroy();
          resolve(v);
        };
        inflate.on('data', (b: Buffer) => {
          total += b.length;
          if (total > limit) finish(true);
        });
        inflate.on('end', () => finish(false));
        // A corrupt entry is the workbook reader's to report, with its own message.
        inflate.on('error', () => finish(false));
        src.on('error', () => finish(false));
        src.pipe(inflate);
      });
      if (over) return true;
    }
    if (total > limit) return true;
  }
  return false;
}
