/**
 * Multipart uploads: one `file` field streamed to tmp/ under a generated name, then checked. A
 * rejected upload leaves no file behind, whatever failed.
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../contract/errors.js';
import { jobConfigSchema, describeZodError } from '../contract/schemas.js';
import type { DateFormat, JobConfig } from '../contract/dto.js';
import { engine, InputError, type HeadInfo } from '../forecast/index.js';
import { storageError } from './errors.js';
import { inflateLimit, zipInflatesBeyond } from './zip-limit.js';
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
      await new Promise<void>((resolve, reject) =>
        middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      await removeQuietly((req as Request & { uploadTmp?: string }).uploadTmp);
      const storage = storageError(err);
      if (storage) throw storage;
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE')
          throw new AppError(
            413,
            'FILE_TOO_LARGE',
            `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
          );
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
    throw new AppError(
      400,
      'UNSUPPORTED_FILE',
      `"${upload.originalName}" is not a CSV or XLSX file. Upload a .csv or .xlsx file.`,
    );
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

/** Parses the `config` form field (a JSON string); a missing field means every default. */
export function parseConfigField(raw: string | undefined): JobConfig {
  let value: unknown = {};
  if (raw !== undefined && raw.trim() !== '') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError(400, 'INVALID_CONFIG', 'The config field is not valid JSON.');
    }
  }
  return parseConfigValue(value);
}

/** Validates a config already parsed from JSON (a JSON body's `config`); INVALID_CONFIG when wrong. */
export function parseConfigValue(value: unknown): JobConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError(400, 'INVALID_CONFIG', 'The config field must be a JSON object.');
  const r = jobConfigSchema.safeParse(value);
  if (!r.success) throw new AppError(400, 'INVALID_CONFIG', `Invalid config: ${describeZodError(r.error)}`);
  return r.data;
}

/** The preview's `date_format` field (absent or empty: auto); INVALID_CONFIG when it is none of them. */
export function parseDateFormatField(raw: string | undefined): DateFormat {
  const r = jobConfigSchema.shape.date_format.safeParse(raw || 'auto');
  if (!r.success) throw new AppError(400, 'INVALID_CONFIG', `Invalid config: ${describeZodError(r.error)}`);
  return r.data;
}
