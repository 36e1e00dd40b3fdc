/**
 * Words for the codes the server sends (stages, failures, preview problems, demand classes, methods). Each
 * dictionary is keyed by the contract's value sets, so a code added there without words here fails the
 * typecheck; messages.ts merges them into `en` and `id`.
 */
import type { EngineStep, JobFailureCode, StageCode } from '$contract/stages.js';
import type { DemandClass, NoticeCode, OutputMethod, PartsValueColumn, PreviewIssueCode } from '$contract/vocab.js';

export type WordKey =
  | `stage.${StageCode}`
  | `step.${EngineStep}`
  | `fail.${JobFailureCode}`
  | `problem.${PreviewIssueCode}`
  | `notice.${Exclude<NoticeCode, PreviewIssueCode>}`
  | `partscol.${PartsValueColumn}`
  | `class.${DemandClass}`
  | `method.${OutputMethod}`
  | `example.${'value' | 'part' | 'line' | 'blank'}`
  | 'cancel.by.user'
  | 'cancel.by'
  | 'error.detail'
  | 'chart.time';

export const wordsEn: Record<WordKey, string> = {
  'stage.queued': 'Waiting in the queue',
  'stage.starting': 'Starting',
  'stage.reading': 'Reading the file',
  'stage.forecasting': 'Forecasting site {site}',
  'stage.forecasting_sites': 'Forecasting: {done} of {total} sites done',
  'stage.writing': 'Writing the results',
  'stage.completed': 'Finished',
  'stage.failed': 'Stopped by an error',
  'stage.cancelled': 'Stopped',
  'stage.requeued_shutdown': 'Back in the queue (the server was shut down)',
  'stage.requeued_restart': 'Back in the queue (the server restarted)',
  'step.reading': 'reading',
  'step.backtesting': 'testing methods on past demand',
  'step.writing': 'writing the forecast',
  'step.done': 'site done',
  'fail.INTERRUPTED': 'The server restarted twice while this job ran; run it again.',
  'fail.UPLOAD_MISSING': 'The uploaded file is missing from the server storage; upload it again.',
  'fail.PARTS_MISSING': 'The parts file of this job is missing from the server storage; upload it again.',
  'problem.BAD_QUANTITY': '{count} rows with a quantity that is not a number; excluded',
  'problem.NEGATIVE_QUANTITY': '{count} rows with a negative quantity; excluded',
  'problem.HUGE_QUANTITY': '{count} rows with a quantity above {max} (not a plausible demand); excluded',
  'problem.BLANK_PARTNUMBER': '{count} rows with a blank part number; excluded',
  'problem.BLANK_SITE': '{count} rows with a blank site code; excluded',
  'problem.BAD_DATES': '{count} rows with a date that cannot be read as {order}; excluded',
  'problem.SCIENTIFIC_PARTNUMBER':
    '{count} rows have part numbers that look mangled by Excel into scientific notation (kept as written): ' +
    'format the column as text in Excel and export again',
  'notice.DATES_AMBIGUOUS': 'The dates are ambiguous: they were read as {order}.',
  'notice.FREQUENCY_OVERRIDE': 'The dates look {detected} but {requested} was requested: demand is summed per period.',
  'notice.TRAIN_CUTOFF': 'Forecasting from {from}: only demand before it is used (the file runs to {last}).',
  'notice.DUPLICATES_SUMMED': '{count} rows repeated an earlier (date, part, site) and were summed into it.',
  'notice.PARTS_BAD_VALUE':
    "Parts file: {count} {column} are not valid numbers and were left out; the job's default is used",
  'notice.PARTS_BLANK_PART': 'Parts file: {count} rows have no part number and were skipped',
  'notice.PARTS_DUPLICATE': 'Parts file: {count} rows repeat an earlier part and site; the first one is used',
  'notice.PARTS_UNKNOWN': 'Parts file: {count} rows name a part or site that is not forecast and were not used',
  'notice.PARTS_UNCOVERED':
    "The parts file covers {covered} of {total} series; the others are planned with the job's defaults.",
  'partscol.lead_time_days': 'lead times (days)',
  'partscol.lead_time_periods': 'lead times (periods, whole numbers)',
  'partscol.unit_cost': 'unit costs',
  'partscol.service_level': 'service levels (0.5–0.999 or 50–99.9 %)',
  'partscol.review_periods': 'review periods (whole numbers)',
  'partscol.on_hand': 'on-hand quantities',
  'partscol.on_order': 'on-order quantities',
  'example.value': 'line {line}: {value}',
  'example.part': 'line {line} (part {part})',
  'example.line': 'line {line}',
  'example.blank': '(blank)',
  'class.smooth': 'Smooth',
  'class.erratic': 'Erratic',
  'class.intermittent': 'Intermittent',
  'class.lumpy': 'Lumpy',
  'class.no_demand': 'No demand',
  'method.naive': 'Naive (last value)',
  'method.snaive': 'Seasonal naive',
  'method.ma': 'Moving average',
  'method.mean': 'Mean',
  'method.ses': 'Exponential smoothing (SES)',
  'method.ets': 'Exponential smoothing with trend (ETS)',
  'method.croston': 'Croston',
  'method.sba': 'SBA (Croston, bias-corrected)',
  'method.tsb': 'TSB',
  'method.adida': 'ADIDA (aggregated)',
  'method.imapa': 'IMAPA',
  'method.comb': 'Combination of methods',
  'method.stack': 'Weighted blend of methods',
  'method.none': 'None (no demand)',
  'cancel.by.user': 'Stopped by a user',
  'cancel.by': 'Stopped by {name}',
  'error.detail': 'Details',
  'chart.time': 'Date',
};

