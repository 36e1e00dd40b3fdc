/**
 * Multipart uploads: one `file` field streamed to tmp/ under a generated name, then checked. A
 * rejected upload leaves no file behind, whatever failed.
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../contract/errors.js';
import { jobConfigSchema, describeZodError } from '../contract/schemas.js';
import type { JobConfig } from '../contract/dto.js';
import { engine } from '../forecast/index.js';
import { InputError, type HeadInfo } from '../forecast/types.js';
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
        throw new AppError(400, 'BAD_REQUEST', `Upload rejected: ${err.message} (send one file in the field "file").`);
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

/** Checks type, head and columns of an uploaded file; throws AppError 400 with a planner-readable message. */
export async function checkUploadedFile(upload: ReceivedUpload): Promise<HeadInfo> {
  if (!uploadExtension(upload.originalName))
    throw new AppError(400, 'UNSUPPORTED_FILE', `"${upload.originalName}" is not a CSV or XLSX file. Upload a .csv or .xlsx file.`);
  if (upload.size === 0) throw new AppError(400, 'EMPTY_FILE', 'The file is empty.');
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
