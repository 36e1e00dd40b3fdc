/**
 * The Actuals view's words (the job page's "Realisasi / Actuals"): messages.ts merges them into `en` and `id`.
 * Indonesian keeps the planners' loan words (forecast, fill rate, bias) as the rest of the product does.
 */
import type { TrackingException } from '$contract/tracking.js';

export type TrackingKey =
  | `trk.exc.${TrackingException}`
  | `trk.exc.${TrackingException}.help`
  | `trk.${
      | 'title'
      | 'help'
      | 'waiting'
      | 'unavailable'
      | 'deleted'
      | 'failed'
      | 'empty'
      | 'empty.origin'
      | 'empty.later'
      | 'drop'
      | 'drop.replace'
      | 'drop.hint'
      | 'sending'
      | 'send.failed'
      | 'remove'
      | 'remove.confirm'
      | 'remove.subject'
      | 'remove.yes'
      | 'remove.failed'
      | 'polling'
      | 'source'
      | 'source.file'
      | 'source.job'
      | 'source.job.name'
      | 'periods'
      | 'periods.value'
      | 'periods.range'
      | 'series'
      | 'series.value'
      | 'series.excluded'
      | 'totals'
      | 'totals.value'
      | 'accuracy'
      | 'accuracy.help'
      | 'acc.metric'
      | 'acc.job'
      | 'acc.naive'
      | 'acc.sba'
      | 'acc.rmsse'
      | 'acc.mase'
      | 'acc.bias_pct'
      | 'acc.best'
      | 'service'
      | 'service.help'
      | 'service.cycle'
      | 'service.fill'
      | 'service.promised'
      | 'service.achieved'
      | 'service.gap'
      | 'service.evaluated'
      | 'service.none'
      | 'by_site'
      | 'by_class'
      | 'col.site'
      | 'col.class'
      | 'col.series'
      | 'col.forecast'
      | 'col.actual'
      | 'col.rmsse'
      | 'col.bias'
      | 'col.cycle'
      | 'col.fill'
      | 'col.above'
      | 'exceptions'
      | 'exceptions.help'
      | 'exceptions.none'
      | 'ignored'
      | 'warnings'}`;