export const wordsId: Record<WordKey, string> = {
  'stage.queued': 'Menunggu di antrean',
  'stage.starting': 'Memulai',
  'stage.reading': 'Membaca file',
  'stage.forecasting': 'Memproses site {site}',
  'stage.forecasting_sites': 'Memproses: {done} dari {total} site selesai',
  'stage.writing': 'Menulis hasil',
  'stage.completed': 'Selesai',
  'stage.failed': 'Terhenti karena kesalahan',
  'stage.cancelled': 'Dihentikan',
  'stage.requeued_shutdown': 'Kembali ke antrean (server dimatikan)',
  'stage.requeued_restart': 'Kembali ke antrean (server dinyalakan ulang)',
  'step.reading': 'membaca',
  'step.backtesting': 'menguji metode pada permintaan lalu',
  'step.writing': 'menulis hasil forecast',
  'step.done': 'site selesai',
  'fail.INTERRUPTED': 'Server dinyalakan ulang dua kali selama job ini berjalan; jalankan lagi.',
  'fail.UPLOAD_MISSING': 'File unggahan tidak ada lagi di penyimpanan server; unggah ulang.',
  'fail.PARTS_MISSING': 'File part job ini tidak ada lagi di penyimpanan server; unggah ulang.',
  'problem.BAD_QUANTITY': '{count} baris dengan jumlah yang bukan angka; tidak dipakai',
  'problem.NEGATIVE_QUANTITY': '{count} baris dengan jumlah negatif; tidak dipakai',
  'problem.HUGE_QUANTITY': '{count} baris dengan jumlah di atas {max} (tidak masuk akal); tidak dipakai',
  'problem.BLANK_PARTNUMBER': '{count} baris tanpa nomor part; tidak dipakai',
  'problem.BLANK_SITE': '{count} baris tanpa kode site; tidak dipakai',
  'problem.BAD_DATES': '{count} baris dengan tanggal yang tidak bisa dibaca sebagai {order}; tidak dipakai',
  'problem.SCIENTIFIC_PARTNUMBER':
    '{count} baris punya nomor part yang tampak diubah Excel menjadi notasi ilmiah (dipakai apa adanya): ' +
    'format kolomnya sebagai teks di Excel lalu ekspor ulang',
  'notice.DATES_AMBIGUOUS': 'Tanggal ambigu: dibaca sebagai {order}.',
  'notice.FREQUENCY_OVERRIDE':
    'Tanggal tampak {detected} tetapi yang diminta {requested}: permintaan dijumlahkan per periode.',
  'notice.TRAIN_CUTOFF': 'Forecast mulai {from}: hanya permintaan sebelum itu yang dipakai (file sampai {last}).',
  'notice.DUPLICATES_SUMMED': '{count} baris mengulang (tanggal, part, site) yang sudah ada dan dijumlahkan ke sana.',
  'notice.PARTS_BAD_VALUE':
    'File part: {count} {column} bukan angka yang sah dan tidak dipakai; nilai bawaan job yang dipakai',
  'notice.PARTS_BLANK_PART': 'File part: {count} baris tanpa nomor part dan dilewati',
  'notice.PARTS_DUPLICATE': 'File part: {count} baris mengulang part dan site sebelumnya; baris pertama yang dipakai',
  'notice.PARTS_UNKNOWN': 'File part: {count} baris menyebut part atau site yang tidak di-forecast dan tidak dipakai',
  'notice.PARTS_UNCOVERED':
    'File part mencakup {covered} dari {total} seri; sisanya direncanakan dengan nilai bawaan job.',
  'partscol.lead_time_days': 'lead time (hari)',
  'partscol.lead_time_periods': 'lead time (periode, bilangan bulat)',
  'partscol.unit_cost': 'harga satuan',
  'partscol.service_level': 'tingkat layanan (0,5–0,999 atau 50–99,9 %)',
  'partscol.review_periods': 'periode review (bilangan bulat)',
  'partscol.on_hand': 'stok tersedia',
  'partscol.on_order': 'jumlah dalam pesanan',
  'example.value': 'baris {line}: {value}',
  'example.part': 'baris {line} (part {part})',
  'example.line': 'baris {line}',
  'example.blank': '(kosong)',
  'class.smooth': 'Stabil',
  'class.erratic': 'Fluktuatif',
  'class.intermittent': 'Sporadis',
  'class.lumpy': 'Sporadis fluktuatif',
  'class.no_demand': 'Tanpa permintaan',
  'method.naive': 'Naif (nilai terakhir)',
  'method.snaive': 'Naif musiman',
  'method.ma': 'Rata-rata bergerak',
  'method.mean': 'Rata-rata',
  'method.ses': 'Pemulusan eksponensial (SES)',
  'method.ets': 'Pemulusan eksponensial bertren (ETS)',
  'method.croston': 'Croston',
  'method.sba': 'SBA (Croston terkoreksi)',
  'method.tsb': 'TSB',
  'method.adida': 'ADIDA (agregasi)',
  'method.imapa': 'IMAPA',
  'method.comb': 'Kombinasi metode',
  'method.stack': 'Gabungan metode berbobot',
  'method.none': 'Tidak ada (tanpa permintaan)',
  'cancel.by.user': 'Dihentikan oleh pengguna',
  'cancel.by': 'Dihentikan oleh {name}',
  'error.detail': 'Rincian',
  'chart.time': 'Tanggal',
};
