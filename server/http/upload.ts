/**
 * Multipart uploads: a `file` field (the demand) and an optional `parts` field (the inventory plan's parts
 * file), streamed to tmp/ under generated names, then checked. A rejected upload leaves no file behind,
 * whatever failed.
 */
import type { Request, Response } from 'express';
import multer from 'multer';
import { AppError } from '../contract/errors.js';
import { jobConfigSchema, describeZodError } from '../contract/schemas.js';
import type { DateFormat, JobConfig } from '../contract/dto.js';
import { engine, inspectPartsHead, InputError, namePartsFile, type HeadInfo } from '../forecast/index.js';
import { storageError } from './errors.js';
import { inflateLimit, zipInflateVerdict } from './zip-limit.js';
import { abandoned, createUploadGate, type UploadGate } from './upload-gate.js';
import { cleanFilename, removeQuietly, uploadExtension, type StoragePaths } from '../storage/paths.js';
import { budgetStorage, type UploadRequest } from './upload-storage.js';

/** One received file in tmp/. */
export interface ReceivedFile {
  tmpPath: string;
  originalName: string;
  size: number;
}

export interface ReceivedUpload extends ReceivedFile {
  /** The optional parts file (field `parts`). */
  parts: ReceivedFile | null;
  fields: Record<string, string>;
  /** Aborts when the client goes away before the answer is sent: the check stops and nothing is created. */
  signal: AbortSignal;
  /** Bounds how many uploads are checked at once. */
  gate: UploadGate;
}

/** Uploads checked at once, and how long another waits for a slot before a 429. */
const CHECK_SLOTS = 2;
const CHECK_WAIT_MS = 15_000;

/** Removes every temp file of an upload (moved away on success: then nothing happens). */
export async function discardUpload(upload: ReceivedUpload): Promise<void> {
  await Promise.all([removeQuietly(upload.tmpPath), removeQuietly(upload.parts?.tmpPath)]);
}

export function createUploadReceiver(paths: StoragePaths, maxBytes: number) {
  const middleware = multer({
    storage: budgetStorage(paths, maxBytes),
    limits: { fileSize: maxBytes, files: 2, fields: 20, fieldSize: 1024 * 1024, parts: 25 },
    // Browsers send UTF-8 file names without declaring a charset.
    defParamCharset: 'utf8',
  }).fields([
    { name: 'file', maxCount: 1 },
    { name: 'parts', maxCount: 1 },
  ]);
  const gate = createUploadGate(CHECK_SLOTS, CHECK_WAIT_MS);

  /** Receives the upload; throws AppError (and removes any partial file) on failure. */
  return async function receive(req: Request, res: Response): Promise<ReceivedUpload> {
    const ctl = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) ctl.abort();
    });
    try {
      await new Promise<void>((resolve, reject) =>
        middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      await Promise.all(((req as UploadRequest).uploadTmps ?? []).map((f) => removeQuietly(f)));
      const storage = storageError(err);
      if (storage) throw storage;
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE')
          throw new AppError(
            413,
            'FILE_TOO_LARGE',
            `The upload is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB ` +
              '(the demand file and the parts file count together).',
          );
        throw new AppError(400, 'BAD_REQUEST', multerMessage(err));
      }
      throw new AppError(400, 'BAD_REQUEST', 'The upload could not be read (broken multipart request).');
    }
    const files = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>;
    const file = files.file?.[0];
    const parts = files.parts?.[0];
    const received = (f: Express.Multer.File): ReceivedFile => ({
      tmpPath: f.path,
      originalName: cleanFilename(f.originalname),
      size: f.size,
    });
    if (!file) {
      await removeQuietly(parts?.path);
      throw new AppError(400, 'NO_FILE', 'No file was sent: attach a CSV or XLSX file in the field "file".');
    }
    return {
      ...received(file),
      parts: parts ? received(parts) : null,
      fields: { ...(req.body as Record<string, string>) },
      signal: ctl.signal,
      gate,
    };
  };
}