export const trackingEn: Record<TrackingKey, string> = {
  'trk.title': 'Actuals',
  'trk.help':
    'What happened after this forecast: the demand of the periods after its history, held against the forecast and the plan.',
  'trk.waiting': 'Actuals can be sent once the job has completed.',
  'trk.unavailable': 'This job did not complete: there is no forecast to hold against actuals.',
  'trk.deleted': 'This job was deleted.',
  'trk.failed': 'The tracking could not be loaded.',
  'trk.empty': 'No actuals yet for this job.',
  'trk.empty.origin': 'Send the demand dated after {origin} (same columns as the demand file).',
  'trk.empty.later':
    'A later job on the same parts, whose file covers these months, is used by itself when it completes.',
  'trk.drop': 'Drop the actuals file (CSV or XLSX) here, or click to choose one',
  'trk.drop.replace': 'Send a newer actuals file (replaces the one in use)',
  'trk.drop.hint': 'Columns: partnumber, site_code, date, demand_qty',
  'trk.sending': 'Reading {file} and holding the forecast against it…',
  'trk.send.failed': '{file} was not used:',
  'trk.remove': 'Remove actuals',
  'trk.remove.confirm': 'The actuals file and the figures computed from it will be removed. Are you sure?',
  'trk.remove.subject': 'File:',
  'trk.remove.yes': 'Yes, remove',
  'trk.remove.failed': 'The actuals could not be removed:',
  'trk.polling': 'Looking for the actuals of a job that just completed…',
  'trk.source': 'Source',
  'trk.source.file': '{file}, sent {at}',
  'trk.source.job': 'A later job',
  'trk.source.job.name': 'Later job: {name}',
  'trk.periods': 'Periods covered',
  'trk.periods.value': '{n} of {forecast}',
  'trk.periods.range': '{first} – {last}',
  'trk.series': 'Series',
  'trk.series.value': '{scored} scored of {total}',
  'trk.series.excluded': '{n} without history or scale are not scored',
  'trk.totals': 'Forecast vs actual',
  'trk.totals.value': '{forecast} forecast · {actual} actual',
  'trk.accuracy': 'Accuracy',
  'trk.accuracy.help':
    'Lower is better for RMSSE and MASE (1 = as good as the previous value); bias near 0 % is best. The naive and SBA baselines are scored on the same series.',
  'trk.acc.metric': 'Measure',
  'trk.acc.job': 'This forecast',
  'trk.acc.naive': 'Naive',
  'trk.acc.sba': 'SBA',
  'trk.acc.rmsse': 'RMSSE',
  'trk.acc.mase': 'MASE',
  'trk.acc.bias_pct': 'Bias',
  'trk.acc.best': 'best',
  'trk.service': 'Service',
  'trk.service.help':
    'Cycle service: the share of parts whose demand over lead time plus review stayed within the order-up-to level. Fill rate: the share of units served.',
  'trk.service.cycle': 'Cycle service',
  'trk.service.fill': 'Fill rate',
  'trk.service.promised': 'Promised',
  'trk.service.achieved': 'Achieved',
  'trk.service.gap': '{gap} points',
  'trk.service.evaluated': 'Over {n} parts whose lead time plus review lies within the actuals.',
  'trk.service.none': 'No part’s lead time plus review lies within the actuals yet.',
  'trk.by_site': 'By site',
  'trk.by_class': 'By demand class',
  'trk.col.site': 'Site',
  'trk.col.class': 'Class',
  'trk.col.series': 'Series',
  'trk.col.forecast': 'Forecast',
  'trk.col.actual': 'Actual',
  'trk.col.rmsse': 'RMSSE',
  'trk.col.bias': 'Bias',
  'trk.col.cycle': 'Cycle service (promised → achieved)',
  'trk.col.fill': 'Fill rate (promised → achieved)',
  'trk.col.above': 'Above plan',
  'trk.exceptions': 'Needs attention',
  'trk.exceptions.help': 'Parts per reason (one part can have several).',
  'trk.exceptions.none': 'No part needs attention.',
  'trk.exc.DEMAND_ABOVE_PLAN': 'Demand above plan',
  'trk.exc.DEMAND_ABOVE_PLAN.help': 'Demand over lead time plus review went above the order-up-to level.',
  'trk.exc.BIAS_DRIFT': 'Forecast drifting',
  'trk.exc.BIAS_DRIFT.help': 'The tracking signal is beyond ±4: the forecast is steadily too high or too low.',
  'trk.exc.NEW_PART': 'New part',
  'trk.exc.NEW_PART.help': 'Demand in the actuals for a part and site with no history.',
  'trk.exc.STOPPED_SELLING': 'Stopped selling',
  'trk.exc.STOPPED_SELLING.help': 'Forecast to sell several units, but no demand came in the whole window.',
  'trk.ignored':
    'Rows not counted: {before} dated at or before the history’s end, {after} after the forecast, {sites} of other sites.',
  'trk.warnings': 'Reading the file',
};

