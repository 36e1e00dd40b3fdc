/**
 * Every rejected upload answers 4xx with {error:{code,message}} and leaves no file and no row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bootServer, filesIn, uploadJob, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await bootServer({ env: { MAX_UPLOAD_MB: '0.05' } });
});
afterAll(async () => {
  await s.stop();
});

const good = 'demand_qty,date,partnumber,site_code\n1,2024-01-01,P1,S1\n2,2024-01-02,P1,S1\n';

const cases: {
  name: string;
  file?: { name: string; content: string | Uint8Array };
  config?: string | object;
  status: number;
  code: string;
  message?: RegExp;
}[] = [
  { name: 'no file', config: {}, status: 400, code: 'NO_FILE' },
  {
    name: 'missing columns are named',
    file: { name: 'x.csv', content: 'qty,when,sku\n1,2024-01-01,P1\n' },
    status: 400,
    code: 'MISSING_COLUMNS',
    message: /site_code/,
  },
  { name: 'empty file', file: { name: 'x.csv', content: '' }, status: 400, code: 'EMPTY_FILE' },
  { name: 'not a csv', file: { name: 'x.exe', content: 'MZ\u0000\u0001' }, status: 400, code: 'UNSUPPORTED_FILE' },
  {
    name: 'binary renamed .csv',
    file: { name: 'x.csv', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe, 0, 1, 2, 3]) },
    status: 400,
    code: 'UNSUPPORTED_FILE|BAD_ENCODING|MISSING_COLUMNS|EMPTY_FILE',
  },
  {
    name: 'malformed config JSON',
    file: { name: 'x.csv', content: good },
    config: '{horizon: 3',
    status: 400,
    code: 'INVALID_CONFIG',
    message: /JSON/,
  },
  {
    name: 'horizon out of range',
    file: { name: 'x.csv', content: good },
    config: { forecast_horizon: 400 },
    status: 400,
    code: 'INVALID_CONFIG',
    message: /between 1 and 365/,
  },
  {
    name: 'bad start date',
    file: { name: 'x.csv', content: good },
    config: { forecast_start_date: '31/02/2024' },
    status: 400,
    code: 'INVALID_CONFIG',
    message: /not a date/,
  },
  {
    name: 'unknown config key',
    file: { name: 'x.csv', content: good },
    config: { horizon: 5 },
    status: 400,
    code: 'INVALID_CONFIG',
    message: /horizon/,
  },
  {
    name: 'config not an object',
    file: { name: 'x.csv', content: good },
    config: '[1,2]',
    status: 400,
    code: 'INVALID_CONFIG',
  },
  {
    name: 'too large',
    file: { name: 'x.csv', content: good + '1,2024-01-03,P1,S1\n'.repeat(5000) },
    status: 413,
    code: 'FILE_TOO_LARGE',
  },
];

describe('rejected uploads', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      let status: number;
      let body: { error?: { code: string; message: string } };
      if (c.file) ({ status, body } = await uploadJob(s.url, c.file, c.config as never));
      else {
        const form = new FormData();
        form.append('config', JSON.stringify(c.config));
        const res = await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form });
        status = res.status;
        body = (await res.json()) as typeof body;
      }
      expect(status).toBe(c.status);
      expect(body.error?.code).toMatch(new RegExp(`^(${c.code})$`));
      expect(body.error?.message.length).toBeGreaterThan(5);
      if (c.message) expect(body.error?.message).toMatch(c.message);
      expect(filesIn(s.storage, 'uploads')).toEqual([]);
      expect(filesIn(s.storage, 'tmp')).toEqual([]);
    });
  }

  it('left no rows behind', async () => {
    const list = await api<{ total: number }>(s.url, 'GET', '/api/jobs');
    expect(list.body.total).toBe(0);
  });

  it('a non-multipart POST is a clear 400', async () => {
    const r = await api<{ error: { code: string } }>(s.url, 'POST', '/api/jobs', { config: {} });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('NO_FILE');
  });

  it("a form past multer's limits is answered in our words, never the library's", async () => {
    const post = async (form: FormData) => {
      const res = await fetch(`${s.url}/api/jobs`, { method: 'POST', body: form });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const many = new FormData();
    for (let i = 0; i < 30; i++) many.append(`f${i}`, 'x');
    const a = await post(many);
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/too many fields/);
    const longName = new FormData();
    longName.append('x'.repeat(500), 'y');
    const b = await post(longName);
    expect(b.status).toBe(400);
    for (const m of [a.body.error.message, b.body.error.message]) {
      expect(m).not.toMatch(/Upload rejected|Too many|Field name too long/);
    }
    expect(filesIn(s.storage, 'tmp')).toEqual([]);
  });

  it('unknown API routes answer JSON 404', async () => {
    const r = await api<{ error: { code: string } }>(s.url, 'GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});