/** One readable sentence per multer limit: what was wrong with the request and what to send instead. */
function multerMessage(err: multer.MulterError): string {
  switch (err.code) {
    case 'LIMIT_FIELD_VALUE':
      return `The form field "${err.field ?? 'config'}" is too long (at most 1 MB): send the configuration as a short JSON object.`;
    case 'LIMIT_FILE_COUNT':
      return 'Too many files were sent: upload one demand file in the field "file" and at most one parts file in "parts".';
    case 'LIMIT_UNEXPECTED_FILE':
      if (err.field === 'file' || err.field === 'parts')
        return `More than one file was sent in the field "${err.field}": upload one demand file in "file" and at most one parts file in "parts".`;
      return (
        `A file was sent in the field "${err.field ?? '?'}": send the demand file in the field "file" ` +
        'and the parts file (optional) in "parts", one each.'
      );
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
      return 'The form has too many fields: send the demand file in "file", the parts file (optional) in "parts" and the configuration in "config".';
    default:
      // our own words for the rest (field names too long or nested): the library's text is not shown
      return 'The upload form is not as expected: send one file in the field "file" and the configuration in "config".';
  }
}

/**
 * Checks type, head and columns of an uploaded file (and its parts file); throws AppError 400, readable.
 * With `partsProblem`, a bad parts file is handed to it instead (the demand file is still checked).
 */
export async function checkUploadedFile(
  upload: ReceivedUpload,
  partsProblem?: (err: AppError) => void,
): Promise<HeadInfo> {
  const release = await upload.gate.acquire(upload.signal);
  try {
    await checkContainer(upload, 'The file', upload.signal);
    let head: HeadInfo;
    try {
      head = await engine.inspectHead(upload.tmpPath, upload.originalName);
    } catch (err) {
      if (err instanceof InputError) throw new AppError(400, err.code, err.message);
      throw err;
    }
    if (upload.signal.aborted) throw abandoned();
    if (upload.parts)
      await checkPartsFile(upload.parts, upload.signal).catch((err: unknown) => {
        if (!partsProblem || !(err instanceof AppError) || upload.signal.aborted) throw err;
        partsProblem(err);
      });
    if (upload.signal.aborted) throw abandoned();
    return head;
  } finally {
    release();
  }
}

/** An overrides file's type, emptiness and zip bomb check (its columns are read by the worker). */
export async function checkOverridesUpload(upload: ReceivedUpload): Promise<void> {
  const release = await upload.gate.acquire(upload.signal);
  try {
    await checkContainer(upload, 'The overrides file', upload.signal);
  } finally {
    release();
  }
}

/**
 * The parts file's type and header: a part column and at least one value column (lead time, cost, …).
 * Its errors name it: two files were sent.
 */
async function checkPartsFile(parts: ReceivedFile, signal: AbortSignal): Promise<void> {
  try {
    await checkContainer(parts, 'The parts file', signal);
    await inspectPartsHead(parts.tmpPath, parts.originalName);
  } catch (err) {
    if (err instanceof InputError) throw new AppError(400, err.code, namePartsFile(parts.originalName, err.message));
    if (err instanceof AppError && err.status === 400)
      throw new AppError(400, err.code, namePartsFile(parts.originalName, err.message));
    throw err;
  }
}

/** Extension, emptiness and zip bombs, the same for both files. */
async function checkContainer(upload: ReceivedFile, what: string, signal: AbortSignal): Promise<void> {
  if (!uploadExtension(upload.originalName))
    throw new AppError(
      400,
      'UNSUPPORTED_FILE',
      `"${upload.originalName}" is not a CSV or XLSX file. Upload a .csv or .xlsx file.`,
    );
  if (upload.size === 0) throw new AppError(400, 'EMPTY_FILE', `${what} is empty.`);
  const limit = inflateLimit(upload.size);
  const verdict = await zipInflateVerdict(upload.tmpPath, limit, signal);
  if (signal.aborted) throw abandoned();
  if (!verdict) return;
  const name = `"${upload.originalName}"`;
  const again = 'Save the data as .csv, or as an ordinary .xlsx, and upload it again.';
  if (verdict.part === 'broken')
    throw new AppError(
      400,
      'DAMAGED_FILE',
      `${name} is a damaged Excel workbook: part of it cannot be unzipped. ${again}`,
    );
  if (verdict.part === 'mismatch')
    throw new AppError(
      400,
      'DAMAGED_FILE',
      `${name} is not an ordinary Excel workbook: the parts stored in it differ from its own list of parts. ${again}`,
    );
  const mb = Math.round(verdict.limit / 1024 / 1024);
  const kb = Math.round(upload.size / 1024);
  throw new AppError(
    400,
    'DAMAGED_FILE',
    verdict.part === 'workbook'
      ? `${name} is a workbook that expands to more than ${mb} MB when unzipped (${kb} KB uploaded), ` +
          `which no demand sheet needs. ${again}`
      : `${name} holds more than ${mb} MB of shared text when unzipped (${kb} KB uploaded), ` +
          `far more than its cells can use. ${again}`,
  );
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