export const trackingId: Record<TrackingKey, string> = {
  'trk.title': 'Realisasi',
  'trk.help':
    'Apa yang terjadi setelah forecast ini: permintaan periode sesudah historinya, dibandingkan dengan forecast dan rencana stok.',
  'trk.waiting': 'Realisasi bisa dikirim setelah job selesai.',
  'trk.unavailable': 'Job ini tidak selesai: tidak ada forecast untuk dibandingkan dengan realisasi.',
  'trk.deleted': 'Job ini sudah dihapus.',
  'trk.failed': 'Data realisasi tidak bisa dimuat.',
  'trk.empty': 'Belum ada realisasi untuk job ini.',
  'trk.empty.origin': 'Kirim permintaan bertanggal sesudah {origin} (kolom sama seperti file permintaan).',
  'trk.empty.later':
    'Job berikutnya untuk part yang sama, yang filenya mencakup bulan-bulan ini, dipakai otomatis saat selesai.',
  'trk.drop': 'Letakkan file realisasi (CSV atau XLSX) di sini, atau klik untuk memilih',
  'trk.drop.replace': 'Kirim file realisasi yang lebih baru (menggantikan yang dipakai)',
  'trk.drop.hint': 'Kolom: partnumber, site_code, date, demand_qty',
  'trk.sending': 'Membaca {file} dan membandingkan forecast dengannya…',
  'trk.send.failed': '{file} tidak dipakai:',
  'trk.remove': 'Hapus realisasi',
  'trk.remove.confirm': 'File realisasi dan angka yang dihitung darinya akan dihapus. Yakin?',
  'trk.remove.subject': 'File:',
  'trk.remove.yes': 'Ya, hapus',
  'trk.remove.failed': 'Realisasi tidak bisa dihapus:',
  'trk.polling': 'Mencari realisasi dari job yang baru selesai…',
  'trk.source': 'Sumber',
  'trk.source.file': '{file}, dikirim {at}',
  'trk.source.job': 'Job berikutnya',
  'trk.source.job.name': 'Job berikutnya: {name}',
  'trk.periods': 'Periode tercakup',
  'trk.periods.value': '{n} dari {forecast}',
  'trk.periods.range': '{first} – {last}',
  'trk.series': 'Seri',
  'trk.series.value': '{scored} dinilai dari {total}',
  'trk.series.excluded': '{n} tanpa histori atau skala tidak dinilai',
  'trk.totals': 'Forecast vs realisasi',
  'trk.totals.value': '{forecast} forecast · {actual} realisasi',
  'trk.accuracy': 'Akurasi',
  'trk.accuracy.help':
    'Makin rendah makin baik untuk RMSSE dan MASE (1 = sebaik nilai sebelumnya); bias mendekati 0 % paling baik. Baseline naif dan SBA dinilai pada seri yang sama.',
  'trk.acc.metric': 'Ukuran',
  'trk.acc.job': 'Forecast ini',
  'trk.acc.naive': 'Naif',
  'trk.acc.sba': 'SBA',
  'trk.acc.rmsse': 'RMSSE',
  'trk.acc.mase': 'MASE',
  'trk.acc.bias_pct': 'Bias',
  'trk.acc.best': 'terbaik',
  'trk.service': 'Layanan',
  'trk.service.help':
    'Cycle service: bagian part yang permintaannya selama lead time plus review tetap di bawah level order-up-to. Fill rate: bagian unit yang terlayani.',
  'trk.service.cycle': 'Cycle service',
  'trk.service.fill': 'Fill rate',
  'trk.service.promised': 'Dijanjikan',
  'trk.service.achieved': 'Tercapai',
  'trk.service.gap': '{gap} poin',
  'trk.service.evaluated': 'Atas {n} part yang lead time plus review-nya ada di dalam realisasi.',
  'trk.service.none': 'Belum ada part yang lead time plus review-nya ada di dalam realisasi.',
  'trk.by_site': 'Per site',
  'trk.by_class': 'Per kelas permintaan',
  'trk.col.site': 'Site',
  'trk.col.class': 'Kelas',
  'trk.col.series': 'Seri',
  'trk.col.forecast': 'Forecast',
  'trk.col.actual': 'Realisasi',
  'trk.col.rmsse': 'RMSSE',
  'trk.col.bias': 'Bias',
  'trk.col.cycle': 'Cycle service (janji → tercapai)',
  'trk.col.fill': 'Fill rate (janji → tercapai)',
  'trk.col.above': 'Di atas rencana',
  'trk.exceptions': 'Perlu perhatian',
  'trk.exceptions.help': 'Jumlah part per alasan (satu part bisa punya beberapa).',
  'trk.exceptions.none': 'Tidak ada part yang perlu perhatian.',
  'trk.exc.DEMAND_ABOVE_PLAN': 'Permintaan di atas rencana',
  'trk.exc.DEMAND_ABOVE_PLAN.help': 'Permintaan selama lead time plus review melewati level order-up-to.',
  'trk.exc.BIAS_DRIFT': 'Forecast bergeser',
  'trk.exc.BIAS_DRIFT.help': 'Tracking signal melewati ±4: forecast terus-menerus terlalu tinggi atau terlalu rendah.',
  'trk.exc.NEW_PART': 'Part baru',
  'trk.exc.NEW_PART.help': 'Ada permintaan di realisasi untuk part dan site tanpa histori.',
  'trk.exc.STOPPED_SELLING': 'Berhenti terjual',
  'trk.exc.STOPPED_SELLING.help':
    'Forecast memperkirakan beberapa unit, tetapi tidak ada permintaan selama periode ini.',
  'trk.ignored':
    'Baris tidak dihitung: {before} bertanggal sampai akhir histori, {after} sesudah forecast, {sites} dari site lain.',
  'trk.warnings': 'Pembacaan file',
};
