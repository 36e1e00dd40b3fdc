/**
 * Where multer puts an upload's files: tmp/ under server-made names, with one byte budget for the whole
 * request, so the demand file and the parts file together stay within MAX_UPLOAD_MB. busboy's own per-file
 * limit still cuts any one file at the budget; past the budget the rest of a file is read and dropped (not
 * written), and the file fails with LIMIT_FILE_SIZE (the receiver removes what was written).
 */
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import multer from 'multer';
import type { StoragePaths } from '../storage/paths.js';

/** What the storage remembers on the request: every temp file it started, and the bytes received. */
export type UploadRequest = Request & { uploadTmps?: string[]; uploadBytes?: number };

export function budgetStorage(paths: StoragePaths, maxBytes: number): multer.StorageEngine {
  return {
    _handleFile(req, file, cb) {
      const r = req as UploadRequest;
      const target = paths.tmpFile(file.fieldname === 'parts' ? 'parts' : 'upload');
      (r.uploadTmps ??= []).push(target);
      let size = 0;
      let over = false;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          r.uploadBytes = (r.uploadBytes ?? 0) + chunk.length;
          if (r.uploadBytes > maxBytes) over = true;
          if (over) return done();
          size += chunk.length;
          done(null, chunk);
        },
      });
      pipeline(file.stream, count, createWriteStream(target, { flags: 'wx' })).then(
        () =>
          over
            ? cb(new multer.MulterError('LIMIT_FILE_SIZE', file.fieldname))
            : cb(null, { path: target, size, destination: paths.tmp, filename: path.basename(target) }),
        (err: unknown) => cb(err as Error),
      );
    },
    _removeFile(_req, file, cb) {
      fs.rm(file.path, { force: true }).then(
        () => cb(null),
        (err: unknown) => cb(err as Error),
      );
    },
  };
}
